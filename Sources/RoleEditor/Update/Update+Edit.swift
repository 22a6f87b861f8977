import AtlasAPI

// Changing pending edits: the checklist's toggle, undo, discard, re-base and revert.
extension EditorState {
    /// Refuses an edit while an apply runs (its re-read and writes are based on the edits as sent).
    private mutating func editsLocked() -> Bool {
        guard review.isRunning else { return false }
        flash = Flash("an apply is running; edit when it is done", level: .warning)
        return true
    }

    /// The edit a user would get with `target`, starting from their pending edit or the loaded roles.
    func edit(for userId: String, target: Set<OrgRole>) -> PendingEdit? {
        if var existing = pending[userId] {
            existing.target = target
            return existing
        }
        guard let user = list.user(id: userId) else { return nil }
        return PendingEdit(
            userId: user.id, username: user.username, status: user.status, base: user.orgRoles, target: target)
    }

    /// The roles a user has now, counting pending edits (for users known only through an edit too).
    func currentRoles(of userId: String) -> Set<OrgRole>? {
        pending[userId]?.target ?? list.roles(ofId: userId)
    }

    mutating func toggleRole() -> [Effect] {
        guard pane == .checklist, let checklist, !editsLocked() else { return [] }
        let role = checklist.role
        let sets = checklist.userIds.compactMap(currentRoles(of:))
        // Mixed or off: set it on everyone; on for all: clear it. Other roles stay as each user had them.
        let setting = RoleMark.of(role, in: sets) != .on
        let edits = checklist.userIds.compactMap { id -> PendingEdit? in
            guard var roles = currentRoles(of: id) else { return nil }
            if setting { roles.insert(role) } else { roles.remove(role) }
            return edit(for: id, target: roles)
        }
        pending.apply(step: edits)
        return draftEffect()
    }

    mutating func undo() -> [Effect] { stepThroughHistory(back: true) }

    mutating func redo() -> [Effect] { stepThroughHistory(back: false) }

    /// Takes back the last step (`back`) or brings back the last one taken back.
    private mutating func stepThroughHistory(back: Bool) -> [Effect] {
        guard !editsLocked() else { return [] }
        guard back ? pending.undo() : pending.redo() else {
            flash = Flash(back ? "nothing to undo" : "nothing to redo")
            return []
        }
        flash = Flash("\(back ? "undone" : "redone"); \(pending.count) pending edit(s)")
        return draftEffect()
    }

    /// Drops the pending edit under the review's cursor (one undoable step); the others stay.
    mutating func dropEditUnderCursor() -> [Effect] {
        guard pane == .review, !editsLocked() else { return [] }
        guard let item = reviewItems(in: review.cursor..<review.cursor + 1).first, pending[item.edit.userId] != nil
        else {
            flash = Flash("no pending edit under the cursor")
            return []
        }
        pending.apply(step: [], removing: [item.edit.userId])
        review.outcomes[item.edit.userId] = nil
        review.cursor = max(0, min(review.cursor, reviewCount - 1))
        flash = Flash(
            "dropped the edit of \(SafeText.sanitized(item.edit.username)); \(pending.count) pending edit(s)",
            nextSteps: [.undo])
        return draftEffect()
    }

    mutating func discardAllEdits() -> [Effect] {
        guard !editsLocked(), !pending.isEmpty else { return [] }
        let count = pending.count
        pending.apply(step: [], removing: Array(pending.byUser.keys))
        review.outcomes = [:]
        flash = Flash("discarded \(count) pending edit(s)", nextSteps: [.undo])
        return draftEffect()
    }

    /// Replays each conflicted edit's own delta (the roles it added and removed) on the server's roles,
    /// as a git re-base replays commits: another admin's change survives, a role the server already
    /// holds (or already lacks) is a no-op, and an edit the server already reflects goes. The review
    /// then shows the merged edits; nothing is sent until applied again.
    mutating func rebaseConflicts() -> [Effect] {
        guard !editsLocked() else { return [] }
        var rebased = 0
        var alreadyThere = 0
        for (id, outcome) in review.outcomes {
            guard case .conflict(let server) = outcome, var edit = pending[id] else { continue }
            edit.target = PendingEdit.replaying(added: Set(edit.added), removed: Set(edit.removed), on: server)
            edit.base = server
            pending.set(edit)
            review.outcomes[id] = nil
            if edit.target == server { alreadyThere += 1 } else { rebased += 1 }
        }
        guard rebased + alreadyThere > 0 else {
            flash = Flash("no conflicts to re-base")
            return []
        }
        var text = "re-based \(rebased) edit(s) on the server's roles"
        if alreadyThere > 0 { text += "; \(alreadyThere) already held on the server, dropped" }
        flash = Flash(text, nextSteps: rebased > 0 ? [.apply] : [])
        return draftEffect()
    }

    mutating func openJournal() -> [Effect] {
        guard let orgId else { return [] }
        pane = .journal
        checklist = nil
        journal.isLoading = true
        return [.loadJournal(orgId: orgId)]
    }

    mutating func journalLoaded(_ result: Result<[JournalEntry], PersistenceError>) {
        journal.isLoading = false
        switch result {
        case .success(let entries):
            journal.batches = JournalBatch.grouping(entries.filter { $0.orgId == orgId })
            journal.cursor = min(journal.cursor, max(0, journal.batches.count - 1))
            journal.error = nil
        case .failure(let error):
            journal.error = error.description
        }
    }

    /// Turns a journaled run into pending edits restoring each user's `before`, based on the roles
    /// loaded now; they go through review like any other edit.
    mutating func revertBatch() -> [Effect] {
        let index = journal.openRun ?? journal.cursor
        guard pane == .journal, journal.batches.indices.contains(index), !editsLocked() else { return [] }
        let batch = journal.batches[index]
        var lastWrite: [String: JournalEntry] = [:]
        var firstWrite: [String: JournalEntry] = [:]
        let membershipEntries = batch.applied.filter { $0.call.method == "DELETE" || $0.call.method == "POST" }
        for entry in batch.applied where !membershipEntries.contains(entry) {
            lastWrite[entry.userId] = entry
            if firstWrite[entry.userId] == nil { firstWrite[entry.userId] = entry }
        }
        let edits = lastWrite.values.compactMap { last -> PendingEdit? in
            // A user written twice in one run goes back to the roles before the first write.
            let before = Set(firstWrite[last.userId]!.before)
            if var edit = edit(for: last.userId, target: before) {
                edit.revertOf = batch.id
                return edit
            }
            return PendingEdit(
                userId: last.userId, username: last.username, status: .active, base: Set(last.after), target: before,
                revertOf: batch.id)
        }
        pending.apply(step: edits + membershipReverts(of: membershipEntries, batchId: batch.id))
        // The review shows what the revert will send, not the last run's outcomes beside it.
        review.outcomes = [:]
        review.appliedEdits = [:]
        journal.openRun = nil
        let changing =
            edits.filter { $0.base != $0.target }.count
            + pending.byUser.values.filter {
                $0.revertOf == batch.id && $0.membership != nil
            }.count
        flash = Flash(
            "revert of the run of \(JournalBatch.timeText(batch.time)): \(changing) pending edit(s) to review")
        pane = .review
        review.cursor = 0
        return draftEffect()
    }
}
