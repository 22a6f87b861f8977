import AtlasAPI
import Foundation
import Synchronization

/// Numbers that name one version of a changing value, unique in the process: a value that changes
/// takes a new one, so "same number" means "same contents" even across copies and reloads.
enum Revision {
    private static let counter = Atomic<UInt64>(0)

    static func next() -> UInt64 { counter.add(1, ordering: .relaxed).newValue }
}

/// How many of the checklist's users hold each role, as loaded, as edited, and through a role that
/// implies it: the counts behind the checklist's marks.
struct ChecklistCounts: Sendable {
    var original: [Int]
    var edited: [Int]
    var implied: [Int]
    /// Users counted (the checklist's ids that are loaded or have an edit).
    var users: Int
}

/// The checklist's counts and users, kept while neither the pending edits nor the loaded users change.
///
/// A bulk edit of 100,000 users would otherwise count every user on every key in the checklist
/// (60 ms a key); cursor moves change neither input. A class, filled from a non-mutating getter;
/// locked, because the state holding it is `Sendable`.
final class ChecklistMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: (pending: UInt64, users: UInt64, value: ChecklistCounts)?
    private var rows: (users: UInt64, value: [Int])?

    // Computed outside the lock, so a computation may read other kept values without deadlock.

    func counts(pending: UInt64, users: UInt64, _ compute: () -> ChecklistCounts) -> ChecklistCounts {
        if let kept = lock.withLock({ counts }), kept.pending == pending, kept.users == users { return kept.value }
        let value = compute()
        lock.withLock { counts = (pending, users, value) }
        return value
    }

    func rows(users: UInt64, _ compute: () -> [Int]) -> [Int] {
        if let kept = lock.withLock({ rows }), kept.users == users { return kept.value }
        let value = compute()
        lock.withLock { rows = (users, value) }
        return value
    }
}

extension EditorState {
    /// Counts the roles of the checklist's users, as bits per user (no role sets built).
    func countChecklistRoles(_ checklist: ChecklistState) -> ChecklistCounts {
        let known = OrgRole.known
        let impliedBits = known.map { UserStore.bits(of: $0.impliedRoles) }
        var counts = ChecklistCounts(
            original: [Int](repeating: 0, count: known.count), edited: [Int](repeating: 0, count: known.count),
            implied: [Int](repeating: 0, count: known.count), users: 0)
        for id in checklist.userIds {
            let edit = pending[id]
            let originalBits: UInt8
            if let edit {
                originalBits = UserStore.bits(of: edit.base)
            } else if let index = list.users.index(ofId: id) {
                originalBits = list.users.roleBits[index]
            } else {
                continue
            }
            let editedBits = edit.map { UserStore.bits(of: $0.target) } ?? originalBits
            var impliedByHeld: UInt8 = 0
            for bit in 0..<known.count where editedBits & (1 << bit) != 0 { impliedByHeld |= impliedBits[bit] }
            for bit in 0..<known.count {
                if originalBits & (1 << bit) != 0 { counts.original[bit] += 1 }
                if editedBits & (1 << bit) != 0 { counts.edited[bit] += 1 }
                if impliedByHeld & (1 << bit) != 0 { counts.implied[bit] += 1 }
            }
            counts.users += 1
        }
        return counts
    }
}
