import AtlasAPI

/// Slow work the update asks for; the ``EffectRunner`` does it and answers with an ``Action``.
public enum Effect: Sendable, Hashable {
    /// `GET /orgs` → `.organizationsLoaded`.
    case loadOrganizations
    /// `GET /orgs/{id}` → `.organizationLoaded`.
    case loadOrganization(id: String)
    /// Every page of users → `.usersPageLoaded`…, then `.usersLoadFinished` or `.usersLoadFailed`.
    /// A new load cancels an older one.
    case loadUsers(orgId: String, generation: Int)
    /// Re-read users before writing → one `.refetched`. With `byListing`, the organization's user
    /// list is read page by page and the users are taken from it (any it lacks are read one by one):
    /// fewer requests than one `GET` per user when the run covers more users than the list has pages.
    case refetchUsers(orgId: String, userIds: [String], batch: Int, byListing: Bool = false)
    /// Write one user's roles → `.writeFinished`. The runner bounds how many run at once.
    case writeRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod, batch: Int)
    /// Remove a user from the organization, or cancel a PENDING invitation → `.membershipWriteFinished`.
    case removeUser(orgId: String, userId: String, batch: Int)
    /// Invite a user → `.membershipWriteFinished` under `key` (the edit's local id).
    case inviteUser(orgId: String, invitation: OrgUserInvitation, key: String, batch: Int)
    /// Read the organization's teams and projects (names for the checklist header) →
    /// `.namesLoaded`.
    case loadNames(orgId: String)
    /// Read one user as the server has them now, project roles included (the checklist's header) →
    /// `.membershipDetailsLoaded`.
    case loadMembershipDetails(orgId: String, userId: String)
    /// Read what the last session left: the journal's intents without an outcome (a run a crash
    /// interrupted) → `.unresolvedIntentsFound` when there are any, then the saved draft → `.draftFound`.
    case loadDraft(orgId: String)
    /// Save the pending edits atomically (only a failure answers: `.persistenceFailed`).
    case saveDraft(Draft)
    /// Remove the draft: everything was applied or discarded.
    case deleteDraft(orgId: String)
    /// Append lines to the journal (only a failure answers).
    case appendJournal([JournalEntry])
    /// Append a run's intents to the journal, fsynced, before any of its writes is sent →
    /// `.intentsRecorded`.
    case recordIntents([JournalEntry], batch: Int)
    /// Read the journal → `.journalLoaded`.
    case loadJournal(orgId: String)
    /// Leave the program: the screen restores the terminal and exits. Not run by the runner.
    case quit
}
