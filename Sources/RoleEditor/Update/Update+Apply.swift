import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// An apply run: rules, re-read, conflicts, writes, outcomes, journal and draft.
extension EditorState {
    /// Starts a run for `edits`: rules first, then the re-read that finds conflicts.
    mutating func startRun(_ edits: [PendingEdit]) -> [Effect] {
        guard let orgId else { return [] }
        if review.isRunning {
            flash = Flash("an apply is already running", level: .warning)
            return []
        }
        guard !edits.isEmpty else {
            flash = Flash("nothing to apply")
            return []
        }
        let findings = RoleRules.findings(for: edits, users: list.users, progress: list.progress)
        if let first = findings.first {
            pane = .review
            flash = Flash(first.message, level: .error, ticks: 10)
            return []
        }
        review.batch += 1
        review.outcomes = [:]
        review.appliedEdits = [:]
        review.outstanding = []
        review.writesTotal = 0
        review.runUserIds = edits.map(\.userId)
        review.phase = .rereading(count: edits.count)
        pane = .review
        // Atlas rate-limits reads per minute (500 recorded for the users list): re-reading 1,000 users
        // one by one is 1,000 requests, the list of a 1,500-user org 4. So the list is read whenever
        // it has fewer pages than the run has users (and it is faster: pages of 500 in parallel).
        let listPages = (max(list.users.count, list.progress.total ?? 0) + Self.listPageSize - 1) / Self.listPageSize
        return [
            .refetchUsers(
                orgId: orgId, userIds: review.runUserIds, batch: review.batch, byListing: listPages < edits.count)
        ]
    }

    /// Compares each re-read user with the edit's base: equal ones are written, others are conflicts.
    mutating func refetched(batch: Int, results: [String: Result<OrgUser, AtlasError>]) -> [Effect] {
        guard batch == review.batch, case .rereading = review.phase, let orgId else { return [] }
        activity = nil
        var effects: [Effect] = []
        for id in review.runUserIds {
            guard var edit = pending[id] else { continue }
            switch results[id] ?? .failure(AtlasError(.cancelled)) {
            case .success(let user):
                list.replace(user)
                if edit.status != user.status {
                    // An invitation accepted since loading is now ACTIVE: that decides PUT or PATCH.
                    edit.status = user.status
                    pending.set(edit)
                }
                if user.orgRoles != edit.base {
                    review.outcomes[id] = .conflict(server: user.orgRoles)
                    continue
                }
                review.outstanding.insert(id)
                effects.append(
                    .writeRoles(
                        orgId: orgId, userId: id, roles: edit.target, method: writeChoice.method(for: user.status),
                        batch: batch))
            case .failure(let error):
                review.outcomes[id] = ApplyOutcome.forError(error)
            }
        }
        review.writesTotal = effects.count
        if effects.isEmpty { return finishRun() }
        review.phase = .writing(done: 0, total: effects.count)
        return effects
    }

    mutating func writeFinished(
        userId: String, result: Result<RoleWriteResult, AtlasError>, batch: Int, at time: Date
    ) -> [Effect] {
        guard batch == review.batch, review.outstanding.remove(userId) != nil, let orgId,
            let edit = pending[userId]
        else { return [] }
        activity = nil
        let entry: JournalEntry
        let batchId = "\(config.sessionId)-\(batch)"
        switch result {
        case .success(let written):
            review.outcomes[userId] = .applied(call: written.call, roles: written.orgRoles)
            review.appliedEdits[userId] = edit
            pending.remove(userId)
            if var user = list.user(id: userId) {
                user.orgRoles = written.orgRoles
                list.replace(user)
            }
            entry = JournalEntry(
                time: time, batch: batchId, orgId: orgId, userId: userId, username: edit.username,
                before: edit.base.sorted(), after: written.orgRoles.sorted(), call: written.call, outcome: .applied)
        case .failure(let error):
            let outcome = ApplyOutcome.forError(error)
            review.outcomes[userId] = outcome
            let method = writeChoice.method(for: edit.status)
            entry = JournalEntry(
                time: time, batch: batchId, orgId: orgId, userId: userId, username: edit.username,
                before: edit.base.sorted(), after: edit.target.sorted(),
                call: error.call ?? method.call(orgId: orgId, userId: userId),
                outcome: isRefusal(outcome) ? .refused : .failed,
                error: error.description)
        }
        var effects: [Effect] = [.appendJournal([entry])]
        if review.outstanding.isEmpty {
            effects += finishRun()
        } else {
            review.phase = .writing(done: review.writesTotal - review.outstanding.count, total: review.writesTotal)
        }
        return effects
    }

    private func isRefusal(_ outcome: ApplyOutcome) -> Bool {
        if case .refused = outcome { return true }
        return false
    }

    /// Ends a run: a summary, the undo history of applied users forgotten (they are facts now), and the
    /// draft rewritten once (a crash mid-run leaves applied edits in the draft; restored, their re-read
    /// shows a conflict whose re-base makes them disappear, so nothing is written twice by surprise).
    private mutating func finishRun() -> [Effect] {
        review.phase = .finished
        pending.forgetHistory(of: Set(review.appliedEdits.keys))
        var applied = 0
        var conflicts = 0
        var refused = 0
        var failed = 0
        for outcome in review.outcomes.values {
            switch outcome {
            case .applied: applied += 1
            case .conflict: conflicts += 1
            case .refused: refused += 1
            case .failed: failed += 1
            }
        }
        let level: Flash.Level = refused + failed > 0 ? .error : conflicts > 0 ? .warning : .info
        var nextSteps: [NextStep] = []
        if conflicts > 0 { nextSteps.append(.rebaseConflicts) }
        if refused + failed > 0 { nextSteps.append(.retryFailed) }
        flash = Flash(
            StatusText.runSummary(applied: applied, conflicts: conflicts, refused: refused, failed: failed),
            level: level, ticks: 10, nextSteps: nextSteps)
        return draftEffect()
    }
}
