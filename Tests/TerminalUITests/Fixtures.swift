import Foundation
import RoleEditor
import TerminalUI

/// Users and states the render tests share: CJK, emoji, right-to-left and hostile names, invitations.
enum Fixtures {
    static let orgId = "5f1e0c2a9d3b4a0012345678"

    /// The clock of every loaded state (2027-01-15T08:00:00Z): login ages are counted from it.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// `days` (and `hours`) before ``now``.
    static func ago(days: Double, hours: Double = 0) -> Date { now - days * 86_400 - hours * 3600 }

    static func id(_ n: Int) -> String { String(repeating: "0", count: 22) + String(format2(n)) }

    private static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// Last logins: Ada today, Taro 3d, Zoë 2w, Eve 2y ago; Sara never; the invitee cannot have one.
    /// Ada and the invitee also carry what the checklist says about a single user.
    static let users: [OrgUser] = [
        OrgUser(
            id: id(1), username: "ada@example.com", firstName: "Ada", lastName: "Lovelace", orgRoles: [.owner],
            teamIds: ["team-a", "team-b"], country: "GB", createdAt: ago(days: 1927),
            lastAuth: ago(days: 0, hours: 2)),
        OrgUser(
            id: id(2), username: "taro.yamada@example.jp", firstName: "太郎", lastName: "山田",
            orgRoles: [.member, .billingAdmin], lastAuth: ago(days: 3, hours: 5)),
        OrgUser(
            id: id(3), username: "zoe@example.com", firstName: "Zoë", lastName: "🚀 Rocket", orgRoles: [.readOnly],
            lastAuth: ago(days: 20)),
        OrgUser(id: id(4), username: "sara@example.ae", firstName: "سارة", lastName: "أحمد", orgRoles: [.member]),
        OrgUser(
            id: id(5), username: "eve\u{1B}]0;pwned\u{07}@example.com", firstName: "Eve\u{1B}[2J",
            lastName: "\u{202E}live", orgRoles: [.member, .groupCreator], lastAuth: ago(days: 800)),
        OrgUser(
            id: id(6), username: "invitee@example.com", status: .pending, orgRoles: [.readOnly],
            invitationCreatedAt: ago(days: 12), invitationExpiresAt: ago(days: -18), inviterUsername: "ada@example.com"),
    ]

    /// A state with `users` loaded into an organization named `orgName`, sized `columns`×`rows`.
    static func loaded(
        _ users: [OrgUser] = users, columns: Int = 80, rows: Int = 24, orgName: String = "Acme Corp"
    ) -> EditorState {
        var state = EditorState(config: EditorConfig(orgId: orgId, sessionId: "test"))
        _ = update(&state, .tick(now))
        _ = update(&state, .resize(rows: rows, cols: columns))
        _ = update(&state, .start)
        _ = update(&state, .organizationLoaded(.success(Organization(id: orgId, name: orgName))))
        _ = update(
            &state,
            .usersPageLoaded(
                UserPage(users: users, pageNumber: 1, loadedCount: users.count, totalCount: users.count), generation: 1)
        )
        _ = update(&state, .usersLoadFinished(generation: 1))
        return state
    }

    /// Applies actions in order, dropping effects (the tests feed results back by hand).
    static func apply(_ actions: [Action], to state: inout EditorState) {
        for action in actions { _ = update(&state, action) }
    }

    /// Renders with the locale set up as the program does, so `wcwidth` knows CJK and emoji.
    static func render(_ state: EditorState, _ columns: Int, _ rows: Int) -> Canvas {
        TerminalLocale.prepare()
        return FrameRenderer.render(state, width: columns, height: rows)
    }
}
