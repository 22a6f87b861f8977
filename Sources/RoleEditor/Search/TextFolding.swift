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

    /// The search loop of every filter keystroke: `memchr` finds candidates for the first byte (it is
    /// vectorized), `memcmp` checks the rest.
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = needle.count
        if n == 0 { return true }
        guard n <= haystack.count, let hay = haystack.baseAddress, let ndl = needle.baseAddress else { return false }
        let first = Int32(ndl[0])
        var position = hay
        let last = hay + (haystack.count - n)
        while position <= last {
            guard let found = memchr(position, first, last - position + 1) else { return false }
            let candidate = found.assumingMemoryBound(to: UInt8.self)
            if n == 1 || memcmp(candidate + 1, ndl + 1, n - 1) == 0 { return true }
            position = UnsafePointer(candidate) + 1
        }
        return false
    }
}
