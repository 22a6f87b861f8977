import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Renders users as a pretty-printed JSON array with the server's values unchanged.
///
/// JSON escapes control characters itself, so the output is safe on a terminal and exact for programs.
enum UserJSONRenderer {
    /// One user as `list --output json` prints it: stable field names, roles in checklist order.
    struct Record: Encodable {
        var id: String
        var username: String
        var firstName: String?
        var lastName: String?
        var status: String
        var orgRoles: [String]
        var teamIds: [String]
        /// ISO 8601, UTC; absent when the user never logged in (or is an invitation).
        var lastAuth: String?
        /// When the membership began, ISO 8601, UTC; absent when the server did not say.
        var createdAt: String?

        init(_ user: OrgUser) {
            id = user.id
            username = user.username
            firstName = user.firstName
            lastName = user.lastName
            status = user.status.rawValue
            orgRoles = user.orgRoles.sorted().map(\.rawValue)
            teamIds = user.teamIds
            lastAuth = user.lastAuth?.formatted(.iso8601)
            createdAt = user.createdAt?.formatted(.iso8601)
        }
    }

    /// Users encoded per call. Encoding the whole array at once held every record, the encoder's
    /// tree of them and the output twice (Data, then String): several times `list`'s whole peak.
    static let batchSize = 256

    static func render(_ users: [OrgUser]) throws -> String {
        try ChunkedWriter.collect { try write(users, to: &$0) }
    }

    /// Writes the array a batch of users at a time, byte for byte what one `encode` of the whole
    /// array gives: each batch is encoded as an array by the same encoder and its brackets are
    /// dropped, since an element's text does not depend on its neighbours.
    static func write(_ users: some Sequence<OrgUser>, to writer: inout ChunkedWriter) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let open = Array("[\n".utf8)
        let close = Array("\n]".utf8)
        var batch: [Record] = []
        batch.reserveCapacity(batchSize)
        var isFirstBatch = true
        func flushBatch(_ writer: inout ChunkedWriter) throws {
            let data = Self.escapingInvisibleText(try encoder.encode(batch))
            batch.removeAll(keepingCapacity: true)
            // `[\n` + elements joined by `,\n` + `\n]`, whatever the count (the encoder writes an
            // empty array differently, which is why an empty list never comes here).
            guard data.starts(with: open), data.reversed().starts(with: close.reversed()) else {
                throw EncodingError.invalidValue(
                    data, .init(codingPath: [], debugDescription: "unexpected JSON array layout"))
            }
            writer.write(isFirstBatch ? "[\n" : ",\n")
            writer.write(data.dropFirst(open.count).dropLast(close.count))
            isFirstBatch = false
        }
        for user in users {
            batch.append(Record(user))
            if batch.count == batchSize { try flushBatch(&writer) }
        }
        if !batch.isEmpty { try flushBatch(&writer) }
        if isFirstBatch {
            writer.write(String(decoding: try encoder.encode([Record]()), as: UTF8.self) + "\n")
        } else {
            writer.write("\n]\n")
        }
    }

    /// `json` with every scalar ``SafeText/isUnsafe(_:)`` flags (C1 controls, bidi controls, invisible
    /// format characters; the encoder escapes C0 itself) and the zero-width joiner written as `\uXXXX`
    /// escapes: the same JSON to a parser, but nothing a terminal acts on when the output is read
    /// with `cat` or `less`, and no look-alike email in a diff.
    static func escapingInvisibleText(_ json: Data) -> Data {
        // Most output is ASCII: no scalar above U+007F, nothing to do.
        guard json.contains(where: { $0 >= 0x80 }) else { return json }
        // Byte by byte, decoding only the multi-byte sequences: a scalar-by-scalar String rebuild
        // took most of `list -o json`'s time once names were not ASCII.
        let bytes = [UInt8](json)
        var escaped: [UInt8] = []
        escaped.reserveCapacity(bytes.count + bytes.count / 16)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            // Below U+0080 is the layout (newlines, indentation) and what the encoder escaped already.
            guard lead >= 0x80 else {
                escaped.append(lead)
                index += 1
                continue
            }
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            let end = min(index + length, bytes.count)
            let sequence = bytes[index..<end]
            let decoded = String(decoding: sequence, as: UTF8.self).unicodeScalars
            if decoded.count == 1, let scalar = decoded.first,
                SafeText.isUnsafe(scalar) || scalar.value == 0x200D
            {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    escaped.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            } else {
                escaped.append(contentsOf: sequence)
            }
            index = end
        }
        return Data(escaped)
    }
}
