import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// An apply run: rules, re-read, conflicts, writes, outcomes, journal and draft.
extension EditorState {
    /// Applies every pending edit, asking for the number of users to be typed above the threshold.
    mutating func confirmApply() -> [Effect] {
        let count = pending.count
        let typed = count > config.typedConfirmationAbove || (config.typesToConfirmRemovals && removesUsers)
        guard typed, !review.isRunning else { return startRun(pending.sorted) }
        prompt = .typeUserCount(users: count, typed: "")
        return []
    }

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
        review.queuedWrites = []
        review.nextWrite = 0
        review.stoppedBy = nil
        review.unflushedOutcomes = []
        review.alreadyDone = 0
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
                // An invitation has no user to re-read yet.
                orgId: orgId, userIds: review.runUserIds.filter { !PendingEdit.isInvitationKey($0) },
                batch: review.batch, byListing: listPages < edits.count)
        ]
    }

    /// Outcomes appended to the journal at once (with one draft save), at most: what a crash may leave
    /// for the next start to recover from the intents.
    static let outcomesPerFlush = 64

    /// Writes handed to the runner ahead of their answers: twice the runner's concurrency bound, so it
    /// never waits for the next, and few enough that a run stopped by a shared refusal sends at most
    /// this many more.
    static let writeWindow = 16

    /// Compares each re-read user with the edit's base: equal ones are written, users that already hold
    /// the target are done, others are conflicts. The writes wait until their intents are on disk.
    mutating func refetched(batch: Int, results: [String: Result<OrgUser, AtlasError>]) -> [Effect] {
        guard batch == review.batch, case .rereading = review.phase, let orgId else { return [] }
        activity = nil
        var writes: [Effect] = []
        var intents: [JournalEntry] = []
        for id in review.runUserIds {
            guard var edit = pending[id] else { continue }
            if edit.membership != nil {
                if let (write, intent) = membershipWrite(edit, reread: results[id], orgId: orgId, batch: batch) {
                    writes.append(write)
                    intents.append(intent)
                }
                continue
            }
            switch results[id] ?? .failure(AtlasError(.cancelled)) {
            case .success(let user):
                list.replace(user)
                if edit.status != user.status {
                    // An invitation accepted since loading is now ACTIVE: that decides PUT or PATCH.
                    edit.status = user.status
                    pending.set(edit)
                }
                let method = writeChoice.method(for: user.status)
                if user.orgRoles == edit.target {
                    // Already there (this program's own write before a crash, or another admin's
                    // identical change): done, not a conflict, and not written again.
                    review.alreadyDone += 1
                    applied(edit, call: method.call(orgId: orgId, userId: id), roles: user.orgRoles)
                    if var doubt = writesInDoubt.removeValue(forKey: id), Set(doubt.after) == user.orgRoles {
                        // An earlier write of ours that failed in transit did arrive: the journal says so.
                        doubt.outcome = .applied
                        doubt.error = nil
                        doubt.confirmedByReread = true
                        review.unflushedOutcomes.append(doubt)
                    }
                    continue
                }
                if user.orgRoles != edit.base {
                    review.outcomes[id] = .conflict(server: user.orgRoles)
                    continue
                }
                review.outstanding.insert(id)
                writes.append(.writeRoles(orgId: orgId, userId: id, roles: edit.target, method: method, batch: batch))
                intents.append(
                    JournalEntry(
                        // The runner stamps the time as the intents reach the disk.
                        time: .distantPast, batch: batchId(batch), orgId: orgId, userId: id,
                        username: edit.username, before: edit.base.sorted(), after: edit.target.sorted(),
                        call: method.call(orgId: orgId, userId: id), outcome: .intent, revertOf: edit.revertOf))
            case .failure(let error):
                review.outcomes[id] = ApplyOutcome.forError(error)
            }
        }
        review.writesTotal = writes.count
        if writes.isEmpty { return finishRun() }
        review.queuedWrites = writes
        review.phase = .writing(done: 0, total: writes.count)
        return [.recordIntents(intents, batch: batch)]
    }

    /// The intents are on disk: the writes go. If they could not be written, nothing is sent: a write
    /// the journal cannot vouch for is one a crash could hide.
    mutating func intentsRecorded(batch: Int, failure: PersistenceError?) -> [Effect] {
        guard batch == review.batch, case .writing = review.phase else { return [] }
        guard let failure else { return nextWrites(Self.writeWindow) }
        review.queuedWrites = []
        for id in review.outstanding { review.outcomes[id] = .failed(AtlasError(.cancelled)) }
        review.outstanding = []
        let effects = finishRun()
        flash = Flash(
            "nothing was sent: the journal could not be written: " + SafeText.sanitized(failure.description),
            level: .error, ticks: 10)
        return effects
    }

    /// The next `count` queued writes.
    private mutating func nextWrites(_ count: Int) -> [Effect] {
        let end = min(review.queuedWrites.count, review.nextWrite + count)
        defer { review.nextWrite = end }
        return Array(review.queuedWrites[review.nextWrite..<end])
    }

    /// Stops the run at a refusal every write shares: the writes not sent yet stay pending as not
    /// sent, and the journal closes their intents.
    mutating func stopSending(_ error: AtlasError, at time: Date) {
        guard review.stoppedBy == nil, let orgId else { return }
        review.stoppedBy = error
        for userId in review.queuedWrites[review.nextWrite...].compactMap(\.runWriteUserId) {
            review.outstanding.remove(userId)
            review.outcomes[userId] = .notSent(error)
            guard let edit = pending[userId] else { continue }
            review.unflushedOutcomes.append(
                JournalEntry(
                    time: time, batch: batchId(review.batch), orgId: orgId, userId: userId, username: edit.username,
                    before: edit.base.sorted(), after: edit.target.sorted(), call: call(for: edit, orgId: orgId),
                    outcome: .notSent, error: "not sent: " + OutcomeText.brief(error), revertOf: edit.revertOf,
                    teamIds: edit.membership == nil ? nil : edit.teamIds))
        }
        review.writesTotal = review.nextWrite
        review.nextWrite = review.queuedWrites.count
    }

    /// The journal's name of run `batch` of this session.
    func batchId(_ batch: Int) -> String { "\(config.sessionId)-\(batch)" }

    /// Records an edit the server now holds: out of the pending edits, into the run's applied ones.
    private mutating func applied(_ edit: PendingEdit, call: APICall, roles: Set<OrgRole>) {
        review.outcomes[edit.userId] = .applied(call: call, roles: roles)
        review.appliedEdits[edit.userId] = edit
        pending.remove(edit.userId)
        // The mark served its edit: left behind, it would pull this user into the next bulk edit.
        list.marked.remove(edit.userId)
        if var user = list.user(id: edit.userId) {
            user.orgRoles = roles
            list.replace(user)
        }
    }

    mutating func writeFinished(
        userId: String, result: Result<RoleWriteResult, AtlasError>, batch: Int, at time: Date
    ) -> [Effect] {
        guard batch == review.batch, review.outstanding.remove(userId) != nil, let orgId,
            let edit = pending[userId]
        else { return [] }
        activity = nil
        let entry: JournalEntry
        switch result {
        case .success(let written):
            writesInDoubt[userId] = nil
            applied(edit, call: written.call, roles: written.orgRoles)
            entry = JournalEntry(
                time: time, batch: batchId(batch), orgId: orgId, userId: userId, username: edit.username,
                before: edit.base.sorted(), after: written.orgRoles.sorted(), call: written.call, outcome: .applied,
                confirmedByReread: written.confirmedByReread ? true : nil, revertOf: edit.revertOf)
        case .failure(let error):
            let outcome = ApplyOutcome.forError(error)
            review.outcomes[userId] = outcome
            if isRefusal(outcome), ApplyOutcome.isSharedByEveryWrite(error) { stopSending(error, at: time) }
            let method = writeChoice.method(for: edit.status)
            entry = JournalEntry(
                time: time, batch: batchId(batch), orgId: orgId, userId: userId, username: edit.username,
                before: edit.base.sorted(), after: edit.target.sorted(),
                call: error.call ?? method.call(orgId: orgId, userId: userId),
                outcome: isRefusal(outcome) ? .refused : .failed,
                error: error.description, revertOf: edit.revertOf)
            if case .failed = outcome { writesInDoubt[userId] = entry }
        }
        return answered(entry)
    }

    /// A write of the run answered (a role write, a removal or an invitation): its journal line is
    /// queued, the next write goes, and the run ends when none is left.
    mutating func answered(_ entry: JournalEntry) -> [Effect] {
        review.unflushedOutcomes.append(entry)
        if review.outstanding.isEmpty { return finishRun() }
        review.phase = .writing(done: review.writesTotal - review.outstanding.count, total: review.writesTotal)
        let next = nextWrites(1)
        guard review.unflushedOutcomes.count >= Self.outcomesPerFlush else { return next }
        return next + flushOutcomes()
    }

    /// Appends the answered outcomes to the journal and saves the draft without the applied edits.
    private mutating func flushOutcomes() -> [Effect] {
        let entries = review.unflushedOutcomes
        review.unflushedOutcomes = []
        return (entries.isEmpty ? [] : [.appendJournal(entries)]) + draftEffect()
    }

    /// Resolves an earlier session's intents without outcome against the users as loaded now: the
    /// roles it wanted mean the write arrived; anything else means it did not (or was overtaken). One
    /// append records every resolution, so the journal again lists exactly what the server received.
    mutating func reconcileIntents() -> [Effect] {
        guard !unresolvedIntents.isEmpty, list.progress.isComplete else { return [] }
        let resolved = unresolvedIntents.map { intent -> JournalEntry in
            var entry = intent
            entry.time = now ?? intent.time
            entry.confirmedByReread = true
            let roles = list.roles(ofId: intent.userId)
            if membershipIntentArrived(intent) ?? (roles == Set(intent.after)) {
                entry.outcome = .applied
            } else {
                entry.outcome = .failed
                entry.error =
                    roles == nil
                    ? "interrupted; the user is no longer in the organization"
                    : "interrupted; the server does not hold the roles this write wanted"
            }
            return entry
        }
        unresolvedIntents = []
        let arrived = resolved.filter { $0.outcome == .applied }.count
        notice(
            "an earlier apply was interrupted: \(arrived) of \(resolved.count) writes in flight had arrived; journal updated"
        )
        return [.appendJournal(resolved)]
    }

    private func isRefusal(_ outcome: ApplyOutcome) -> Bool {
        if case .refused = outcome { return true }
        return false
    }

    /// Ends a run: the last outcomes journaled, a summary, the undo history of applied users forgotten
    /// (they are facts now), and the draft saved without them. A crash before that leaves applied edits
    /// in the draft; restored, their re-read finds the server holding their target: done, not resent.
    private mutating func finishRun() -> [Effect] {
        review.phase = .finished
        let journalEffects = review.unflushedOutcomes.isEmpty ? [] : [Effect.appendJournal(review.unflushedOutcomes)]
        review.unflushedOutcomes = []
        pending.forgetHistory(of: Set(review.appliedEdits.keys))
        var applied = 0
        var conflicts = 0
        var refused = 0
        var failed = 0
        var notSent = 0
        for outcome in review.outcomes.values {
            switch outcome {
            case .applied: applied += 1
            case .conflict: conflicts += 1
            case .refused: refused += 1
            case .failed: failed += 1
            case .notSent: notSent += 1
            }
        }
        let level: Flash.Level = refused + failed + notSent > 0 ? .error : conflicts > 0 ? .warning : .info
        var nextSteps: [NextStep] = []
        if conflicts > 0 { nextSteps.append(.rebaseConflicts) }
        // Only where sending again can help: a failure in transit. A refusal would be refused again.
        if failed > 0 { nextSteps.append(.retryFailed) }
        var summary = StatusText.runSummary(applied: applied, conflicts: conflicts, refused: refused, failed: failed)
        if let stop = review.stoppedBy {
            // Said once for the run: what every write would have met, and what to do about it.
            summary =
                "stopped: \(refused) refused with \(OutcomeText.brief(stop)), \(notSent) not sent, \(applied) applied"
            if let remedy = stop.remedy { summary += "; hint: " + RemedyText.sentence(remedy) }
        }
        if review.alreadyDone > 0 { summary += " (\(review.alreadyDone) already on the server, not written again)" }
        flash = Flash(summary, level: level, ticks: 10, nextSteps: nextSteps)
        return journalEffects + draftEffect()
    }
}
