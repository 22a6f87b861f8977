import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

/// The LAST LOGIN column's ages: each unit's boundaries, clock skew, and the users with no login.
@Suite struct LoginTextTests {
    let now = Fixtures.time

    func age(days: Double, status: MembershipStatus = .active) -> String {
        LoginText.age(of: now - days * 86_400, status: status, now: now)
    }

    @Test(
        arguments: [
            (0, "today"), (0.99, "today"), (1, "1d"), (6, "6d"), (6.99, "6d"), (7, "1w"), (13.99, "1w"),
            (14, "2w"), (29, "4w"), (29.99, "4w"), (30, "1mo"), (31, "1mo"), (60, "1mo"), (61, "2mo"),
            (334, "10mo"), (335, "11mo"), (364, "11mo"), (364.99, "11mo"), (365, "1y"), (729, "1y"),
            (730, "2y"), (3650, "10y"),
        ] as [(Double, String)])
    func ageAtEachBoundary(days: Double, expected: String) {
        #expect(age(days: days) == expected)
    }

    /// A login stamped after our "now" (the server's clock ahead of this host's) is not an error: it
    /// is as recent as a login can be.
    @Test func futureDatesFromClockSkewAreToday() {
        #expect(age(days: -0.01) == "today")
        #expect(age(days: -3) == "today")
    }

    @Test func noLoginIsNeverForMembersAndNothingForInvitations() {
        #expect(LoginText.age(of: nil, status: .active, now: now) == "never")
        #expect(LoginText.age(of: nil, status: .pending, now: now) == "")
        #expect(LoginText.age(of: nil, status: .invitationExpired, now: now) == "")
        #expect(LoginText.age(of: nil, status: .invitationRejected, now: now) == "")
        #expect(LoginText.age(of: nil, status: .other("SUSPENDED"), now: now) == "")
        // A date the server did send is shown whatever the status says.
        #expect(age(days: 3, status: .other("SUSPENDED")) == "3d")
    }

    /// Every age fits the column's width, however old or odd the date.
    @Test func everyAgeFitsTheColumn() {
        for days in stride(from: 0.0, through: 40_000, by: 0.5) {
            #expect(age(days: days).count <= LoginText.width)
        }
        #expect(LoginText.age(of: .distantPast, status: .active, now: now).count <= LoginText.width)
        #expect(LoginText.age(of: Date(timeIntervalSince1970: -.infinity), status: .active, now: now) == "")
        #expect(LoginText.age(of: .distantFuture, status: .active, now: now) == "today")
    }

    /// The clock enters only through `.tick`: rows have no age before the first one, and follow each.
    @Test func rowsCountAgesFromTheLastTick() {
        var state = Fixtures.loaded([
            Fixtures.user(1, lastAuth: now - 3 * 86_400), Fixtures.user(2),
            Fixtures.user(3, [.readOnly], status: .pending),
        ])
        #expect(state.now == nil)
        #expect(state.visibleUserRows.map(\.lastLogin) == ["", "", ""])
        _ = update(&state, .tick(now))
        #expect(state.now == now)
        #expect(state.visibleUserRows.map(\.lastLogin) == ["3d", "never", ""])
        _ = update(&state, .tick(now + 4 * 86_400))
        #expect(state.visibleUserRows.map(\.lastLogin) == ["1w", "never", ""])
    }

    /// Sorted by last login, the ages read from the most recent down, members who never logged in after.
    @Test func sortedByLastLoginTheAgesAscend() {
        let ages: [Double] = [400, 0.2, 45, 3, 10]
        var users = ages.enumerated().map { Fixtures.user($0.offset, lastAuth: now - $0.element * 86_400) }
        users.append(Fixtures.user(9))
        var state = Fixtures.loaded(users)
        _ = update(&state, .tick(now))
        _ = update(&state, .setSort(.lastLogin))
        #expect(state.visibleUserRows.map(\.lastLogin) == ["today", "3d", "1w", "1mo", "1y", "never"])
    }
}
