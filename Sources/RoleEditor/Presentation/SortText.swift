/// How the screen says which way the list is sorted.
public enum SortText {
    /// ▲ for a sort's natural direction (A to Z, most recent login first, most privileged role first),
    /// ▼ for the same sort reversed: the arrow points the way the column's values grow down the list
    /// (ages, role ranks and letters all grow under ▲).
    public static func arrow(reversed: Bool) -> String { reversed ? "▼" : "▲" }
}
