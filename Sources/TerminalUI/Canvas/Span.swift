/// A piece of text with one style; a line of mixed styles is an array of spans.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

extension Canvas {
    /// Draws spans one after another from (`x`, `y`) within `maxWidth` cells; the span that does not fit
    /// is cut with `…` and the rest dropped. Returns the cells used.
    @discardableResult
    public mutating func draw(_ spans: [Span], x: Int, y: Int, maxWidth: Int? = nil) -> Int {
        let limit = min(maxWidth ?? Int.max, width - x)
        guard limit > 0 else { return 0 }
        let total = spans.reduce(0) { $0 + TextWidth.width($1.text) }
        var used = 0
        for span in spans {
            let room = limit - used
            if room <= 0 { break }
            let spanWidth = TextWidth.width(span.text)
            // When the whole line does not fit, the span that crosses the edge shows the `…`.
            let cut = total > limit && spanWidth >= room
            used += draw(span.text, x: x + used, y: y, maxWidth: cut ? room : spanWidth, style: span.style)
            if cut { break }
        }
        return used
    }
}
