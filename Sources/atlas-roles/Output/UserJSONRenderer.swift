import AtlasAPI
import Foundation

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

        init(_ user: OrgUser) {
            id = user.id
            username = user.username
            firstName = user.firstName
            lastName = user.lastName
            status = user.status.rawValue
            orgRoles = user.orgRoles.sorted().map(\.rawValue)
            teamIds = user.teamIds
        }
    }

    static func render(_ users: [OrgUser]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(users.map(Record.init))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
