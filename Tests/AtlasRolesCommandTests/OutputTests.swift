import AtlasAPI
import Foundation
import RoleEditor
import Testing

@testable import atlas_roles

/// The renderers and the words of `set`, on hand-made users (hostile and wide text included).
@Suite struct OutputTests {
    static let users = [
        OrgUser(
            id: "aaaaaaaaaaaaaaaaaaaaaaaa", username: "ada@example.com", firstName: "Ada", lastName: "Lovelace",
            orgRoles: [.owner]),
        OrgUser(
            id: "bbbbbbbbbbbbbbbbbbbbbbbb", username: "jun@example.com", firstName: "山田", lastName: "太郎",
            orgRoles: [.member, .readOnly], teamIds: ["t1", "t2"],
            createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            lastAuth: Date(timeIntervalSince1970: 1_750_000_000)),
        OrgUser(
            id: "cccccccccccccccccccccccc", username: "eve@example.com", firstName: "=HYPERLINK(\"x\")",
            lastName: "Eve\u{1B}[2J\u{202E}", status: .pending, orgRoles: [.readOnly]),
    ]

    @Test func tableAlignsWideCharactersAndDefusesEscapes() {
        let lines = UserTableRenderer.render(Self.users).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(!lines.joined().contains("\u{1B}"))
        #expect(!lines.joined().contains("\u{202E}"))
        // Every row's STATUS column starts at the same terminal cell, CJK names included.
        let statusColumns = lines.dropFirst().map { line -> Int in
            let prefix = line.components(separatedBy: line.contains("PENDING") ? "PENDING" : "ACTIVE")[0]
            return Self.cells(prefix)
        }
        #expect(Set(statusColumns).count == 1)
    }

    /// Terminal cells of the test data: its only wide characters are CJK ideographs.
    static func cells(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ((0x4E00...0x9FFF).contains($1.value) ? 2 : 1) }
    }

    @Test func csvQuotesAndGuardsFormulas() {
        let text = UserCSVRenderer.render(Self.users)
        let rows = text.components(separatedBy: "\r\n")
        #expect(rows[0] == "id,username,first_name,last_name,status,org_roles,last_auth,created_at,team_ids")
        #expect(
            rows[2]
                == "bbbbbbbbbbbbbbbbbbbbbbbb,jun@example.com,山田,太郎,ACTIVE,ORG_MEMBER;ORG_READ_ONLY,"
                + "2025-06-15T15:06:40Z,2023-11-14T22:13:20Z,t1;t2")
        #expect(rows[1].hasSuffix(",ORG_OWNER,,,"))
        #expect(rows[3].contains("\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func jsonKeepsValuesExactAndEscapesControls() throws {
        let text = UserJSONRenderer.render(Self.users)
        struct Record: Decodable {
            var lastName: String?
            var orgRoles: [String]
            var teamIds: [String]
            var lastAuth: String?
            var createdAt: String?
        }
        let records = try JSONDecoder().decode([Record].self, from: Data(text.utf8))
        #expect(records[1].orgRoles == ["ORG_MEMBER", "ORG_READ_ONLY"])
        #expect(records[1].teamIds == ["t1", "t2"])
        #expect(records[1].lastAuth == "2025-06-15T15:06:40Z")
        #expect(records[1].createdAt == "2023-11-14T22:13:20Z")
        #expect(records[0].lastAuth == nil && records[0].createdAt == nil)
        #expect(records[2].lastName == "Eve\u{1B}[2J\u{202E}")
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("\\u001b[2J"))
        // Still exactly the server's value to a parser, but no C1, bidi or invisible character on a
        // terminal that shows the file.
        #expect(!text.contains("\u{202E}"))
        #expect(text.contains("\\u202e"))
    }

    @Test func jsonEscapesC1BidiAndInvisibleCharactersAndStaysValid() throws {
        let tricky = [
            OrgUser(
                id: "dddddddddddddddddddddddd", username: "ad\u{200B}min@example.com", firstName: "A\u{9B}31m\u{9D}x",
                lastName: "\u{E0041}tag 👩\u{200D}💻", orgRoles: [.member])
        ]
        let text = UserJSONRenderer.render(tricky)
        for hidden in ["\u{200B}", "\u{9B}", "\u{9D}", "\u{E0041}", "\u{200D}"] { #expect(!text.contains(hidden)) }
        struct Record: Decodable {
            var username: String
            var firstName: String?
            var lastName: String?
        }
        let record = try #require(try JSONDecoder().decode([Record].self, from: Data(text.utf8)).first)
        #expect(record.username == "ad\u{200B}min@example.com")
        #expect(record.firstName == "A\u{9B}31m\u{9D}x")
        #expect(record.lastName == "\u{E0041}tag 👩\u{200D}💻")
    }

    @Test func csvGuardsFormulasBehindLeadingBlanks() {
        for formula in ["=1+1", "\t=cmd|' /C calc'!A0", "\r@SUM(A1)", "  +1", "-2"] {
            #expect(
                UserCSVRenderer.cell(formula).hasPrefix("'") || UserCSVRenderer.cell(formula).hasPrefix("\"'"),
                "\(formula)")
        }
        #expect(UserCSVRenderer.cell("ada@example.com") == "ada@example.com")
    }

    @Test func diffShowsAdditionsRemovalsAndTheCall() {
        let edit = PendingEdit(
            userId: "bbbbbbbbbbbbbbbbbbbbbbbb", username: "jun@example.com", status: .active,
            base: [.member, .readOnly], target: [.member, .billingAdmin])
        let call = RoleWriteMethod.putRoles.call(orgId: "o", userId: edit.userId)
        let text = RoleChangeText.diff(edit, call: call)
        #expect(
            text == """
                jun@example.com: ORG_MEMBER, ORG_READ_ONLY -> ORG_MEMBER, ORG_BILLING_ADMIN
                  +ORG_BILLING_ADMIN
                  -ORG_READ_ONLY
                  via PUT /orgs/o/users/bbbbbbbbbbbbbbbbbbbbbbbb/roles (2023-01-01)

                """)
    }

    @Test func roleNamesAcceptEveryCommonSpelling() throws {
        #expect(
            try RoleNames.parseRoles(["owner", "ORG_MEMBER,billing-admin", "Org_Read_Only"], option: "--role")
                == [.owner, .member, .billingAdmin, .readOnly])
        #expect(throws: (any Error).self) { try RoleNames.parseRole("wizard", option: "--role") }
    }
}
