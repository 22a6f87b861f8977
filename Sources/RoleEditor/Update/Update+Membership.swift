import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Removals and invitations: staged, reviewed, journaled and reverted like role edits, written with
// `DELETE /orgs/{orgId}/users/{userId}` and `POST /orgs/{orgId}/users`.
//
// Removing oneself: neither a programmatic API key nor a service account is a user of the
// organization, so the program cannot tell which row (if any) is the person at the keyboard. What it
// can tell is whether an Organization Owner remains, and that rule refuses the removal of the last
// ACTIVE owner; every removal is, besides, confirmed by typing the number of users, however few.
extension EditorState {
    /// The call `edit` will make.
    func call(for edit: PendingEdit, orgId: String) -> APICall {
        switch edit.membership {
        case .removal: .removeOrgUser(orgId: orgId, userId: edit.userId)
        case .invitation: .createOrgUser(orgId: orgId)
        case nil: writeChoice.method(for: edit.status).call(orgId: orgId, userId: edit.userId)
        }
    }

    /// Stages the removal of the marked users, or of the user under the cursor. Expired and rejected
    /// invitations are not removed (Atlas does not find them without a status filter); they are
    /// invited again instead.
    mutating func stageRemovals() -> [Effect] {
        guard pane == .users else { return [] }
        guard !review.isRunning else {
            flash = Flash("an apply is running; edit when it is done", level: .warning)
            return []
        }
        let ids = list.marked.isEmpty ? (list.cursorUser.map { [$0.id] } ?? []) : list.marked.sorted()
        // A staged invitation's row: `x` takes the invitation back instead.
        let staged = ids.filter(PendingEdit.isInvitationKey)
        if !staged.isEmpty {
            pending.apply(step: [], removing: staged)
            flash = Flash("\(staged.count) staged invitation(s) dropped", nextSteps: [.undo])
            return draftEffect()
        }
        let users = ids.compactMap { list.user(id: $0) }
        let removable = users.filter { $0.status == .active || $0.status == .pending }
        guard !removable.isEmpty else {
            flash = Flash(
                users.isEmpty ? "no user to remove" : "an expired or rejected invitation is invited again, not removed",
                level: .warning)
            return []
        }
        pending.apply(step: removable.map { PendingEdit.removal(of: $0, base: pending[$0.id]?.base) })
        let cancelled = removable.filter { $0.status == .pending }.count
        var text = "\(removable.count) removal(s) staged"
        if cancelled > 0 { text += " (\(cancelled) cancelled invitation(s))" }
        if removable.count < users.count { text += "; \(users.count - removable.count) expired left out" }
        flash = Flash(text, nextSteps: [.review, .undo])
        return draftEffect()
    }

    /// Whether the run needs the typed confirmation because of what it does, not only its size.
    var removesUsers: Bool { pending.byUser.values.contains { $0.isRemoval } }

    /// The write of a removal or an invitation after the re-read, and its intent; nil when nothing is
    /// to be sent (the outcome is then recorded).
    mutating func membershipWrite(
        _ edit: PendingEdit, reread: Result<OrgUser, AtlasError>?, orgId: String, batch: Int
    ) -> (Effect, JournalEntry)? {
        let call = call(for: edit, orgId: orgId)
        func intent(before: Set<OrgRole>) -> JournalEntry {
            JournalEntry(
                time: .distantPast, batch: batchId(batch), orgId: orgId, userId: edit.userId, username: edit.username,
                before: before.sorted(), after: edit.target.sorted(), call: call, outcome: .intent,
                revertOf: edit.revertOf, teamIds: edit.teamIds)
        }
        if edit.isInvitation {
            // Nothing to re-read: an address already in the organization is the server's 409 to tell.
            review.outstanding.insert(edit.userId)
            let invitation = OrgUserInvitation(username: edit.username, orgRoles: edit.target, teamIds: edit.teamIds)
            return (
                .inviteUser(orgId: orgId, invitation: invitation, key: edit.userId, batch: batch), intent(before: [])
            )
        }
        switch reread ?? .failure(AtlasError(.cancelled)) {
        case .failure(let error) where error.status == 404:
            // Gone already (this program's own removal before a crash, or another admin's).
            review.alreadyDone += 1
            membershipApplied(edit, result: .removed(call: call))
            return nil
        case .failure(let error):
            review.outcomes[edit.userId] = ApplyOutcome.forError(error)
            return nil
        case .success(let user):
            list.replace(user)
            guard user.orgRoles == edit.base else {
                review.outcomes[edit.userId] = .conflict(server: user.orgRoles)
                return nil
            }
            review.outstanding.insert(edit.userId)
            var entry = intent(before: edit.base)
            entry.teamIds = user.teamIds
            return (.removeUser(orgId: orgId, userId: edit.userId, batch: batch), entry)
        }
    }

    /// Records a removal or invitation the server now holds, in the list and the run.
    private mutating func membershipApplied(_ edit: PendingEdit, result: MembershipWriteResult) {
        pending.remove(edit.userId)
        review.appliedEdits[edit.userId] = edit
        list.marked.remove(edit.userId)
        switch result {
        case .removed(let call):
            review.outcomes[edit.userId] = .applied(call: call, roles: [])
            list.removeUser(id: edit.userId)
        case .invited(let user, let call):
            review.outcomes[edit.userId] = .applied(call: call, roles: user.orgRoles)
            list.ingest([user])
        }
    }

    mutating func membershipWriteFinished(
        userId: String, result: Result<MembershipWriteResult, AtlasError>, batch: Int, at time: Date
    ) -> [Effect] {
        guard batch == review.batch, review.outstanding.remove(userId) != nil, let orgId,
            let edit = pending[userId]
        else { return [] }
        activity = nil
        var entry = JournalEntry(
            time: time, batch: batchId(batch), orgId: orgId, userId: userId, username: edit.username,
            before: edit.base.sorted(), after: edit.target.sorted(), call: call(for: edit, orgId: orgId),
            outcome: .applied, revertOf: edit.revertOf, teamIds: edit.teamIds)
        switch result {
        case .success(let written):
            membershipApplied(edit, result: written)
            entry.call = written.call
            if case .invited(let user, _) = written {
                entry.after = user.orgRoles.sorted()
                entry.invitedUserId = user.id
            }
        case .failure(let error):
            let outcome = ApplyOutcome.forError(error)
            review.outcomes[userId] = outcome
            let refused: Bool
            if case .refused = outcome { refused = true } else { refused = false }
            if refused, ApplyOutcome.isSharedByEveryWrite(error) { stopSending(error, at: time) }
            entry.outcome = refused ? .refused : .failed
            entry.error = error.description
        }
        return answered(entry)
    }

    /// Whether an interrupted removal or invitation arrived, judged from the users loaded now; nil for
    /// a role write.
    func membershipIntentArrived(_ intent: JournalEntry) -> Bool? {
        switch intent.call.method {
        case "DELETE": return list.user(id: intent.userId) == nil
        case "POST" where PendingEdit.isInvitationKey(intent.userId):
            let address = intent.username.lowercased()
            return list.users.indices.contains { list.users[$0].username.lowercased() == address }
        default: return nil
        }
    }

    /// The edits that take back a run's removals (an invitation with the same roles and teams) and
    /// invitations (the removal of the invited user, while still in the organization).
    func membershipReverts(of entries: [JournalEntry], batchId: String) -> [PendingEdit] {
        entries.compactMap { entry -> PendingEdit? in
            switch entry.call.method {
            case "DELETE":
                guard !entry.before.isEmpty else { return nil }
                return .invitation(
                    username: entry.username, roles: Set(entry.before), teamIds: entry.teamIds ?? [],
                    revertOf: batchId)
            case "POST":
                guard let id = entry.invitedUserId, let user = list.user(id: id) else { return nil }
                return .removal(of: user, base: pending[id]?.base, revertOf: batchId)
            default: return nil
            }
        }
    }

    /// The reads the checklist's header needs once it shows one user: that user (teams and project
    /// roles, read when the checklist opens, so they are current), and the organization's team and
    /// project names once per session.
    mutating func membershipDetailsEffects() -> [Effect] {
        guard pane == .checklist, let orgId, let ids = checklist?.userIds, ids.count == 1,
            !PendingEdit.isInvitationKey(ids[0])
        else {
            membershipDetailsRequested = nil
            return []
        }
        guard membershipDetailsRequested != ids[0] else { return [] }
        membershipDetailsRequested = ids[0]
        membershipDetails = nil
        var effects: [Effect] = [.loadMembershipDetails(orgId: orgId, userId: ids[0])]
        if !namesRequested {
            namesRequested = true
            effects.append(.loadNames(orgId: orgId))
        }
        return effects
    }

    /// The user on the checklist, read again: kept for the header while that user is still shown.
    mutating func membershipDetailsLoaded(userId: String, _ result: Result<OrgUser, AtlasError>) {
        guard userId == membershipDetailsRequested, case .success(let user) = result else { return }
        membershipDetails = user
    }

    /// The header lines naming the teams and project roles of `user`, once read; none before.
    public func membershipLines(for user: OrgUser) -> [String] {
        guard let details = membershipDetails, details.id == user.id else { return [] }
        return UserDetailsText.membershipLines(for: details, names: names ?? OrganizationNames())
    }

    /// The team and project names arrived (or could not be read: the header shows ids then).
    mutating func namesLoaded(_ result: Result<OrganizationNames, AtlasError>) {
        switch result {
        case .success(let names): self.names = names
        case .failure(let error):
            names = OrganizationNames()
            notice("team and project names could not be read: " + OutcomeText.brief(error))
        }
    }
}

extension Effect {
    /// The edit a queued write of a run is for: a role write, a removal or an invitation.
    var runWriteUserId: String? {
        switch self {
        case .writeRoles(_, let userId, _, _, _), .removeUser(_, let userId, _): userId
        case .inviteUser(_, _, let key, _): key
        default: nil
        }
    }
}

extension UserListState {
    /// Takes a removed user out of the list, keeping the cursor where it was.
    mutating func removeUser(id: String) {
        guard users.index(ofId: id) != nil else { return }
        let row = cursor
        var remaining = UserStore()
        remaining.reserveCapacity(users.count - 1)
        for index in users.indices where users.id(at: index) != id { _ = remaining.append(users[index]) }
        setUsers(remaining)
        setCursor(row)
    }
}
