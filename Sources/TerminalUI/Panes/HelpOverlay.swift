import RoleEditor

/// The help overlay: the key table's help and the roles' abbreviations in a centred box over the pane.
///
/// At any size: the lines are laid out for the box's width (two short entries share a line only when
/// both fit; a long text wraps under its column), and a box taller than the terminal scrolls with the
/// motion keys, its borders saying that more is above or below.
enum HelpOverlay {
    static func draw(_ state: EditorState, into canvas: inout Canvas) {
        let (lines, width) = layout(terminalWidth: canvas.width)
        let height = min(canvas.height, lines.count + 3)
        let rect = canvas.bounds.centered(width: width, height: height)
        let visible = max(0, height - 3)
        let top = min(state.helpTop, max(0, lines.count - visible))
        // A blank margin keeps the pane's text from touching the box's edge.
        canvas.fill(Rect(x: rect.x - 1, y: rect.y, width: rect.width + 2, height: rect.height))
        canvas.box(rect, title: "Keys", style: Style(.accent))
        for (offset, line) in lines.dropFirst(top).prefix(visible).enumerated() {
            canvas.draw(line, x: rect.x + 2, y: rect.y + 1 + offset, maxWidth: rect.width - 4)
        }
        let scrolls = lines.count > visible
        if top > 0 { drawMark(moreAbove, onRowOf: rect.y, in: rect, into: &canvas) }
        if top + visible < lines.count { drawMark(moreBelow, onRowOf: rect.maxY - 1, in: rect, into: &canvas) }
        canvas.draw(
            footer(scrolls: scrolls, width: rect.width - 4), x: rect.x + 2, y: rect.maxY - 2,
            maxWidth: rect.width - 4, style: Style(.muted))
    }

    static let moreAbove = "↑ more above"
    static let moreBelow = "↓ more below"

    /// Says on a border, right-aligned, that lines are hidden that way.
    private static func drawMark(_ text: String, onRowOf y: Int, in rect: Rect, into canvas: inout Canvas) {
        let label = " \(text) "
        let x = rect.maxX - 2 - TextWidth.width(label)
        guard x > rect.x + 8 else { return }
        canvas.draw(label, x: x, y: y, style: Style(.accent, [.bold]))
    }

    /// Lines of help the box shows at once in a terminal of `height` rows (borders and footer aside).
    static func visibleLineCount(height: Int) -> Int { max(0, height - 3) }

    /// The last first line the help can scroll to in a `width`×`height` terminal: 0 when it fits.
    static func maximumTop(width: Int, height: Int) -> Int {
        max(0, layout(terminalWidth: width).lines.count - visibleLineCount(height: height))
    }

    /// The lines for a terminal `terminalWidth` wide, and the box's width: as wide as its widest line,
    /// never wider than the terminal.
    private static func layout(terminalWidth: Int) -> (lines: [String], boxWidth: Int) {
        let lines = self.lines(width: min(terminalWidth, maximumWidth + 4) - 4)
        return (lines, min(terminalWidth, (lines.map(TextWidth.width).max() ?? 0) + 4))
    }

    /// The entries the overlay lists: every help of a binding outside a prompt and the overlay itself
    /// (a prompt's box names its own answers, a typed one too; the footer says how the overlay closes
    /// and scrolls), once each, in table order.
    static var entries: [KeyHelp] {
        var seen: Set<KeyHelp> = []
        return KeyBinding.table.filter { binding in
            !binding.contexts.contains(.prompt) && !binding.contexts.contains(.typedAnswer)
                && !binding.contexts.contains(.helpOverlay) && !binding.contexts.contains(.inviteForm)
        }.map(\.help).filter { seen.insert($0).inserted }
    }

    /// "any key closes"; when the help scrolls, "j/k, g/G, PgUp/PgDn scroll, any other key closes" (or
    /// the shortest of it that fits `width`).
    static func footer(scrolls: Bool, width: Int = maximumWidth) -> String {
        let closing = KeyBinding.table.first { $0.contexts.contains(.helpOverlay) && $0.trigger == .anyKey }!.help
        guard scrolls else { return closing.label + " " + closing.text }
        let scroll = KeyBinding.helpScrollHelp
        let other = "any other key " + closing.text
        let full = scroll.label + " " + scroll.text + ", " + other
        if TextWidth.width(full) <= width { return full }
        let firstKeys = scroll.label.split(separator: ",").first.map(String.init) ?? scroll.label
        return firstKeys + " " + scroll.text + ", " + other
    }

    /// The help at the widest box: what an 80-column terminal shows.
    static var lines: [String] { lines(width: maximumWidth) }

    /// The help's lines for a box whose text is `width` cells wide: keys in a 16-cell column, then what
    /// they do, details indented under the text; two short entries share a line, the second at cell 30
    /// (at least 4 cells after the first), when both fit. Then the roles' abbreviations.
    static func lines(width: Int) -> [String] {
        let width = max(8, min(width, maximumWidth))
        var lines: [String] = []
        var entries = entries[...]
        while let entry = entries.popFirst() {
            let line = Self.line(entry)
            if entry.details.isEmpty, TextWidth.width(line) <= pairColumn - 4, let next = entries.first,
                next.details.isEmpty, pairColumn + TextWidth.width(Self.line(next)) <= width
            {
                lines.append(padded(line, to: pairColumn) + Self.line(next))
                entries.removeFirst()
                continue
            }
            lines += wrapped(entry, width: width)
        }
        lines.append("")
        lines += roleLegend(width: width)
        return lines
    }

    /// "Roles, where the list is too narrow for their names:", then `OWN Owner  MEM Member  …` packed
    /// into lines of `width` cells: the abbreviations the roles column falls back to, each with the
    /// console's name it stands for.
    static func roleLegend(width: Int) -> [String] {
        var lines = TextWidth.wrapped(roleLegendTitle, width: width, indent: "  ")
        let pieces = OrgRole.known.map { RoleText.abbreviation($0) + " " + RoleText.shortName($0) }
        var line = ""
        for piece in pieces {
            let candidate = line.isEmpty ? "  " + piece : line + "  " + piece
            if !line.isEmpty, TextWidth.width(candidate) > width {
                lines.append(line)
                line = "  " + piece
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static let roleLegendTitle = "Roles, where the list is too narrow for their names:"

    /// The widest line: the box then fits an 80-column terminal.
    static let maximumWidth = 76
    private static let labelColumn = 16
    private static let pairColumn = 30
    /// Below this many cells for the text beside the keys' column, the text goes under the keys.
    private static let narrowestText = 16

    private static func line(_ entry: KeyHelp) -> String {
        // A label too long for its column lines its text up with the second entry's column instead.
        let column = column(for: entry)
        return (column > 0 ? padded(entry.label, to: column) : entry.label + "  ") + entry.text
    }

    private static func column(for entry: KeyHelp) -> Int {
        let labelWidth = TextWidth.width(entry.label)
        return labelWidth <= labelColumn - 2 ? labelColumn : labelWidth <= pairColumn - 2 ? pairColumn : 0
    }

    /// One entry in `width` cells: on one line when it fits (with its details under the text's column),
    /// else its text wrapped under that column, or under the keys when the column leaves too little room.
    private static func wrapped(_ entry: KeyHelp, width: Int) -> [String] {
        let line = Self.line(entry)
        let column = column(for: entry) > 0 ? column(for: entry) : TextWidth.width(entry.label) + 2
        let detailIndent = String(repeating: " ", count: labelColumn)
        if TextWidth.width(line) <= width,
            entry.details.allSatisfy({ labelColumn + TextWidth.width($0) <= width })
        {
            return [line] + entry.details.map { detailIndent + $0 }
        }
        let textColumn = width - column >= narrowestText ? column : 2
        let indent = String(repeating: " ", count: textColumn)
        var lines: [String] = []
        var texts = [entry.text] + entry.details
        if textColumn == column {
            let first = TextWidth.wrapped(texts.removeFirst(), width: width - column, indent: "")
            lines.append(padded(entry.label, to: column) + (first.first ?? ""))
            lines += first.dropFirst().map { indent + $0 }
        } else {
            lines.append(entry.label)
        }
        for text in texts {
            lines += TextWidth.wrapped(text, width: width - textColumn, indent: "").map { indent + $0 }
        }
        return lines
    }

    private static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TextWidth.width(text)))
    }
}
