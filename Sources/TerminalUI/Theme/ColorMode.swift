/// Whether the screen uses color.
public enum ColorMode: Hashable, Sendable {
    /// Colors when the terminal has them.
    case automatic
    /// No color at all: bold, reverse, underline and dim only (`NO_COLOR`, `--no-color`).
    case monochrome

    /// `.monochrome` when `NO_COLOR` is set to anything (per no-color.org, even empty) or the flag was given.
    public static func from(environment: [String: String], noColorFlag: Bool) -> ColorMode {
        noColorFlag || environment["NO_COLOR"] != nil ? .monochrome : .automatic
    }
}
