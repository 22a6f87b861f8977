import AtlasAPI
import AtlasRolesTesting
import Testing

@testable import RoleEditor

/// `sorted` is cached between changes; the cache must never outlive a change, nor leak between copies.
@Suite struct PendingEditsTests {
    static func edit(_ n: Int, _ target: Set<OrgRole>) -> PendingEdit {
        PendingEdit(
            userId: Fixtures.id(n), username: "user\(n)@example.com", status: .active, base: [.member], target: target)
    }

    @Test func sortedFollowsEveryChangeAndCopiesStayApart() {
        var pending = PendingEdits()
        pending.apply(step: [Self.edit(2, [.owner]), Self.edit(1, [.readOnly])])
        #expect(pending.sorted.map(\.userId) == [Fixtures.id(1), Fixtures.id(2)])

        var copy = pending
        copy.apply(step: [Self.edit(0, [.owner])])
        #expect(copy.sorted.map(\.userId) == [Fixtures.id(0), Fixtures.id(1), Fixtures.id(2)])
        #expect(pending.sorted.map(\.userId) == [Fixtures.id(1), Fixtures.id(2)])

        pending.set(Self.edit(1, [.billingAdmin]))
        #expect(pending.sorted.first?.target == [.billingAdmin])
        pending.remove(Fixtures.id(2))
        #expect(pending.sorted.map(\.userId) == [Fixtures.id(1)])
        // An edit back at its base disappears, and so does its row.
        pending.apply(step: [Self.edit(1, [.member])])
        #expect(pending.sorted.isEmpty)
        let undone = pending.undo()
        #expect(undone)
        #expect(pending.sorted.map(\.userId) == [Fixtures.id(1)])
        pending.removeAll()
        #expect(pending.sorted.isEmpty)
        #expect(copy.sorted.count == 3)
    }
}
