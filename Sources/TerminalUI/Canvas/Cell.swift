/// One terminal cell: the glyph drawn there and its style.
///
/// A double-width glyph occupies two cells: the first holds it (`width == 2`), the second is a
/// continuation (`width == 0`, empty text) that is never written on its own.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var width: UInt8
    public var style: Style

    public init(text: String, width: UInt8, style: Style) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell(text: " ", width: 1, style: .plain)

    var isContinuation: Bool { width == 0 }
}
