import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How many of the checklist's users hold each role, as loaded, as edited, and through a role that
/// implies it: the counts behind the checklist's marks.
struct ChecklistCounts: Sendable {
    var original: [Int]
    var edited: [Int]
    var implied: [Int]
    /// Users counted (the checklist's ids that are loaded or have an edit).
    var users: Int
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
