import RoleEditor

/// A row's text folded once as the filter folds it (case and accents aside), with where each of its
/// characters begins in the folded bytes: a word is then found with one byte search over the row, and
/// each match is mapped back to the characters drawn.
///
/// A match covers whole characters: an accented letter in the text matches the plain one typed ("é" is
/// found by "e"), and a needle that would end or begin inside one character's folding does not match.
///
/// ```swift
/// FoldedText("José García").matches(of: Array("garcia".utf8))  // the range of "García"
/// ```
struct FoldedText {
    let text: String
    /// The text folded character by character, as UTF-8.
    private(set) var bytes: [UInt8] = []
    /// Each character's index in ``text``, then `text.endIndex`.
    private(set) var characterStarts: [String.Index] = []
    /// Where each character's folding begins in ``bytes``, then `bytes.count`: never decreasing.
    private(set) var foldedStarts: [Int] = []

    init(_ text: String) {
        self.text = text
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            // ASCII folds byte for byte (lower case), one character a byte (CR LF, one character, aside): the
            // common case of an email needs no per-character work.
            bytes = Array(text.lowercased().utf8)
            characterStarts = Array(text.indices) + [text.endIndex]
            foldedStarts = Array(0...bytes.count)
            return
        }
        for index in text.indices {
            characterStarts.append(index)
            foldedStarts.append(bytes.count)
            bytes += TextFolding.folded(String(text[index]))
        }
        characterStarts.append(text.endIndex)
        foldedStarts.append(bytes.count)
    }

    /// The ranges of ``text`` whose folding is `needle` (already folded), left to right and not
    /// overlapping: O(text × needle) byte comparisons at worst, with no allocation per position.
    func matches(of needle: [UInt8]) -> [Range<String.Index>] {
        let n = needle.count
        guard n > 0, n <= bytes.count else { return [] }
        var matches: [Range<String.Index>] = []
        var character = 0
        let count = characterStarts.count - 1
        while character < count {
            let start = foldedStarts[character]
            guard start + n <= bytes.count else { break }
            if bytes[start] == needle[0], bytes[start..<start + n].elementsEqual(needle),
                let end = characterEnding(at: start + n, after: character)
            {
                matches.append(characterStarts[character]..<characterStarts[end])
                character = end
            } else {
                character += 1
            }
        }
        return matches
    }

    /// The first character boundary past `character` whose folding begins at byte `offset`, if any.
    private func characterEnding(at offset: Int, after character: Int) -> Int? {
        var next = character + 1
        while next < foldedStarts.count, foldedStarts[next] < offset { next += 1 }
        return next < foldedStarts.count && foldedStarts[next] == offset ? next : nil
    }
}
