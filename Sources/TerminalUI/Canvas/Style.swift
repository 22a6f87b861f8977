/// How a cell is drawn: a semantic color from the theme plus text attributes.
///
/// Panes say what a thing *is* (`.danger`, `.muted`), never which terminal color it gets: the
/// ``Theme`` decides that per terminal (256 colors, 8 colors, or monochrome under `NO_COLOR`).
public struct Style: Hashable, Sendable {
    public var color: ThemeColor
    public var attributes: TextAttributes

    public init(_ color: ThemeColor = .normal, _ attributes: TextAttributes = []) {
        self.color = color
        self.attributes = attributes
    }

    public static let plain = Style()

    /// This style with more attributes.
    public func with(_ more: TextAttributes) -> Style { Style(color, attributes.union(more)) }
}

/// The meanings a cell's color can carry; the theme maps each to a terminal color or an attribute.
public enum ThemeColor: Int, CaseIterable, Hashable, Sendable {
    case normal
    /// Titles, keys in hints, the organization name.
    case accent
    /// Secondary text: column headers, implied roles, hints.
    case muted
    /// Added roles, successful writes.
    case positive
    /// Removed roles, failed writes, error envelopes.
    case negative
    /// Rule warnings, pending marks, invitations.
    case warning
    /// Informational notices (deprecation, progress).
    case info
}

/// Text attributes a terminal can show without color.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
}
