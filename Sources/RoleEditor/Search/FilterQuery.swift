/// A parsed filter: whitespace-separated terms that must all match.
///
/// Plain words match a substring of the email or the name (case- and accent-insensitive);
/// `role:owner` matches users holding a role whose name contains the word (`role:billing` matches both
/// billing roles); `status:pending` matches the membership status the same way.
///
/// ```swift
/// FilterQuery("role:owner ada")   // owners whose email or name contains "ada"
/// ```
public struct FilterQuery: Hashable, Sendable {
    /// One condition of a filter.
    public enum Term: Hashable, Sendable {
        case text([UInt8])
        case role([UInt8])
        case status([UInt8])
    }

    public var terms: [Term]

    public init(_ text: String) {
        terms = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { word in
            let lower = word.lowercased()
            if lower.hasPrefix("role:") {
                return .role(TextFolding.folded(String(word.dropFirst(5))))
            }
            if lower.hasPrefix("status:") {
                return .status(TextFolding.folded(String(word.dropFirst(7))))
            }
            return .text(TextFolding.folded(String(word)))
        }
    }

    /// An empty filter shows every user.
    public var isEmpty: Bool { terms.isEmpty }

    /// True when every user matching `self` also matches `older`, so `self` can be evaluated over the
    /// rows `older` left instead of the whole list (typing one more character).
    func isRefinement(of older: FilterQuery) -> Bool {
        if older.terms.isEmpty { return true }
        if terms.count < older.terms.count { return false }
        for (index, old) in older.terms.enumerated() {
            let new = terms[index]
            switch (old, new) {
            case (.text(let a), .text(let b)), (.role(let a), .role(let b)), (.status(let a), .status(let b)):
                // All three are substring matches: a longer needle containing the old one matches a subset.
                if !TextFolding.contains(b, a) { return false }
            default:
                return false
            }
        }
        return true
    }
}
