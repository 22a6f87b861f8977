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

    mutating func undo() -> [Effect] {
        guard !editsLocked() else { return [] }
        guard pending.undo() else {
            flash = Flash("nothing to undo")
            return []
        }
        flash = Flash("undone; \(pending.count) pending edit(s)")
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

    mutating func rebaseConflicts() -> [Effect] {
        guard !editsLocked() else { return [] }
        var count = 0
        for (id, outcome) in review.outcomes {
            guard case .conflict(let server) = outcome, var edit = pending[id] else { continue }
            // The server's roles become the base; the person's target stays, unless it now changes
            // nothing, in which case the edit goes.
            edit.base = server
            pending.set(edit)
            review.outcomes[id] = nil
            count += 1
        }
        guard count > 0 else {
            flash = Flash("no conflicts to re-base")
            return []
        }
        flash = Flash("re-based \(count) edit(s) on the server's roles", nextSteps: [.apply])
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
        guard pane == .journal, journal.batches.indices.contains(journal.cursor), !editsLocked() else { return [] }
        let batch = journal.batches[journal.cursor]
        var lastWrite: [String: JournalEntry] = [:]
        var firstWrite: [String: JournalEntry] = [:]
        for entry in batch.applied {
            lastWrite[entry.userId] = entry
            if firstWrite[entry.userId] == nil { firstWrite[entry.userId] = entry }
        }
        let edits = lastWrite.values.compactMap { last -> PendingEdit? in
            // A user written twice in one run goes back to the roles before the first write.
            let before = Set(firstWrite[last.userId]!.before)
            if let edit = edit(for: last.userId, target: before) { return edit }
            return PendingEdit(
                userId: last.userId, username: last.username, status: .active, base: Set(last.after), target: before)
        }
        pending.apply(step: edits)
        let changing = edits.filter { $0.base != $0.target }.count
        flash = Flash("revert of \(batch.id): \(changing) pending edit(s) to review")
        pane = .review
        review.cursor = 0
        return draftEffect()
    }
}
