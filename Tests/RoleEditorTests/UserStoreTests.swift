import AtlasAPI
import AtlasRolesTesting
import Foundation
import PropertyBased
import Testing

@testable import RoleEditor

/// The compact store must give back exactly the users it was given: it replaces `[OrgUser]`, so any
/// field it loses or bends would be a user shown or written wrongly.
@Suite struct UserStoreTests {
    /// A user built from `seed` with every field exercised: nil and empty strings, long names (over
    /// 127 bytes: two-byte lengths), non-ASCII, unknown roles and statuses, teams, dates.
    static func user(_ n: Int, seed: Int) -> OrgUser {
        var random = SplitMix64(seed: UInt64(seed &* 31 &+ n))
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        let names: [String?] = [
            nil, "", "Ada", "Élodie", "李", "👩‍💻 Zoë", String(repeating: "Ñ", count: 90), "\u{202E}evil",
        ]
        let statuses: [MembershipStatus] = [
            .active, .pending, .invitationExpired, .invitationRejected, .other("SUSPENDED_SOMEHOW"),
        ]
        var roles = Set(OrgRole.known.filter { _ in random.next() % 3 == 0 })
        if random.next() % 5 == 0 { roles.insert(OrgRole(rawValue: "ORG_FUTURE_\(random.next() % 3)")) }
        let date = { () -> Date? in
            random.next() % 4 == 0
                ? nil : Date(timeIntervalSinceReferenceDate: Double(random.next() % 1_000_000_000) / 7)
        }
        return OrgUser(
            id: String(format: "%024x", n), username: pick(["u\(n)@example.com", "ÜSER.\(n)@exämple.com", "\(n)"]),
            firstName: pick(names), lastName: pick(names), status: pick(statuses), orgRoles: roles,
            teamIds: (0..<Int(random.next() % 3)).map { "team-\(n)-\($0)" }, country: pick([nil, "", "DE", "BR"]),
            createdAt: date(), lastAuth: date(), invitationCreatedAt: date(), invitationExpiresAt: date(),
            inviterUsername: pick([nil, "boss@example.com"]))
    }

    /// The roles sort's order, stated plainly: position of the most privileged role held, 7 for unknown
    /// roles only, 8 for none.
    static func roleRank(_ roles: Set<OrgRole>) -> Int {
        if roles.isEmpty { return OrgRole.known.count + 1 }
        return roles.map { OrgRole.known.firstIndex(of: $0) ?? OrgRole.known.count }.min()!
    }

    @Test func everyFieldSurvivesTheRoundTrip() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...500), Gen.int(in: 0...1_000_000)) { count, seed in
            let users = (0..<count).map { Self.user($0, seed: seed) }
            let store = UserStore(users)
            #expect(store.count == users.count)
            #expect(Array(store) == users)
            for (index, user) in users.enumerated() {
                #expect(store.index(ofId: user.id) == index)
                #expect(store.id(at: index) == user.id)
                #expect(store.orgRoles(at: index) == user.orgRoles)
                #expect(store.status(at: index) == user.status)
                #expect(store.roleRank(at: index) == Self.roleRank(user.orgRoles))
            }
        }
    }

    @Test func unknownIdsAreNotFound() {
        let store = UserStore((0..<3000).map { Self.user($0, seed: 1) })
        #expect(store.index(ofId: String(format: "%024x", 3000)) == nil)
        #expect(store.index(ofId: "") == nil)
        #expect(UserStore().index(ofId: "x") == nil)
        // Found again after the id table grew several times.
        #expect(store.index(ofId: String(format: "%024x", 2999)) == 2999)
    }

    @Test func replaceChangesOneUserAndItsSearchText() {
        var store = UserStore((0..<10).map { Fixtures.user($0) })
        var changed = store[4]
        changed.orgRoles = [.owner, OrgRole(rawValue: "ORG_NEW")]
        changed.status = .other("X")
        store.replace(at: 4, with: changed)
        #expect(store[4] == changed)
        #expect(store.holds(.owner, at: 4))
        #expect(store.holds(OrgRole(rawValue: "ORG_NEW"), at: 4))

        changed.username = "renamed@example.com"
        changed.firstName = nil
        store.replace(at: 4, with: changed)
        #expect(store[4] == changed)
        let text = Array(store.searchText[Int(store.searchStart[4])..<Int(store.searchEnd[4])])
        #expect(text == UserSearchKeys(changed).text)
        #expect(store[3] == Fixtures.user(3))
        #expect(store[5] == Fixtures.user(5))
        #expect(store.index(ofId: changed.id) == 4)
    }

    @Test func duplicateIdsKeepTheLastUser() {
        let first = Fixtures.user(1, [.member])
        let second = Fixtures.user(1, [.owner])
        let store = UserStore([first, Fixtures.user(2), second])
        #expect(store.count == 2)
        #expect(store[0] == second)
    }

    @Test func reservingThenOutgrowingTheReserveLosesNothing() {
        var store = UserStore()
        store.append(Fixtures.user(0))
        store.reserveCapacity(10)
        // Far more users (and longer ones) than reserved for.
        let users = [Fixtures.user(0)] + (1..<2000).map { Self.user($0, seed: 9) }
        for user in users.dropFirst() { store.append(user) }
        #expect(Array(store) == users)
    }
}
