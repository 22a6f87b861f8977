import AtlasAPI
import AtlasSandbox
import Foundation
import RoleEditor
import TerminalUI
import Testing

@testable import atlas_roles

/// `list`'s streamed output against the renderers it replaced, which built the whole output as one
/// String (and JSON through one `JSONEncoder` call): the bytes must not change.
@Suite struct ListOutputEquivalenceTests {
    /// Hand-made users that exercise every branch: hostile and wide text, missing and empty names,
    /// unknown roles and statuses, team ids, a quote and a comma, and emails equal but for case.
    static let users: [OrgUser] =
        OutputTests.users + [
            OrgUser(
                id: "dddddddddddddddddddddddd", username: "ADA@example.com", firstName: "", lastName: nil,
                status: .other("SUSPENDED"), orgRoles: [OrgRole(rawValue: "ORG_WIZARD"), .member],
                teamIds: ["t1", "t/2"]),
            OrgUser(
                id: "eeeeeeeeeeeeeeeeeeeeeeee", username: "zoë,\"quoted\"@example.com", firstName: "Zoë",
                lastName: "😀 \u{7}bell", status: .invitationExpired, orgRoles: []),
            OrgUser(
                id: "ffffffffffffffffffffffff", username: "\(String(repeating: "long", count: 15))@example.com",
                firstName: String(repeating: "名", count: 20), lastName: "-x", orgRoles: [.owner, .billingAdmin]),
            // Canonically equivalent emails (é precomposed and decomposed): both fold to "rene", so the
            // id decides, where their bytes would put the decomposed one first.
            OrgUser(id: "000000000000000000000000", username: "ren\u{E9}@example.com", orgRoles: [.member]),
            OrgUser(id: "111111111111111111111111", username: "rene\u{301}@example.com", orgRoles: [.member]),
        ]

    /// Many users of every shape, in an order that needs sorting.
    static let many: [OrgUser] = (0..<1_500).map { number in
        var user = users[number % users.count]
        let hex = String(0xabc_0000 + number * 7919 % 1_500, radix: 16)
        user.id = String(repeating: "0", count: 24 - hex.count) + hex
        user.username = "\(number * 31 % 1_500)-" + user.username
        return user
    }

    /// The users sorted as `list` prints them (by email folded as the screen folds it: case and
    /// accents set aside, then by id), and through the store as `list` reads them.
    static func listed(_ users: [OrgUser], chunkSize: Int) -> (sorted: [OrgUser], stored: [OrgUser]) {
        func key(_ user: OrgUser) -> [UInt8] {
            Array(
                user.username.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased().utf8
            )
        }
        let sorted = users.sorted {
            key($0) != key($1) ? key($0).lexicographicallyPrecedes(key($1)) : $0.id < $1.id
        }
        let directory = UserDirectory(store: UserStore(users))
        return (sorted, UserFilter().selectedRows(in: directory.store, now: Date()).map { directory.store[$0] })
    }

    static func render(_ format: UserListFormat, _ users: [OrgUser], chunkSize: Int) throws -> String {
        var text = ""
        var writer = ChunkedWriter(chunkSize: chunkSize) { text += $0 }
        switch format {
        case .table: UserTableRenderer.write(users, to: &writer)
        case .json: UserJSONRenderer.write(users, to: &writer)
        case .csv: UserCSVRenderer.write(users, to: &writer)
        }
        writer.flush()
        return text
    }

    static func legacy(_ format: UserListFormat, _ users: [OrgUser]) throws -> String {
        switch format {
        case .table: LegacyRenderers.table(users)
        case .json: try LegacyRenderers.json(users)
        case .csv: LegacyRenderers.csv(users)
        }
    }

    @Test(arguments: UserListFormat.allCases, [1, 7, 1 << 16])
    func streamedOutputEqualsTheWholeStringRenderers(format: UserListFormat, chunkSize: Int) throws {
        for users in [[], [Self.users[0]], Self.users, Self.many] {
            let (sorted, stored) = Self.listed(users, chunkSize: chunkSize)
            #expect(stored == sorted)
            let streamed = try Self.render(format, stored, chunkSize: chunkSize)
            let expected = try Self.legacy(format, sorted)
            expectSameBytes(streamed, expected, "\(format), \(users.count) users, chunks of \(chunkSize)")
        }
    }

    @Test func chunksStayNearTheirSize() {
        var pieces: [String] = []
        var writer = ChunkedWriter(chunkSize: 100) { pieces.append($0) }
        UserCSVRenderer.write(Self.many, to: &writer)
        writer.flush()
        #expect(pieces.count > 100)
        // A piece is handed over once it reaches the size, so it exceeds it by at most one row.
        #expect(pieces.allSatisfy { $0.utf8.count < 100 + 400 })
    }

    @Test(arguments: UserListFormat.allCases)
    func listAgainstTheSandboxEqualsTheWholeStringRenderers(format: UserListFormat) async throws {
        try await withHarness(users: 700) { harness in
            let result = try await harness.run(["list", "-o", format.rawValue])
            #expect(result.status == .success, "\(result.err)")
            var users: [OrgUser] = []
            let key = harness.sandbox.credentials.apiKey
            var configuration = AtlasClientConfiguration(
                baseURL: harness.sandbox.baseURL + "/",
                credentials: .apiKey(publicKey: key.publicKey, privateKey: key.privateKey))
            configuration.certificateTrust = CertificateTrust(caFile: harness.sandbox.caCertificatePath)
            let client = try AtlasClient(configuration: configuration)
            for try await page in client.orgUsers(orgId: harness.orgId) { users += page.users }
            let sorted = Self.listed(users, chunkSize: 1).sorted
            #expect(sorted.count == 700)
            expectSameBytes(result.out, try Self.legacy(format, sorted), "\(format)")
        }
    }
}

/// The renderers as they were before `list` streamed its output, kept as the reference.
enum LegacyRenderers {
    static func csv(_ users: [OrgUser]) -> String {
        var output = UserCSVRenderer.line(UserCSVRenderer.header)
        for user in users {
            output += UserCSVRenderer.line([
                user.id, user.username, user.firstName ?? "", user.lastName ?? "", user.status.rawValue,
                user.orgRoles.sorted().map(\.rawValue).joined(separator: ";"),
                user.lastAuth?.formatted(.iso8601) ?? "", user.createdAt?.formatted(.iso8601) ?? "",
                user.teamIds.joined(separator: ";"),
            ])
        }
        return output
    }

    static func json(_ users: [OrgUser]) throws -> String {
        try UserJSONReference.render(users)
    }

    static func table(_ users: [OrgUser]) -> String {
        TerminalLocale.prepare()
        let header = ["USERNAME", "NAME", "STATUS", "ORG ROLES", "ID"]
        let rows: [[String]] =
            users.map { user in
                [
                    SafeText.sanitized(user.username),
                    SafeText.sanitized(user.displayName ?? "-"),
                    SafeText.sanitized(user.status.rawValue),
                    user.orgRoles.isEmpty
                        ? "-" : user.orgRoles.sorted().map(RoleNaming.console.name).joined(separator: ", "),
                    SafeText.sanitized(user.id),
                ]
            }
        let limits = [
            UserTableRenderer.maximumWidths.username, UserTableRenderer.maximumWidths.name, Int.max, Int.max, Int.max,
        ]
        var widths = header.map(TextWidth.width)
        for row in rows {
            for (column, cell) in row.enumerated() {
                widths[column] = min(limits[column], max(widths[column], TextWidth.width(cell)))
            }
        }
        var output = ""
        for row in [header] + rows {
            var line = ""
            for (column, cell) in row.enumerated() {
                let isLast = column == row.count - 1
                line += isLast ? cell : TextWidth.fitted(cell, to: widths[column]) + "  "
            }
            output += line + "\n"
        }
        return output
    }
}
