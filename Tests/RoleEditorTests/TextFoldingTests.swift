import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

/// Folding and ordering of names without full Foundation, and the status texts that used its formatters.
@Suite struct TextFoldingTests {
    @Test func accentsAndCaseFoldAwayInEveryScript() {
        #expect(TextFolding.foldedString("Élodie GARCÍA") == "elodie garcia")
        #expect(TextFolding.foldedString("Nguyễn Zoë Øvergård") == "nguyen zoe øvergard")
        #expect(TextFolding.foldedString("Йошкар-Ола") == "иошкар-ола")
        #expect(TextFolding.foldedString("Ωμέγα") == "ωμεγα")
        #expect(TextFolding.foldedString("ana@example.com") == "ana@example.com")
        // Precomposed and decomposed spellings fold alike, so a search finds either.
        #expect(TextFolding.foldedString("Jos\u{E9}") == TextFolding.foldedString("Jose\u{301}"))
    }

    @Test func aFoldedNeedleIsFoundInAFoldedName() {
        let name = TextFolding.folded("Zoë Müller-Lüdenscheidt")
        #expect(TextFolding.contains(name, TextFolding.folded("zoe")))
        #expect(TextFolding.contains(name, TextFolding.folded("MULLER")))
        #expect(!TextFolding.contains(name, TextFolding.folded("mueller")))
    }

    /// The word-at-a-time search agrees with a plain scan at every length and alignment: matches in
    /// whole blocks, in the tail, across a block's edge, at the very end, and never past the end.
    @Test func theBlockSearchAgreesWithAPlainScan() {
        func plainContains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
            needle.isEmpty
                || (0..<max(0, haystack.count - needle.count + 1)).contains {
                    haystack[$0..<$0 + needle.count].elementsEqual(needle)
                }
        }
        var random = SplitMix64(seed: 17)
        // Three letters and a byte with the high bit set, so needles match often and lanes with 0x80
        // and 0x00 bytes are exercised.
        let alphabet: [UInt8] = [0x61, 0x62, 0x63, 0xC3, 0x00]
        var found = 0
        for _ in 0..<20_000 {
            let haystack = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                alphabet.randomElement(using: &random)!
            }
            let needle: [UInt8]
            if !haystack.isEmpty && Bool.random(using: &random) {
                let start = Int.random(in: 0..<haystack.count, using: &random)
                let end = Int.random(in: start...min(haystack.count, start + 6), using: &random)
                needle = Array(haystack[start..<end])
            } else {
                needle = (0..<Int.random(in: 0...5, using: &random)).map { _ in
                    alphabet.randomElement(using: &random)!
                }
            }
            let expected = plainContains(haystack, needle)
            if expected { found += 1 }
            #expect(TextFolding.contains(haystack, needle) == expected, "\(haystack) \(needle)")
        }
        #expect(found > 5_000 && found < 15_000)

        // A match that would only exist with the bytes after the haystack (the next user's text in
        // the store's buffer) is no match.
        let buffer = Array("user1@corp.example\u{1}ab".utf8)
        buffer.withUnsafeBufferPointer { bytes in
            for end in 1..<bytes.count {
                let haystack = UnsafeBufferPointer(rebasing: bytes[0..<end])
                Array("ab".utf8).withUnsafeBufferPointer { #expect(TextFolding.contains(haystack, $0) == false) }
                Array("\u{1}a".utf8).withUnsafeBufferPointer {
                    #expect(TextFolding.contains(haystack, $0) == (end == bytes.count - 1))
                }
            }
        }
    }

    @Test func namesSortFoldedWithDigitsAsNumbers() {
        let names = ["Org 10", "org 9", "Beta", "Élan", "alpha", "Org 009b", "Elam", "Org 9a"]
        #expect(
            names.sorted(by: TextFolding.precedes) == [
                "alpha", "Beta", "Elam", "Élan", "org 9", "Org 9a", "Org 009b", "Org 10",
            ])
        #expect(!TextFolding.precedes("Org", "org"))
        #expect(TextFolding.precedes("Org", "Org 1"))
    }

    @Test func retryWaitsShowOneDecimalUnderTenSeconds() {
        let call = APICall(method: "PUT", path: "/orgs/…/roles", version: .v20230101)
        #expect(StatusText.retryWait(call: call, seconds: 5.5, attempt: 2, reason: "429").contains("waiting 5.5s"))
        #expect(StatusText.retryWait(call: call, seconds: 0.04, attempt: 1, reason: "429").contains("waiting 0.0s"))
        #expect(StatusText.retryWait(call: call, seconds: 3, attempt: 1, reason: "429").contains("waiting 3.0s"))
        #expect(StatusText.retryWait(call: call, seconds: 55.4, attempt: 1, reason: "429").contains("waiting 55s"))
    }

    @Test func daysAreISODatesInUTC() {
        #expect(StatusText.day(Date(timeIntervalSince1970: 1_814_400_000)) == "2027-07-01")
        #expect(StatusText.day(Date(timeIntervalSince1970: 1_814_486_399)) == "2027-07-01")
    }
}
