import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Renders users as a pretty-printed JSON array with the server's values unchanged.
///
/// The text is byte for byte what `JSONEncoder` with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` gave for the same records (keys sorted, two-space indents, `" : "`,
/// absent fields left out, an empty array as `[`, an empty line, `]`), with the invisible text of
/// ``appendQuoted(_:to:)`` escaped as well; it is written straight into bytes because the encoder
/// was most of `list -o json`'s time after the last page arrived. The test target keeps the encoder
/// as the reference.
///
/// ```json
/// [
///   {
///     "id" : "aaaaaaaaaaaaaaaaaaaaaaaa",
///     "orgRoles" : [
///       "ORG_OWNER"
///     ],
///     "status" : "ACTIVE",
///     "teamIds" : [
///
///     ],
///     "username" : "ada@example.com"
///   }
/// ]
/// ```
enum UserJSONRenderer {
    static func render(_ users: [OrgUser]) -> String {
        ChunkedWriter.collect { write(users, to: &$0) }
    }

    /// Writes the array a user at a time, as they come.
    static func write(_ users: some Sequence<OrgUser>, to writer: inout ChunkedWriter) {
        var isFirst = true
        for user in users {
            writer.writeUTF8 { bytes in
                bytes.append(isFirst ? Layout.arrayOpen : Layout.separator)
                appendRecord(user, to: &bytes)
            }
            isFirst = false
        }
        writer.write(isFirst ? "[\n\n]\n" : "\n]\n")
    }

    /// One user's object, indented as an element of the top-level array; fields in key order:
    /// createdAt, firstName, id, lastAuth, lastName, orgRoles (in checklist order), status, teamIds,
    /// username. Dates are ISO 8601 in UTC and absent, like names, when the server gave none.
    static func appendRecord(_ user: OrgUser, to bytes: inout [UInt8]) {
        bytes.append(Layout.objectOpen)
        appendField(Layout.createdAt, user.createdAt, to: &bytes)
        appendField(Layout.firstName, user.firstName, to: &bytes)
        appendField(Layout.id, user.id, to: &bytes)
        appendField(Layout.lastAuth, user.lastAuth, to: &bytes)
        appendField(Layout.lastName, user.lastName, to: &bytes)
        bytes.append(Layout.orgRoles)
        appendStrings(user.orgRoles.sorted().lazy.map(\.rawValue), to: &bytes)
        bytes.append(Layout.separator)
        appendField(Layout.status, user.status.rawValue, to: &bytes)
        bytes.append(Layout.teamIds)
        appendStrings(user.teamIds, to: &bytes)
        bytes.append(Layout.separator)
        // The last field: no separator after it.
        bytes.append(Layout.username)
        appendQuoted(user.username, to: &bytes)
        bytes.append(Layout.objectClose)
    }

    /// `key`, the string and the separator; nothing when the value is absent.
    private static func appendField(_ key: StaticString, _ value: String?, to bytes: inout [UInt8]) {
        guard let value else { return }
        bytes.append(key)
        appendQuoted(value, to: &bytes)
        bytes.append(Layout.separator)
    }

    /// `key`, the date as a string and the separator; nothing when the date is absent.
    private static func appendField(_ key: StaticString, _ date: Date?, to bytes: inout [UInt8]) {
        guard let date else { return }
        bytes.append(key)
        bytes.append(UInt8(ascii: "\""))
        ISO8601Text.append(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(Layout.separator)
    }

    /// An array of strings as the value of a record's field (two levels in).
    private static func appendStrings(_ strings: some Collection<String>, to bytes: inout [UInt8]) {
        guard !strings.isEmpty else {
            bytes.append(Layout.emptyFieldArray)
            return
        }
        var isFirst = true
        for string in strings {
            bytes.append(isFirst ? Layout.fieldArrayOpen : Layout.fieldArrayElementSeparator)
            appendQuoted(string, to: &bytes)
            isFirst = false
        }
        bytes.append(Layout.fieldArrayClose)
    }

    /// `text` as a JSON string: `"` and `\` escaped, C0 controls as the encoder writes them (`\b`,
    /// `\t`, `\n`, `\f`, `\r`, else `\u00xx`), `/` and DEL as they are; and every scalar
    /// ``SafeText/isUnsafe(_:)`` flags above U+007F (C1 controls, bidi controls, line separators,
    /// invisible format characters) and the zero-width joiner as `\uxxxx` escapes of its UTF-16
    /// units: the same string to a parser, but nothing a terminal acts on when the output is read
    /// with `cat` or `less`, and no look-alike email in a diff.
    static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Bytes that need no escape are copied a run at a time.
            var runStart = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                if byte >= 0x80 {
                    let (scalar, length) = decodeScalar(utf8, at: index)
                    if SafeText.isUnsafe(scalar) || scalar.value == 0x200D {
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                        for unit in scalar.utf16 { appendUnicodeEscape(unit, to: &bytes) }
                        runStart = index + length
                    }
                    index += length
                } else if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    appendEscape(ofASCII: byte, to: &bytes)
                    index += 1
                    runStart = index
                } else {
                    index += 1
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The scalar whose UTF-8 starts at `index` of valid UTF-8 (a String's), and its length in bytes.
    private static func decodeScalar(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(utf8[index])
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = lead & (0x7F >> length)
        for offset in 1..<length { value = value << 6 | UInt32(utf8[index + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    private static func appendEscape(ofASCII byte: UInt8, to bytes: inout [UInt8]) {
        let short: UInt8? =
            switch byte {
            case UInt8(ascii: "\""): UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): UInt8(ascii: "\\")
            case 0x08: UInt8(ascii: "b")
            case 0x09: UInt8(ascii: "t")
            case 0x0A: UInt8(ascii: "n")
            case 0x0C: UInt8(ascii: "f")
            case 0x0D: UInt8(ascii: "r")
            default: nil
            }
        if let short {
            bytes.append(UInt8(ascii: "\\"))
            bytes.append(short)
        } else {
            appendUnicodeEscape(UInt16(byte), to: &bytes)
        }
    }

    /// `\u` and four lowercase hex digits.
    private static func appendUnicodeEscape(_ unit: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            let digit = UInt8(truncatingIfNeeded: unit >> UInt16(shift)) & 0xF
            bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }

    /// The fixed text between values: `JSONEncoder`'s pretty printing, indented two spaces a level.
    private enum Layout {
        static let arrayOpen: StaticString = "[\n"
        /// Between elements of the top-level array and between fields.
        static let separator: StaticString = ",\n"
        static let objectOpen: StaticString = "  {\n"
        static let objectClose: StaticString = "\n  }"
        static let emptyFieldArray: StaticString = "[\n\n    ]"
        static let fieldArrayOpen: StaticString = "[\n      "
        static let fieldArrayElementSeparator: StaticString = ",\n      "
        static let fieldArrayClose: StaticString = "\n    ]"
        static let createdAt: StaticString = "    \"createdAt\" : "
        static let firstName: StaticString = "    \"firstName\" : "
        static let id: StaticString = "    \"id\" : "
        static let lastAuth: StaticString = "    \"lastAuth\" : "
        static let lastName: StaticString = "    \"lastName\" : "
        static let orgRoles: StaticString = "    \"orgRoles\" : "
        static let status: StaticString = "    \"status\" : "
        static let teamIds: StaticString = "    \"teamIds\" : "
        static let username: StaticString = "    \"username\" : "
    }
}

extension [UInt8] {
    /// Appends fixed ASCII text without the reference counting of an array constant.
    fileprivate mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}
