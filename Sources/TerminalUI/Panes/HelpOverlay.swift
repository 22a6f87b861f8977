import RoleEditor

/// The help overlay: the key table's help in a centred box over the pane.
enum HelpOverlay {
    static func draw(into canvas: inout Canvas) {
        let lines = self.lines
        let width = min(canvas.width, (lines.map(TextWidth.width).max() ?? 0) + 4)
        let height = min(canvas.height, lines.count + 3)
        let rect = canvas.bounds.centered(width: width, height: height)
        // A blank margin keeps the pane's text from touching the box's edge.
        canvas.fill(Rect(x: rect.x - 1, y: rect.y, width: rect.width + 2, height: rect.height))
        canvas.box(rect, title: "Keys", style: Style(.accent))
        for (offset, line) in lines.enumerated() where offset + 1 < rect.height - 2 {
            canvas.draw(line, x: rect.x + 2, y: rect.y + 1 + offset, maxWidth: rect.width - 4)
        }
        canvas.draw(footer, x: rect.x + 2, y: rect.maxY - 2, maxWidth: rect.width - 4, style: Style(.muted))
    }

    /// The entries the overlay lists: every help of a binding outside a prompt and the overlay itself
    /// (a prompt's box names its own answers, a typed one too; the footer says how the overlay closes), once each, in
    /// table order.
    static var entries: [KeyHelp] {
        var seen: Set<KeyHelp> = []
        return KeyBinding.table.filter { binding in
            !binding.contexts.contains(.prompt) && !binding.contexts.contains(.typedAnswer)
                && !binding.contexts.contains(.helpOverlay) && !binding.contexts.contains(.inviteForm)
        }.map(\.help).filter { seen.insert($0).inserted }
    }

    /// "any key closes"
    static var footer: String {
        let closing = KeyBinding.table.first { $0.contexts.contains(.helpOverlay) }!.help
        return closing.label + " " + closing.text
    }

    /// Keys in a 16-cell column, then what they do; details indented under the text. Two short entries
    /// share a line, the second at cell 30 (at least 4 cells after the first), when the line stays
    /// within ``maximumWidth``.
    static var lines: [String] {
        var lines: [String] = []
        var entries = entries[...]
        while let entry = entries.popFirst() {
            let line = Self.line(entry)
            if entry.details.isEmpty, TextWidth.width(line) <= pairColumn - 4, let next = entries.first,
                next.details.isEmpty, pairColumn + TextWidth.width(Self.line(next)) <= maximumWidth
            {
                lines.append(padded(line, to: pairColumn) + Self.line(next))
                entries.removeFirst()
                continue
            }
            lines.append(line)
            lines += entry.details.map { String(repeating: " ", count: labelColumn) + $0 }
        }
        return lines
    }

    /// The widest line: the box then fits an 80-column terminal.
    static let maximumWidth = 76
    private static let labelColumn = 16
    private static let pairColumn = 30

    private static func line(_ entry: KeyHelp) -> String {
        // A label too long for its column lines its text up with the second entry's column instead.
        let labelWidth = TextWidth.width(entry.label)
        let column = labelWidth <= labelColumn - 2 ? labelColumn : labelWidth <= pairColumn - 2 ? pairColumn : 0
        return (column > 0 ? padded(entry.label, to: column) : entry.label + "  ") + entry.text
    }

    private static func padded(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - TextWidth.width(text)))
    }
}
