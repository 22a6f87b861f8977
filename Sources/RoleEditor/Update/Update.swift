import AtlasAPI

/// The editor's one state transition: applies `action` to `state` and returns the slow work to do.
///
/// Pure and synchronous: no I/O, no clock, no randomness. Everything slow comes back later as an action.
///
/// ```swift
/// var state = EditorState(config: EditorConfig(orgId: id, sessionId: "s1"))
/// let effects = update(&state, .start)   // [.loadOrganization, .loadUsers, .loadDraft]
/// ```
public func update(_ state: inout EditorState, _ action: Action) -> [Effect] {
    let effects = state.reduce(action)
    state.dropUnstagedInvitationRows()
    return effects + state.membershipDetailsEffects()
}

extension EditorState {
    mutating func reduce(_ action: Action) -> [Effect] {
        if action.isIntent {
            if prompt != nil {
                return answeringPrompt(action)
            }
            if inviteForm != nil, let handled = inviteFormHandles(action) { return handled }
            if showHelp {
                if case .scrollHelp(let top) = action {
                    helpTop = max(0, top)
                    return []
                }
                // Any other intent closes the help and is swallowed, so a stray key does not act on a
                // pane the person cannot see.
                showHelp = false
                return []
            }
        }
        switch action {
        case .start: return start()
        case .resize(let rows, let cols):
            terminalRows = rows
            terminalCols = cols
            list.setViewportHeight(rows - Self.listChromeRows)
            return []
        case .tick(let date):
            now = date
            if var current = flash {
                current.ticksLeft -= 1
                flash = current.ticksLeft > 0 ? current : nil
            }
            return []
        case .help:
            showHelp = true
            helpTop = 0
            return []
        case .scrollHelp: return []
        case .quit: return quit()
        case .answerPrompt: return []
        case .reload: return reload()

        case .moveCursor(let delta): moveCursor(by: delta)
        case .pageDown: page(by: 1)
        case .pageUp: page(by: -1)
        case .top: moveCursor(to: 0)
        case .bottom: moveCursor(to: Int.max)
        case .activate: return activate()
        case .back: back()

        case .filterBegin, .filterInput, .filterBackspace, .filterCommit, .filterCancel, .nextMatch, .previousMatch:
            filter(action)
        case .cycleSort: list.setSort(list.sort.next)
        case .reverseSort: list.setSort(list.sort, reversed: !list.isSortReversed)
        case .copiedToClipboard(let text): flash = Flash("copied \(SafeText.sanitized(text)) to the clipboard")
        case .setSort(let order): list.setSort(order)
        case .toggleMark: toggleMark()
        case .markAllShown:
            for index in list.visible { list.marked.insert(list.users.id(at: index)) }
        case .clearMarks: clearMarks()
        case .openChecklist: openChecklist()

        case .toggleRole: return toggleRole()
        case .undo: return undo()
        case .redo: return redo()
        case .dropEdit: return dropEditUnderCursor()
        case .openReview: openReview()
        case .confirmApply: return confirmApply()
        case .retryFailed:
            return startRun(pending.sorted.filter { review.outcomes[$0.userId]?.isRetryable == true })
        case .rebaseConflicts: return rebaseConflicts()
        case .discardAllEdits: return discardAllEdits()
        case .stageEdits(let edits):
            pending.apply(step: edits.filter { $0.base != $0.target })
            return draftEffect()
        case .openJournal: return openJournal()
        case .revertBatch: return revertBatch()

        case .organizationsLoaded(let result): return organizationsLoaded(result)
        case .organizationLoaded(let result):
            switch result {
            case .success(let org): organization = org
            case .failure(let error):
                flash = Flash("reading the organization failed: " + OutcomeText.brief(error), level: .error)
            }
        case .usersPageLoaded(let page, let generation): usersPageLoaded(page, generation: generation)
        case .usersLoadFinished(let generation):
            guard generation == loadGeneration else { return [] }
            list.progress.isLoading = false
            list.progress.isComplete = true
            list.progress.loaded = list.users.count
            return reconcileIntents()
        case .usersLoadFailed(let error, let generation):
            guard generation == loadGeneration else { return [] }
            list.progress.isLoading = false
            list.progress.error = error
            flash = Flash("loading users failed: " + OutcomeText.brief(error), level: .error)
        case .refetched(let batch, let results): return refetched(batch: batch, results: results)
        case .writeFinished(let userId, let result, let batch, let finishedAt):
            return writeFinished(userId: userId, result: result, batch: batch, at: finishedAt)
        case .membershipWriteFinished(let userId, let result, let batch, let finishedAt):
            return membershipWriteFinished(userId: userId, result: result, batch: batch, at: finishedAt)
        case .namesLoaded(let result): namesLoaded(result)
        case .membershipDetailsLoaded(let userId, let result): membershipDetailsLoaded(userId: userId, result)
        case .stageRemovals: return stageRemovals()
        case .openInviteForm: return openInviteForm()
        case .inviteForm: return []
        case .serviceEvent(let event): serviceEvent(event)
        case .draftFound(let draft):
            if let draft, draft.orgId == orgId, !draft.edits.isEmpty { prompt = .restoreDraft(draft) }
        case .unresolvedIntentsFound(let intents):
            unresolvedIntents = intents.filter { $0.orgId == orgId }
            return reconcileIntents()
        case .intentsRecorded(let batch, let failure): return intentsRecorded(batch: batch, failure: failure)
        case .journalLoaded(let result): journalLoaded(result)
        case .persistenceFailed(let error):
            flash = Flash(SafeText.sanitized(error.description), level: .error, ticks: 10)
        }
        return []
    }

    // MARK: Session

    private mutating func start() -> [Effect] {
        guard let orgId else {
            pane = .orgPicker
            picker.isLoading = true
            return [.loadOrganizations]
        }
        return [.loadOrganization(id: orgId)] + beginLoadingUsers(orgId) + [.loadDraft(orgId: orgId)]
    }

    mutating func beginLoadingUsers(_ orgId: String) -> [Effect] {
        loadGeneration += 1
        list.removeAllUsers()
        list.progress = LoadProgress()
        list.progress.isLoading = true
        return [.loadUsers(orgId: orgId, generation: loadGeneration)]
    }

    private mutating func reload() -> [Effect] {
        guard let orgId else { return pane == .orgPicker ? [.loadOrganizations] : [] }
        if review.isRunning {
            flash = Flash("an apply is running; reload when it is done", level: .warning)
            return []
        }
        // Pending edits survive: each keeps its base, and the apply's re-read catches any drift.
        return beginLoadingUsers(orgId)
    }

    private mutating func quit() -> [Effect] {
        if !pending.isEmpty && !isQuitting {
            prompt = .quitWithPendingEdits(count: pending.count)
            return []
        }
        isQuitting = true
        return [.quit]
    }

    private mutating func answeringPrompt(_ action: Action) -> [Effect] {
        if case .typeUserCount(let users, let typed) = prompt {
            // Digits only: the answer is a number, and a stray letter must not count as part of it.
            switch action {
            case .filterInput(let text):
                prompt = .typeUserCount(users: users, typed: typed + text.filter(\.isASCII).filter(\.isNumber))
                return []
            case .filterBackspace:
                prompt = .typeUserCount(users: users, typed: String(typed.dropLast()))
                return []
            default: break
            }
        }
        guard case .answerPrompt(let yes) = action, let current = prompt else {
            // Quitting again on the quit prompt means yes; other intents wait for an answer.
            if action == .quit, case .quitWithPendingEdits = prompt {
                prompt = nil
                isQuitting = true
                return [.quit]
            }
            return []
        }
        prompt = nil
        switch current {
        case .quitWithPendingEdits:
            guard yes else { return [] }
            isQuitting = true
            return [.quit]
        case .typeUserCount(let users, let typed):
            guard yes else {
                flash = Flash("not applied")
                return []
            }
            guard typed == String(users) else {
                flash = Flash(
                    "not applied: \(typed.isEmpty ? "nothing" : typed) typed, \(users) needed", level: .warning)
                return []
            }
            return startRun(pending.sorted)
        case .restoreDraft(let draft):
            if yes {
                pending.apply(step: draft.edits)
                flash = Flash("restored \(pending.count) pending edit(s)", nextSteps: [.review])
                return []
            }
            flash = Flash("draft discarded")
            return [.deleteDraft(orgId: draft.orgId)]
        }
    }

    /// The draft effect that matches the pending edits now.
    func draftEffect() -> [Effect] {
        guard let orgId, config.keepsDraft else { return [] }
        if pending.isEmpty { return [.deleteDraft(orgId: orgId)] }
        return [.saveDraft(Draft(orgId: orgId, edits: pending.sorted))]
    }

    private mutating func serviceEvent(_ event: ServiceEvent) {
        switch event {
        case .retryWait(let call, let seconds, let attempt, let reason):
            activity = StatusText.retryWait(call: call, seconds: seconds, attempt: attempt, reason: reason)
        case .budgetWait(let call, let seconds, let remaining, let limit):
            activity = StatusText.budgetWait(call: call, seconds: seconds, remaining: remaining, limit: limit)
        case .deprecation(let call, let deprecation, let sunset):
            notice(StatusText.deprecation(call: call, deprecation: deprecation, sunset: sunset))
        case .switchedToPatch:
            writeChoice.switchedToPatch = true
            notice(
                "PUT .../roles answered 410 VERSION_GONE: writing with PATCH /orgs/{orgId}/users/{userId} from now on")
        }
    }

    /// Shows a notice once per session.
    mutating func notice(_ text: String) {
        guard !notices.contains(text) else { return }
        notices.append(text)
        flash = Flash(text, level: .warning, ticks: 10)
    }
}

extension Action {
    /// True for actions that come from a key; false for results of effects and for time and size.
    var isIntent: Bool {
        switch self {
        case .start, .resize, .tick, .organizationsLoaded, .organizationLoaded, .usersPageLoaded,
            .usersLoadFinished, .usersLoadFailed, .refetched, .writeFinished, .serviceEvent, .draftFound,
            .journalLoaded, .persistenceFailed, .unresolvedIntentsFound, .intentsRecorded, .membershipWriteFinished,
            .namesLoaded, .membershipDetailsLoaded:
            false
        default:
            true
        }
    }
}
