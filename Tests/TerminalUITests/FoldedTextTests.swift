import Foundation
import RoleEditor
import Testing

@testable import TerminalUI

/// Match highlighting finds words in one pass over a row's folded text: the same ranges as folding
/// growing substrings character by character did, at the same cells.
@Suite struct FoldedTextTests {
    private func matched(_ needle: String, in text: String) -> [String] {
        UserListPane.foldedMatches(of: needle, in: text).map { String(text[$0]) }
    }

    @Test func accentsCaseAndWideCharactersMatchAsTheFilterFolds() {
        #expect(matched("garcia", in: "José GARCÍA <jose.garcia@example.es>") == ["GARCÍA", "garcia"])
        #expect(matched("élo", in: "Élodie ELODIE") == ["Élo", "ELO"])
        #expect(matched("山田", in: "太郎 山田 山田") == ["山田", "山田"])
        #expect(matched("zoe", in: "Zoë 🚀 Rocket") == ["Zoë"])
        // A decomposed accent (e + U+0301) is one character with the letter: it is kept whole.
        #expect(matched("rene", in: "Rene\u{301} Magritte") == ["Rene\u{301}"])
        // Matches do not overlap, left to right.
        #expect(matched("aa", in: "aaaaa") == ["aa", "aa"])
        #expect(matched("", in: "anything").isEmpty)
        #expect(matched("longer than the text", in: "short").isEmpty)
    }

    /// Where the highlight lands: the underlined cells are exactly the match's, after wide characters.
    @Test func theHighlightIsDrawnOnTheMatchedCells() {
        TerminalLocale.prepare()
        let text = "山田 José García"
        var canvas = Canvas(width: 30, height: 1)
        canvas.draw(text, x: 0, y: 0, maxWidth: 30)
        UserListPane.drawHighlights(["garcia", "山"], in: text, x: 0, y: 0, maxWidth: 30, base: .plain, into: &canvas)
        let underlined = (0..<30).filter { canvas[$0, 0].style.attributes.contains(.underline) }
        // 山 takes cells 0-1; "García" starts after "山田 José " (2 + 2 + 1 + 4 + 1 = 10 cells).
        #expect(underlined == [0, 1, 10, 11, 12, 13, 14, 15])
    }

    /// Random texts of accented, cased, combining, wide and emoji characters: the one-pass search finds
    /// what folding every growing substring found.
    @Test func agreesWithFoldingEverySubstring() {
        let alphabet: [String] = [
            "a", "A", "á", "Á", "e", "é", "E", "o", "ö", "Ö", "n", "ñ", "s", "ß", "@", ".", " ", "山", "田", "🚀",
            "e\u{301}", "i", "İ", "-",
        ]
        // A failure names its case (needle and text), which is all it takes to reproduce it.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1500 {
            let text = (0..<Int.random(in: 0...14, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }.joined()
            let needle = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator)!
            }.joined()
            let folded = TextFolding.foldedString(needle)
            #expect(
                UserListPane.foldedMatches(of: needle, in: text) == Self.referenceMatches(of: folded, in: text),
                "\(needle) in \(text)")
        }
    }

    /// The earlier search, kept as the definition: from each character, fold ever longer substrings
    /// until they reach the needle's length or stop being a prefix of it.
    static func referenceMatches(of needle: String, in text: String) -> [Range<String.Index>] {
        guard !needle.isEmpty else { return [] }
        var matches: [Range<String.Index>] = []
        var start = text.startIndex
        while start < text.endIndex {
            var end = start
            var folded = ""
            while end < text.endIndex, folded.count < needle.count, needle.hasPrefix(folded) {
                end = text.index(after: end)
                folded = TextFolding.foldedString(String(text[start..<end]))
            }
            if folded == needle {
                matches.append(start..<end)
                start = end
            } else {
                start = text.index(after: start)
            }
        }
        return matches
    }
}
