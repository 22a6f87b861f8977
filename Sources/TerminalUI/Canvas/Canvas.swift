/// A frame of cells that panes draw into; the terminal backend writes out what changed since the last one.
///
/// Drawing clips to the canvas (and to an optional rectangle), keeps double-width glyphs whole (a
/// wide glyph that would straddle the edge becomes a space), and never leaves half of a wide glyph
/// behind when something is drawn over it. Tests render panes into a canvas and compare ``lines``.
///
/// ```swift
/// var canvas = Canvas(width: 20, height: 1)
/// canvas.draw("山田 太郎 <taro@example.com>", x: 0, y: 0, maxWidth: 20)
/// canvas.lines  // ["山田 太郎 <taro@exa…"]
/// ```
public struct Canvas: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Draws `text` from (`x`, `y`) in at most `maxWidth` cells (default: to the right edge), cut with `…`
    /// when it does not fit, clipped to `clip` when given. Returns the number of cells drawn.
    @discardableResult
    public mutating func draw(
        _ text: String, x: Int, y: Int, maxWidth: Int? = nil, style: Style = .plain, clip: Rect? = nil
    ) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard y >= area.y, y < area.maxY, x < area.maxX else { return 0 }
        let limit = min(maxWidth ?? Int.max, area.maxX - x)
        guard limit > 0 else { return 0 }
        let shown = TextWidth.truncated(text, to: limit)
        var column = x
        for glyph in TextWidth.glyphs(shown) {
            if column + glyph.width > area.maxX { break }
            if column >= area.x {
                put(glyph, x: column, y: y, style: style)
            } else if column + glyph.width > area.x {
                // A wide glyph cut by the clip's left edge: show the visible half as a space.
                put(Glyph(text: " ", width: 1), x: area.x, y: y, style: style)
            }
            column += glyph.width
        }
        return column - x
    }

    /// Fills a rectangle with one character (a space by default) in `style`.
    public mutating func fill(_ rect: Rect, with character: String = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let glyph = TextWidth.glyphs(character).first ?? Glyph(text: " ", width: 1)
        for row in area.y..<area.maxY {
            var column = area.x
            while column + glyph.width <= area.maxX {
                put(glyph, x: column, y: row, style: style)
                column += glyph.width
            }
            if column < area.maxX { put(Glyph(text: " ", width: 1), x: column, y: row, style: style) }
        }
    }

    /// Adds attributes (reverse for a selection, say) to every cell of a rectangle, keeping the text.
    public mutating func highlight(_ rect: Rect, with attributes: TextAttributes) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY {
            for column in area.x..<area.maxX {
                cells[row * width + column].style.attributes.formUnion(attributes)
            }
        }
    }

    /// Draws a box outline with Unicode box-drawing characters and an optional title on the top edge.
    public mutating func box(_ rect: Rect, title: String? = nil, style: Style = Style(.muted)) {
        let area = rect.intersection(bounds)
        guard area.width >= 2, area.height >= 2, area == rect else { return }
        let horizontal = String(repeating: "─", count: rect.width - 2)
        draw("┌" + horizontal + "┐", x: rect.x, y: rect.y, style: style)
        for row in (rect.y + 1)..<(rect.maxY - 1) {
            draw("│", x: rect.x, y: row, style: style)
            draw("│", x: rect.maxX - 1, y: row, style: style)
        }
        draw("└" + horizontal + "┘", x: rect.x, y: rect.maxY - 1, style: style)
        if let title, rect.width > 4 {
            draw(" \(title) ", x: rect.x + 1, y: rect.y, maxWidth: rect.width - 2, style: Style(.accent, [.bold]))
        }
    }

    /// Writes one glyph, repairing any wide glyph it overlaps so no half glyph is left.
    private mutating func put(_ glyph: Glyph, x: Int, y: Int, style: Style) {
        let index = y * width + x
        // Drawing over the right half of a wide glyph: its left half becomes a space.
        if cells[index].isContinuation, x > 0 {
            cells[index - 1] = Cell(text: " ", width: 1, style: cells[index - 1].style)
        }
        // Drawing over the left half of a wide glyph (ours or, for a wide glyph, the next one's):
        // its right half becomes a space.
        let span = max(1, glyph.width)
        let end = x + span
        if end < width, cells[y * width + end].isContinuation {
            cells[y * width + end] = Cell(text: " ", width: 1, style: cells[y * width + end].style)
        }
        cells[index] = Cell(text: glyph.text, width: UInt8(glyph.width), style: style)
        if glyph.width == 2 { cells[index + 1] = Cell(text: "", width: 0, style: style) }
    }

    /// The text of each row, continuation cells left out and trailing spaces trimmed: golden-test output.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width where !self[column, row].isContinuation {
                line += self[column, row].text
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// ``lines`` joined with newlines.
    public var text: String { lines.joined(separator: "\n") }
}
