import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Everything that can happen to the editor: a person's intent (from a key) or the result of an effect.
///
/// Movement and `activate` act on the current pane. Which key sends which action is the screen's
/// business (its key table); while ``EditorState/isTextInputFocused`` typed text arrives as
/// `.filterInput`, and while ``EditorState/prompt`` is set only `.answerPrompt` is expected.
public enum Action: Sendable, Equatable {
    // MARK: Session
    /// First action: loads the organization (or the list to pick one), its users and any draft.
    case start
    /// The terminal's size; the list's visible window follows it.
    case resize(rows: Int, cols: Int)
    /// Time passes (about once a second); the date is the wall clock's now. Flashes expire and the
    /// list's login ages are counted from it: the clock enters the editor only here, so `update` and
    /// every frame stay pure and tests choose the time.
    case tick(Date)
    /// Show or hide the help overlay.
    case help
    /// Scroll the help overlay so that its line `to` is the first shown (only while it is shown).
    case scrollHelp(to: Int)
    /// Quit, asking first while edits are pending.
    case quit
    /// Yes or no to the prompt.
    case answerPrompt(Bool)
    /// Load the users again (pending edits are kept).
    case reload

    // MARK: Movement (current pane)
    case moveCursor(Int)
    case pageDown
    case pageUp
    case top
    case bottom
    /// Open the checklist (users), back to the list (checklist), apply (review), pick (orgs),
    /// revert the run under the cursor (journal).
    case activate
    /// Back one pane (and, in the users pane, clears a committed filter first).
    case back

    // MARK: User list
    case filterBegin
    case filterInput(String)
    case filterBackspace
    /// Keep the filter being typed, give the keyboard back to the list.
    case filterCommit
    /// Clear the filter being typed.
    case filterCancel
    /// The next (previous) shown user whose email or name holds a highlighted word, after the filter
    /// is kept.
    case nextMatch
    case previousMatch
    /// The next sort order, in its natural direction.
    case cycleSort
    /// The same sort, the other way round.
    case reverseSort
    case setSort(SortOrder)
    /// The screen copied `text` (an email) to the terminal's clipboard; the status line says so.
    case copiedToClipboard(String)
    /// Mark or unmark the user under the cursor.
    case toggleMark
    /// Mark every shown user.
    case markAllShown
    case clearMarks
    /// Open the checklist for the marked users, or the user under the cursor when none is marked.
    case openChecklist

    // MARK: Checklist and edits
    /// Set or clear the checklist's role under the cursor for every edited user.
    case toggleRole
    /// Take back the last edit step.
    case undo
    /// Bring back the last step undone.
    case redo
    /// Drop the pending edit under the review's cursor.
    case dropEdit
    /// Open the review with every pending edit.
    case openReview
    /// Apply the review: check the rules, re-read the users, write.
    case confirmApply
    /// Apply again only the edits whose last outcome was refused or failed.
    case retryFailed
    /// Make the server's roles the base of every conflicted edit (an edit that becomes a no-op goes).
    case rebaseConflicts
    /// Drop every pending edit (and the draft).
    case discardAllEdits
    /// Edits made without the checklist (a script's command line), one undo step: applied with
    /// `.confirmApply` exactly as edits made on screen.
    case stageEdits([PendingEdit])
    /// Stage the removal of the marked users, or of the user under the cursor when none is marked (a
    /// PENDING user's removal cancels the invitation).
    case stageRemovals
    /// Open the invite form (on an expired or rejected invitation: prefilled, to invite again).
    case openInviteForm
    /// A key of the open invite form (its typed text arrives as `.filterInput`).
    case inviteForm(InviteFormAction)
    /// Open the journal of earlier runs, to revert one.
    case openJournal
    /// Turn the run under the journal cursor into pending edits that restore what it changed.
    case revertBatch

    // MARK: Results of effects
    case organizationsLoaded(Result<[Organization], AtlasError>)
    case organizationLoaded(Result<Organization, AtlasError>)
    /// A page of users of load `generation` (older generations are ignored).
    case usersPageLoaded(UserPage, generation: Int)
    case usersLoadFinished(generation: Int)
    case usersLoadFailed(AtlasError, generation: Int)
    /// The re-read before writing, for run `batch`: each user as the server has them, or the error.
    case refetched(batch: Int, results: [String: Result<OrgUser, AtlasError>])
    /// A write of run `batch` answered at `finishedAt`.
    case writeFinished(userId: String, result: Result<RoleWriteResult, AtlasError>, batch: Int, finishedAt: Date)
    /// A removal or an invitation of run `batch` answered at `finishedAt`; `userId` is the edit's id.
    case membershipWriteFinished(
        userId: String, result: Result<MembershipWriteResult, AtlasError>, batch: Int, finishedAt: Date)
    /// The organization's team and project names (for the checklist header), or why they are missing.
    case namesLoaded(Result<OrganizationNames, AtlasError>)
    /// One user read for the checklist's header: teams and project roles.
    case membershipDetailsLoaded(userId: String, Result<OrgUser, AtlasError>)
    case serviceEvent(ServiceEvent)
    /// The saved draft for the organization, or nil when there is none.
    case draftFound(Draft?)
    /// Intents of an earlier session's writes that have no outcome in the journal.
    case unresolvedIntentsFound([JournalEntry])
    /// The run's intents are on disk (or could not be written: then nothing is sent).
    case intentsRecorded(batch: Int, failure: PersistenceError?)
    case journalLoaded(Result<[JournalEntry], PersistenceError>)
    /// A draft or journal file could not be written.
    case persistenceFailed(PersistenceError)
}
