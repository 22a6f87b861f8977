import Foundation

/// Case- and diacritic-insensitive folding shared by search keys and filter terms, so both sides agree.
enum TextFolding {
    /// `"Élodie"` → `"elodie"`, as UTF-8 bytes ready for a byte-wise substring search.
    static func folded(_ text: String) -> [UInt8] {
        Array(foldedString(text).utf8)
    }

    static func foldedString(_ text: String) -> String {
        // ASCII is by far the common case for emails; lowercasing it by hand avoids Foundation's
        // per-call overhead at load time over 100,000 users.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }

    /// True when `needle` occurs in `haystack` (both already folded). Empty needles match everything.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
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
