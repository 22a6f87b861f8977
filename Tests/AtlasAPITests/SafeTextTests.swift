import AtlasAPI
import Testing

/// ``SafeText/isUnsafe(_:)`` is the one hostile-text predicate: the sanitizer and the screen's
/// last-line backstop (`TextWidth`) both ask it. It must hold for everything either of them caught
/// when each had its own table, and for nothing a name needs.
@Suite struct SafeTextTests {
    /// The union of the two former tables: C0 controls, DEL and C1 controls, the bidi embeddings,
    /// overrides, isolates and marks, and the line and paragraph separators; and the invisible format
    /// characters that make look-alike emails (zero-width space and non-joiner, word joiner, soft
    /// hyphen, byte order mark, tag characters).
    static let unsafe: [UInt32] =
        Array(0x00...0x1F) + Array(0x7F...0x9F) + Array(0x202A...0x202E) + Array(0x2066...0x2069)
        + [0x200E, 0x200F, 0x061C, 0x2028, 0x2029, 0x200B, 0x200C, 0x2060, 0x206A, 0xAD, 0xFEFF, 0xE0041, 0xE0001]

    /// Neighbours of the unsafe ranges and what names are made of: joiners (emoji sequences), no-break
    /// space, accents, CJK, emoji.
    static let safe: [UInt32] = [
        0x20, 0x41, 0x7E, 0xA0, 0xE9, 0x301, 0x061B, 0x061D, 0x200D, 0x2027, 0x202F, 0x2065, 0x3000, 0x674E,
        0x1F469, 0xFE0F, 0xAC00,
    ]

    @Test func theUnionOfBothFormerTablesIsUnsafe() throws {
        for value in Self.unsafe {
            let scalar = try #require(Unicode.Scalar(value))
            #expect(SafeText.isUnsafe(scalar), "U+\(String(value, radix: 16, uppercase: true))")
        }
        for value in Self.safe {
            let scalar = try #require(Unicode.Scalar(value))
            #expect(!SafeText.isUnsafe(scalar), "U+\(String(value, radix: 16, uppercase: true))")
        }
    }

    /// Every scalar the predicate flags is shown in a visible, harmless form, and no other is touched.
    @Test func sanitizingLeavesNoUnsafeScalarAndTouchesNothingElse() {
        for value in UInt32(0)...0x3000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a\(Character(scalar))b"
            let sanitized = SafeText.sanitized(text)
            #expect(!sanitized.unicodeScalars.contains(where: SafeText.isUnsafe), "U+\(String(value, radix: 16))")
            // A joiner between two letters is marked (a look-alike); only an emoji sequence keeps it.
            let marked = SafeText.isUnsafe(scalar) || value == 0x200D
            #expect((sanitized == text) == !marked, "U+\(String(value, radix: 16))")
            #expect(sanitized.unicodeScalars.first == "a" && sanitized.unicodeScalars.last == "b")
        }
        #expect(SafeText.sanitized("x\u{2028}y\u{2029}z") == "x⟨U+2028⟩y⟨U+2029⟩z")
        #expect(SafeText.sanitized("ad\u{200B}min@example.com") == "ad⟨U+200B⟩min@example.com")
        #expect(SafeText.sanitized("ad\u{200D}min") == "ad⟨U+200D⟩min")
        #expect(SafeText.sanitized("👩\u{200D}💻 Ada") == "👩\u{200D}💻 Ada")
        #expect(SafeText.sanitized("line\nnext", keepNewlines: true) == "line\nnext")
    }
}
