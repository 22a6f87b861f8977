import AtlasAPI
import Foundation

@testable import RoleEditor

/// Users, organizations and loaded states for tests.
public enum Fixtures {
    public static let orgId = "5f0000000000000000000001"
    public static let org = Organization(id: orgId, name: "Acme")

    public static func id(_ n: Int) -> String { String(format: "%024x", n) }

    public static func user(
        _ n: Int, _ roles: Set<OrgRole> = [.member], status: MembershipStatus = .active, email: String? = nil,
        first: String? = nil, last: String? = nil, lastAuth: Date? = nil
    ) -> OrgUser {
        OrgUser(
            id: id(n), username: email ?? "user\(n)@example.com",
            firstName: first ?? (status == .active ? "First\(n)" : nil),
            lastName: last ?? (status == .active ? "Last\(n)" : nil), status: status, orgRoles: roles,
            lastAuth: lastAuth)
    }

    /// A small organization: user 0 the only owner, users 1...count-1 members (user 3 also Billing Admin),
    /// user 4 PENDING.
    public static func team(count: Int = 6) -> [OrgUser] {
        (0..<count).map { n in
            switch n {
            case 0: user(0, [.owner])
            case 3: user(3, [.member, .billingAdmin])
            case 4: user(4, [.readOnly], status: .pending)
            default: user(n, [.member])
            }
        }
    }

    /// A state with `users` fully loaded, as after `.start` and every page.
    public static func loaded(_ users: [OrgUser], rows: Int = 24, method: RoleWriteMethod = .putRoles) -> EditorState {
        var state = EditorState(config: EditorConfig(orgId: orgId, preferredMethod: method, sessionId: "test"))
        _ = update(&state, .start)
        _ = update(&state, .resize(rows: rows, cols: 100))
        _ = update(&state, .organizationLoaded(.success(org)))
        _ = update(
            &state,
            .usersPageLoaded(
                UserPage(users: users, pageNumber: 1, loadedCount: users.count, totalCount: users.count), generation: 1)
        )
        _ = update(&state, .usersLoadFinished(generation: 1))
        return state
    }

    public static let time = Date(timeIntervalSince1970: 1_800_000_000)

    public static func apiError(_ status: Int, _ code: String, detail: String? = nil) -> AtlasError {
        AtlasError(
            .api(
                status: status,
                envelope: APIErrorEnvelope(
                    error: status, errorCode: code, detail: detail, reason: "Bad Request",
                    parameters: [.string("ORG_OWNER")],
                    badRequestDetail: BadRequestDetail(fields: [.init(field: "orgRoles", description: "is invalid")]))))
    }

    public static let timeout = AtlasError(.transport(curlCode: 28, message: "Operation timed out"))
}

extension EditorState {
    /// Moves the list cursor onto the user with id `userId` (test convenience).
    public mutating func select(_ userId: String) {
        while pane != .users { _ = update(&self, .back) }
        guard let row = list.visible.firstIndex(where: { list.users[$0].id == userId }) else { return }
        _ = update(&self, .top)
        _ = update(&self, .moveCursor(row))
    }

    /// Opens the checklist for the selected/marked users and toggles `roles`, then returns to the list.
    public mutating func toggle(_ roles: [OrgRole]) {
        _ = update(&self, .openChecklist)
        for role in roles {
            _ = update(&self, .top)
            _ = update(&self, .moveCursor(OrgRole.known.firstIndex(of: role)!))
            _ = update(&self, .toggleRole)
        }
        _ = update(&self, .activate)
    }
}
