/// The reader of a body that cannot read it exactly as `JSONDecoder` would (or is not sure it can).
struct JSONDoubt: Error {}

/// A strict, bounded reader of JSON text over a body's bytes, for the hot pages the client reads
/// thousands of users from. It accepts only what `JSONDecoder` certainly accepts in the same way (valid
/// UTF-8, the JSON grammar, escapes that name a Unicode scalar, nesting at most ``maximumDepth`` deep,
/// unescaped ASCII keys) and throws ``JSONDoubt`` at anything else, so its callers can hand the body to
/// `JSONDecoder` and get today's answer (or today's error) for it.
struct JSONBytes {
    let bytes: UnsafeRawBufferPointer
    private(set) var index = 0

    /// Deeper values are left to `JSONDecoder`, whose own limit and error then apply.
    static let maximumDepth = 64

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The next byte that is not white space, not consumed.
    mutating func peek() throws(JSONDoubt) -> UInt8 {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return bytes[index]
            }
        }
        throw JSONDoubt()
    }

    /// Nothing but white space is left.
    mutating func expectEnd() throws(JSONDoubt) {
        guard (try? peek()) == nil else { throw JSONDoubt() }
    }

    /// Consumes a `null` when one is next.
    mutating func consumeNull() throws(JSONDoubt) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ text: StaticString) throws(JSONDoubt) {
        let count = text.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw JSONDoubt() }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { throw JSONDoubt() }
        index += count
    }

    // MARK: Objects and arrays

    /// Consumes the `{` of an object.
    mutating func beginObject() throws(JSONDoubt) {
        guard try peek() == UInt8(ascii: "{") else { throw JSONDoubt() }
        index += 1
    }

    /// The next key of the object being read (its bytes, between the quotes), with the reader at its
    /// value; nil, with the `}` consumed, when the object ends. Keys with escapes or non-ASCII bytes are
    /// doubted: `JSONDecoder` compares keys as Strings (canonical equivalence), bytes are not that.
    mutating func nextKey(_ isFirst: inout Bool) throws(JSONDoubt) -> Range<Int>? {
        var byte = try peek()
        if byte == UInt8(ascii: "}") {
            index += 1
            return nil
        }
        if !isFirst {
            guard byte == UInt8(ascii: ",") else { throw JSONDoubt() }
            index += 1
            byte = try peek()
        }
        isFirst = false
        guard byte == UInt8(ascii: "\"") else { throw JSONDoubt() }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { throw JSONDoubt() }
            index += 1
        }
        guard index < bytes.count else { throw JSONDoubt() }
        let key = start..<index
        index += 1
        guard try peek() == UInt8(ascii: ":") else { throw JSONDoubt() }
        index += 1
        return key
    }

    /// True when `key` is `name`, byte for byte.
    func key(_ key: Range<Int>, is name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count == key.count else { return false }
        for offset in 0..<name.count where name[offset] != bytes[key.lowerBound + offset] { return false }
        return true
    }

    /// Consumes the `[` of an array.
    mutating func beginArray() throws(JSONDoubt) {
        guard try peek() == UInt8(ascii: "[") else { throw JSONDoubt() }
        index += 1
    }

    /// True, with the reader at the next element, while the array being read has one; false, with the
    /// `]` consumed, at its end.
    mutating func nextElement(_ isFirst: inout Bool) throws(JSONDoubt) -> Bool {
        let byte = try peek()
        if byte == UInt8(ascii: "]") {
            index += 1
            return false
        }
        if !isFirst {
            guard byte == UInt8(ascii: ",") else { throw JSONDoubt() }
            index += 1
        }
        isFirst = false
        return true
    }

    // MARK: Scalars

    /// True when a string is next.
    mutating func atString() throws(JSONDoubt) -> Bool { try peek() == UInt8(ascii: "\"") }

    /// The string that is next, its escapes decoded. Doubted: raw control characters, invalid UTF-8,
    /// and `\u` escapes that are lone surrogates.
    mutating func string() throws(JSONDoubt) -> String {
        let raw = try rawString()
        if let plain = raw.plain {
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[plain]), as: UTF8.self)
        }
        return String(decoding: raw.decoded, as: UTF8.self)
    }

    /// The next string as its bytes in the body when it has no escapes (`plain`), else decoded.
    mutating func rawString() throws(JSONDoubt) -> (plain: Range<Int>?, decoded: [UInt8]) {
        guard try peek() == UInt8(ascii: "\"") else { throw JSONDoubt() }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start..<(index - 1), [])
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += byte < 0x80 ? 1 : try utf8SequenceLength(at: index)
        }
        var decoded = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (nil, decoded)
            }
            guard byte >= 0x20 else { throw JSONDoubt() }
            if byte == UInt8(ascii: "\\") {
                try escape(into: &decoded)
            } else if byte < 0x80 {
                decoded.append(byte)
                index += 1
            } else {
                let length = try utf8SequenceLength(at: index)
                decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)]))
                index += length
            }
        }
        throw JSONDoubt()
    }

    /// Decodes the escape at `index` (its backslash) onto `decoded`.
    private mutating func escape(into decoded: inout [UInt8]) throws(JSONDoubt) {
        guard index + 1 < bytes.count else { throw JSONDoubt() }
        let kind = bytes[index + 1]
        index += 2
        switch kind {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(kind)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var value = try hexUnit()
            if (0xD800...0xDBFF).contains(value) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw JSONDoubt() }
                index += 2
                let low = try hexUnit()
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONDoubt() }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            // A lone low surrogate is no scalar.
            guard let scalar = Unicode.Scalar(value) else { throw JSONDoubt() }
            UTF8.encode(scalar) { decoded.append($0) }
        default: throw JSONDoubt()
        }
    }

    /// The four hex digits at `index`, consumed.
    private mutating func hexUnit() throws(JSONDoubt) -> UInt32 {
        guard bytes.count - index >= 4 else { throw JSONDoubt() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONDoubt()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence of a non-ASCII scalar at `start` (Unicode's table 3-7:
    /// no overlong forms, no surrogates, nothing above U+10FFFF).
    private func utf8SequenceLength(at start: Int) throws(JSONDoubt) -> Int {
        let lead = bytes[start]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw JSONDoubt()
        }
        guard bytes.count - start >= length, secondRange.contains(bytes[start + 1]) else { throw JSONDoubt() }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[start + offset]) { throw JSONDoubt() }
        return length
    }

    /// The bytes of the number that is next, checked against JSON's grammar.
    mutating func number() throws(JSONDoubt) -> Range<Int> {
        _ = try peek()
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw JSONDoubt() }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard try digits() > 0 else { throw JSONDoubt() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard try digits() > 0 else { throw JSONDoubt() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard try digits() > 0 else { throw JSONDoubt() }
        }
        return start..<index
    }

    private mutating func digits() throws(JSONDoubt) -> Int {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        return index - start
    }

    /// The number that is next when it is a plain non-negative integer of at most 18 digits (which
    /// every Int holds); doubted otherwise, since `JSONDecoder` reads other forms its own way.
    mutating func plainCount() throws(JSONDoubt) -> Int {
        let range = try number()
        guard range.count <= 18 else { throw JSONDoubt() }
        var value = 0
        for position in range {
            let byte = bytes[position]
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw JSONDoubt() }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Consumes the value that is next, whatever it is, checking it as strictly as the rest.
    mutating func skipValue(depth: Int = 0) throws(JSONDoubt) {
        guard depth < Self.maximumDepth else { throw JSONDoubt() }
        switch try peek() {
        case UInt8(ascii: "{"):
            index += 1
            var isFirst = true
            while try nextKey(&isFirst) != nil { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            index += 1
            var isFirst = true
            while try nextElement(&isFirst) { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number()
        default: throw JSONDoubt()
        }
    }

    // MARK: Lenient reads, as `try? decodeIfPresent` reads

    /// The string that is next; nil for any other value (consumed).
    mutating func optionalString() throws(JSONDoubt) -> String? {
        guard try atString() else {
            try skipValue()
            return nil
        }
        return try string()
    }

    /// The array of strings that is next; nil for null, any other value, or an array holding anything
    /// but strings (consumed).
    mutating func optionalStrings() throws(JSONDoubt) -> [String]? {
        guard try peek() == UInt8(ascii: "[") else {
            try skipValue()
            return nil
        }
        index += 1
        var strings: [String] = []
        var allStrings = true
        var isFirst = true
        while try nextElement(&isFirst) {
            if try atString() {
                strings.append(try string())
            } else {
                allStrings = false
                try skipValue(depth: 1)
            }
        }
        return allStrings ? strings : nil
    }
}
