import RoleEditor

/// A row's text folded once as the filter folds it (case and accents aside), with where each of its
/// characters begins in the folded bytes: a word is then found with one byte search over the row, and
/// each match is mapped back to the characters drawn.
///
/// A match covers whole characters: an accented letter in the text matches the plain one typed ("é" is
/// found by "e"), and a needle that would end or begin inside one character's folding does not match.
/// An ASCII character folds to its lower-case byte with no allocation; only the others are folded as
/// strings.
///
/// ```swift
/// FoldedText("José García").matches(of: Array("garcia".utf8))  // the range of "García"
/// ```
struct FoldedText {
    let text: String
    /// The text folded character by character, as UTF-8.
    private var bytes: [UInt8] = []
    /// Where each character's folding begins in ``bytes``, then `bytes.count` (never decreasing); empty
    /// when every character is one ASCII byte, which folds to one byte at the same offset.
    private var foldedStarts: [Int] = []
    /// Where each character begins in the text's UTF-8, then its length; empty in the ASCII case.
    private var textStarts: [Int] = []

    init(_ text: String) {
        self.text = text
        bytes.reserveCapacity(text.utf8.count)
        var isASCII = true
        var offset = 0
        for character in text {
            let length = character.utf8.count
            if length == 1, let byte = character.utf8.first, byte < 0x80 {
                if !isASCII {
                    foldedStarts.append(bytes.count)
                    textStarts.append(offset)
                }
                bytes.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            } else {
                if isASCII {
                    // The characters so far were one byte each: their starts are their offsets.
                    isASCII = false
                    foldedStarts = Array(0..<bytes.count)
                    textStarts = Array(0..<offset)
                }
                foldedStarts.append(bytes.count)
                textStarts.append(offset)
                bytes += TextFolding.folded(String(character))
            }
            offset += length
        }
        if !isASCII {
            foldedStarts.append(bytes.count)
            textStarts.append(offset)
        }
    }

    /// The ranges of ``text`` whose folding is `needle` (already folded), left to right and not
    /// overlapping: one pass over the folded bytes, O(text × needle) byte comparisons at worst.
    func matches(of needle: [UInt8]) -> [Range<String.Index>] {
        let n = needle.count
        guard n > 0, n <= bytes.count else { return [] }
        var matches: [Range<String.Index>] = []
        let ascii = foldedStarts.isEmpty
        let count = ascii ? bytes.count : foldedStarts.count - 1
        var character = 0
        while character < count {
            let start = ascii ? character : foldedStarts[character]
            guard start + n <= bytes.count else { break }
            if bytes[start] == needle[0], bytes[start..<start + n].elementsEqual(needle),
                let end = ascii ? character + n : characterEnding(at: start + n, after: character)
            {
                matches.append(index(ofCharacter: character)..<index(ofCharacter: end))
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

    private func index(ofCharacter character: Int) -> String.Index {
        text.utf8.index(text.utf8.startIndex, offsetBy: textStarts.isEmpty ? character : textStarts[character])
    }
}
