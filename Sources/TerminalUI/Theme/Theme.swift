/// Maps a ``Style``'s meaning to what the terminal can show: 256 colors, 8 colors, or none.
///
/// The background is always the terminal's own (`use_default_colors`, pair background -1), so the
/// same theme reads on dark and light terminals; selection is reverse video, which every terminal
/// renders legibly in both. The colors chosen are mid-luminance (no pale yellow, no dark blue) for
/// the same reason. Without color each meaning falls back to an attribute, so errors and pending
/// marks still stand out.
public struct Theme: Hashable, Sendable {
    /// What the terminal offers.
    public enum Depth: Hashable, Sendable {
        case none, eight, extended256
    }

    public let depth: Depth

    public init(depth: Depth) { self.depth = depth }

    /// The theme for a mode and a terminal's color count.
    public static func choose(mode: ColorMode, terminalColors: Int) -> Theme {
        if mode == .monochrome || terminalColors < 8 { return Theme(depth: .none) }
        return Theme(depth: terminalColors >= 256 ? .extended256 : .eight)
    }

    /// The foreground color index for a meaning, or -1 for the terminal's default.
    public func foreground(_ color: ThemeColor) -> Int16 {
        switch depth {
        case .none:
            return -1
        case .eight:
            // 0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 white.
            switch color {
            case .normal, .muted: return -1
            case .accent: return 4
            case .positive: return 2
            case .negative: return 1
            case .warning: return 5
            case .info: return 6
            }
        case .extended256:
            switch color {
            case .normal: return -1
            case .accent: return 33  // #0087ff
            case .muted: return 244  // #808080: grey on black and on white
            case .positive: return 34  // #00af00
            case .negative: return 160  // #d70000
            case .warning: return 172  // #d78700
            case .info: return 37  // #00afaf
            }
        }
    }

    /// Attributes added for a meaning: the whole signal without color, a reinforcement with 8 colors.
    public func extraAttributes(_ color: ThemeColor) -> TextAttributes {
        switch (depth, color) {
        case (.none, .accent), (.none, .positive), (.none, .warning): [.bold]
        case (.none, .negative): [.bold, .underline]
        case (.none, .info): [.underline]
        case (.none, .muted), (.eight, .muted): [.dim]
        default: []
        }
    }

    /// The color pair number for a meaning (0 is the terminal default, no pair needed).
    public func pair(_ color: ThemeColor) -> Int16 {
        foreground(color) == -1 ? 0 : Int16(color.rawValue)
    }
}
