import AtlasAPI
import Foundation
import Testing

@testable import atlas_roles

/// `list -o json` as `JSONEncoder` wrote it, kept as the reference `UserJSONRenderer` must equal byte
/// for byte: the records, the encoder's settings and the escaping of invisible text on top.
enum UserJSONReference {
    /// One user as `list --output json` prints it: stable field names, roles in checklist order.
    /// Decodable too, to read the output back.
    struct Record: Codable {
        var id: String
        var username: String
        var firstName: String?
        var lastName: String?
        var status: String
        var orgRoles: [String]
        var teamIds: [String]
        var lastAuth: String?
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

    /// The whole array through one `encode`, escaped, and the final newline `list` prints.
    static func render(_ users: [OrgUser]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = escapingInvisibleText(try encoder.encode(users.map(Record.init)))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `json` with every scalar `SafeText.isUnsafe` flags (C1 controls, bidi controls, invisible
    /// format characters; the encoder escapes C0 itself) and the zero-width joiner written as `\uXXXX`
    /// escapes, as the renderer did after the encoder.
    static func escapingInvisibleText(_ json: Data) -> Data {
        guard json.contains(where: { $0 >= 0x80 }) else { return json }
        let bytes = [UInt8](json)
        var escaped: [UInt8] = []
        escaped.reserveCapacity(bytes.count + bytes.count / 16)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
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

/// Fails with the first differing byte and its surroundings unless `actual` and `expected` have the
/// same UTF-8. `String`'s `==` would not do: it takes canonically equivalent text as equal.
func expectSameBytes(
    _ actual: String, _ expected: String, _ comment: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let actualBytes = Array(actual.utf8)
    let expectedBytes = Array(expected.utf8)
    guard actualBytes != expectedBytes else { return }
    let offset = zip(actualBytes, expectedBytes).prefix { $0 == $1 }.count
    func around(_ bytes: [UInt8]) -> String {
        String(decoding: bytes[max(0, offset - 40)..<min(bytes.count, offset + 40)], as: UTF8.self).debugDescription
    }
    Issue.record(
        """
        \(comment): first difference at byte \(offset) of \(actualBytes.count) (expected \(expectedBytes.count))
        actual:   \(around(actualBytes))
        expected: \(around(expectedBytes))
        """, sourceLocation: sourceLocation)
}
