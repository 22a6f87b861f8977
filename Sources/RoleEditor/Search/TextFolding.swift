// Canonical decomposition (`_nfd`) is the one thing here Foundation would otherwise be needed for: its
// `folding(options:locale:)` lives in full Foundation, whose link brings in ICU's data (about 40 MB of
// a static binary). FoundationEssentials decomposes strings with this same standard-library SPI.
@_spi(_Unicode) import Swift

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Case- and diacritic-insensitive folding shared by search keys and filter terms, so both sides agree.
package enum TextFolding {
    /// `"Élodie"` → `"elodie"`, as UTF-8 bytes ready for a byte-wise substring search.
    package static func folded(_ text: String) -> [UInt8] {
        Array(foldedString(text).utf8)
    }

    package static func foldedString(_ text: String) -> String {
        // ASCII is by far the common case for emails; it has nothing to decompose, and skipping the
        // decomposition keeps load time low over 100,000 users.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        // Decomposed, "é" is "e" and U+0301; dropping the combining marks leaves the base letters.
        var bases = String.UnicodeScalarView()
        for scalar in text._nfd where scalar.properties.generalCategory != .nonspacingMark {
            bases.append(scalar)
        }
        return String(bases).lowercased()
    }

    /// Whether `lhs` sorts before `rhs` the way people read names: folded as above, and runs of digits
    /// compared as numbers ("Org 9" before "Org 10").
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = foldedString(lhs)[...]
        var right = foldedString(rhs)[...]
        while let l = left.first, let r = right.first {
            if l.isASCII && l.isNumber && r.isASCII && r.isNumber {
                let leftDigits = left.prefix { $0.isASCII && $0.isNumber }
                let rightDigits = right.prefix { $0.isASCII && $0.isNumber }
                let leftNumber = leftDigits.drop { $0 == "0" }
                let rightNumber = rightDigits.drop { $0 == "0" }
                if leftNumber.count != rightNumber.count { return leftNumber.count < rightNumber.count }
                if leftNumber != rightNumber { return leftNumber < rightNumber }
                left = left.dropFirst(leftDigits.count)
                right = right.dropFirst(rightDigits.count)
            } else {
                if l != r { return l < r }
                left = left.dropFirst()
                right = right.dropFirst()
            }
        }
        return left.isEmpty && !right.isEmpty
    }

    /// True when `needle` occurs in `haystack` (both already folded). Empty needles match everything.
    package static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { hay in needle.withUnsafeBufferPointer { contains(hay, $0) } }
    }

    /// The search loop of every filter keystroke, over one user's folded text (about 45 bytes).
    ///
    /// Longer needles, eight start positions at a time: a word of the text and the same word one byte
    /// on are compared with the needle's first and second bytes at once (SWAR), and only positions
    /// where both agree are checked further. `memchr` per candidate of the first byte was slower on
    /// such short texts: a common first letter (`e` of `el`, in "user" and "example" of every email)
    /// made it a call per letter, and narrowing `e` to `el` rescans every user
    /// (`Benchmarks/RESULTS.md`, row 3).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = needle.count
        if n == 0 { return true }
        guard n <= haystack.count, let hay = haystack.baseAddress, let ndl = needle.baseAddress else { return false }
        let first = ndl[0]
        // One byte is one `memchr` call (vectorized): the first key of a filter, over every user.
        if n == 1 { return memchr(hay, Int32(first), haystack.count) != nil }
        let lastStart = haystack.count - n
        let second = ndl[1]
        let firstPattern = UInt64(first) &* byteLanes
        let secondPattern = UInt64(second) &* byteLanes
        let raw = UnsafeRawPointer(hay)
        // True when the needle starts at one of the eight positions from `block`. The loads reach byte
        // `block + 8`, inside the haystack while `block + 8 <= positions`, as `positions + n - 1` (n at
        // least 2) is its length.
        func blockMatches(at block: Int) -> Bool {
            let here = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: block, as: UInt64.self))
            let next = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: block + 1, as: UInt64.self))
            var candidates = zeroBytes(here ^ firstPattern) & zeroBytes(next ^ secondPattern)
            while candidates != 0 {
                if matchesRest(hay + block + candidates.trailingZeroBitCount / 8, ndl, n) { return true }
                candidates &= candidates - 1
            }
            return false
        }
        let positions = lastStart + 1
        guard positions >= 8 else {
            for start in 0..<positions
            where hay[start] == first && hay[start + 1] == second && matchesRest(hay + start, ndl, n) {
                return true
            }
            return false
        }
        var block = 0
        while block + 8 <= positions {
            if blockMatches(at: block) { return true }
            block += 8
        }
        // The last positions as one more block ending at the last one, overlapping positions already
        // tried (harmless) rather than trying them one by one.
        return block < positions && blockMatches(at: positions - 8)
    }

    /// `0x0101…01`: a byte times this fills every lane of a word with it.
    private static let byteLanes: UInt64 = 0x0101_0101_0101_0101

    /// The high bit of each byte of `word` that is zero, and no other bit (exact: no borrow crosses
    /// from one byte to the next, unlike the shorter `(x - 0x01…) & ~x` test).
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        let low7 = byteLanes &* 0x7F
        return ~(((word & low7) &+ low7) | word | low7)
    }

    /// True when the needle's bytes after its first two equal those at `candidate` (the first two
    /// already do). A loop, not `memcmp`: the rest of a typed word is a few bytes, shorter than a call.
    @inline(__always)
    private static func matchesRest(_ candidate: UnsafePointer<UInt8>, _ needle: UnsafePointer<UInt8>, _ n: Int)
        -> Bool
    {
        var index = 2
        while index < n {
            if candidate[index] != needle[index] { return false }
            index += 1
        }
        return true
    }
}
