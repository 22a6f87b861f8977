import Testing

@testable import TerminalUI

@Suite struct KeyDecoderTests {
    /// Decodes a byte string the way the main loop does: one read, then whatever is already waiting.
    func decode(_ text: String) -> [Key] {
        var pending = text.unicodeScalars.map { RawInput.character($0.value) }
        var keys: [Key] = []
        let decoder = KeyDecoder()
        while !pending.isEmpty {
            let first = pending.removeFirst()
            keys += decoder.decode(first) { pending.isEmpty ? nil : pending.removeFirst() }
        }
        return keys
    }

    @Test func printableCharactersAreText() {
        #expect(decode("jé山/") == [.character("j"), .character("é"), .character("山"), .character("/")])
    }

    @Test func controlKeys() {
        #expect(decode("\u{03}\u{0C}\u{06}\u{02}") == [.control("c"), .control("l"), .control("f"), .control("b")])
        #expect(decode("\r\n\t") == [.enter, .enter, .tab])
        #expect(decode("\u{7F}\u{08}") == [.backspace, .backspace])
    }

    @Test func csiAndSS3Arrows() {
        #expect(decode("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D") == [.up, .down, .right, .left])
        #expect(decode("\u{1B}OA\u{1B}OH\u{1B}OF") == [.up, .home, .end])
    }

    @Test func modifiedArrowsKeepTheKey() {
        #expect(decode("\u{1B}[1;5A") == [.up])
    }

    @Test func tildeKeys() {
        #expect(decode("\u{1B}[5~\u{1B}[6~\u{1B}[1~\u{1B}[4~\u{1B}[3~") == [.pageUp, .pageDown, .home, .end, .delete])
    }

    @Test func unknownSequencesAreSwallowedWhole() {
        // Bracketed-paste markers, focus reports, an SGR mouse report: nothing may leak out as text.
        #expect(decode("\u{1B}[200~") == [.unrecognized])
        #expect(decode("\u{1B}[I\u{1B}[O") == [.unrecognized, .unrecognized])
        #expect(decode("\u{1B}[<0;12;5M") == [.unrecognized])
        #expect(decode("\u{1B}[15;2~x") == [.unrecognized, .character("x")])
    }

    @Test func truncatedSequenceIsDropped() {
        #expect(decode("\u{1B}[12") == [.unrecognized])
    }

    @Test func loneEscapeIsEscape() {
        #expect(decode("\u{1B}") == [.escape])
        #expect(decode("\u{1B}\u{1B}") == [.escape, .escape])
    }

    @Test func escapeFollowedByAKeyIsBoth() {
        #expect(decode("\u{1B}j") == [.escape, .character("j")])
        #expect(decode("\u{1B}\u{1B}[A") == [.escape, .up])
    }

    @Test func ncursesKeyCodes() {
        let decoder = KeyDecoder()
        let codes: [(Int32, Key)] = [
            (KeyDecoder.Code.up, .up), (KeyDecoder.Code.down, .down), (KeyDecoder.Code.home, .home),
            (KeyDecoder.Code.end, .end), (KeyDecoder.Code.pageUp, .pageUp), (KeyDecoder.Code.pageDown, .pageDown),
            (KeyDecoder.Code.backspace, .backspace), (KeyDecoder.Code.enter, .enter),
            (KeyDecoder.Code.resize, .resize), (KeyDecoder.Code.backTab, .backTab),
            (KeyDecoder.Code.function0 + 1, .function(1)), (0o1000, .unrecognized),
        ]
        for (code, key) in codes {
            #expect(decoder.decode(.keyCode(code)) { nil } == [key])
        }
    }

    @Test func c1ControlsAreNotText() {
        #expect(decode("\u{9B}") == [.unrecognized])
    }
}
