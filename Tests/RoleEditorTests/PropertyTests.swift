import AtlasAPI
import AtlasRolesTesting
import Foundation
import PropertyBased
import Testing

@testable import RoleEditor

/// Any sequence of edits, applied against a service that fails at random and retried, ends with the
/// server holding exactly what was pending, with the draft and the journal telling the same story.
@Suite struct PropertyTests {
    static let users: [OrgUser] = (0..<10).map { n in
        switch n % 5 {
        case 0: Fixtures.user(n, [.owner])
        case 1: Fixtures.user(n, [.member, .billingAdmin])
        case 2: Fixtures.user(n, [.readOnly], status: .pending)
        default: Fixtures.user(n, [.member])
        }
    }

    @Test func editsAppliedWithFailuresAndRetriedReachTheServerExactly() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...9_999).array(of: 1...40), Gen.int(in: 1...1_000_000)) {
            ops, seed in
            let service = FakeAtlasService(
                organizations: [Fixtures.org], users: [Fixtures.orgId: Self.users], pageSize: 3)
            service.setFailureRate(0.3, seed: UInt64(seed))
            let driver = Driver(service: service, config: EditorConfig(orgId: Fixtures.orgId, sessionId: "p"))
            await driver.send(.start)
            for op in ops {
                await Self.perform(op, on: driver)
                // Nothing typed is lost: after every step the draft holds exactly the pending edits.
                if !driver.state.review.isRunning {
                    #expect((driver.draft?.edits ?? []) == driver.state.pending.sorted)
                }
            }
            await Self.makeApplicable(driver)
            let expected = Dictionary(
                uniqueKeysWithValues: driver.state.list.users.map { ($0.id, driver.state.effectiveRoles(of: $0)) })

            await driver.send(.openReview)
            await driver.send(.confirmApply)
            var rounds = 0
            while !driver.state.pending.isEmpty && rounds < 200 {
                // Conflicts cannot happen here (nobody else writes); refused and failed ones are retried.
                await driver.send(.retryFailed)
                rounds += 1
            }
            #expect(driver.state.pending.isEmpty)
            #expect(driver.draft == nil)
            #expect(service.allRoles(orgId: Fixtures.orgId) == expected)
            // The list shows what the server holds.
            for user in driver.state.list.users { #expect(user.orgRoles == expected[user.id]) }
            // Every successful write is journaled once, and each user's last journaled `after` is the server's.
            let applied = driver.journal.filter { $0.outcome == .applied }
            #expect(applied.count == service.writes.count)
            var last: [String: Set<OrgRole>] = [:]
            for entry in applied { last[entry.userId] = Set(entry.after) }
            for (id, roles) in last { #expect(roles == expected[id]) }
        }
    }

    /// One generated step: select, toggle a role, mark, undo, apply, or discard.
    static func perform(_ op: Int, on driver: Driver) async {
        let argument = op / 8
        switch op % 8 {
        case 0, 1:
            await driver.select(Fixtures.id(argument % users.count))
        case 2, 3, 4:
            await driver.toggle([OrgRole.known[argument % OrgRole.known.count]])
        case 5:
            await driver.send(.back)
            await driver.send(.toggleMark)
        case 6:
            await driver.send(argument % 3 == 0 ? .clearMarks : .undo)
        default:
            await driver.send(.openReview)
            await driver.send(.confirmApply)
            await driver.send(.back)
        }
    }

    /// Fixes what the rules would refuse, through the editor: a member role for emptied users, and
    /// ORG_OWNER back for user 0 when nobody would be owner.
    static func makeApplicable(_ driver: Driver) async {
        await driver.send(.clearMarks)
        for id in driver.state.pending.sorted.filter({ $0.target.isEmpty }).map(\.userId) {
            await driver.select(id)
            await driver.toggle([.member])
        }
        if driver.state.ruleFindings.contains(.noOwnerLeft) {
            await driver.select(Fixtures.id(0))
            await driver.toggle([.owner])
        }
    }
}
