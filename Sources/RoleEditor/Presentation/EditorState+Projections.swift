import AtlasAPI

/// What the panes draw, projected from the editor's state: rows, header and status line.
extension EditorState {
    /// The row `row` of the shown users, with its marks.
    public func userRow(at row: Int) -> UserRow {
        let user = list.user(atRow: row)
        return UserRow(
            row: row, user: user, isCursor: row == list.cursor, isMarked: list.marked.contains(user.id),
            edit: pending[user.id],
            outcome: pending[user.id] == nil ? review.outcomes[user.id] : pendingOutcome(of: user.id),
            lastLogin: now.map { LoginText.age(of: user.lastAuth, status: user.status, now: $0) } ?? "")
    }

    /// The rows in the list's window: all the screen needs to draw the list.
    public var visibleUserRows: [UserRow] { list.window.map(userRow(at:)) }

    /// The checklist's seven rows, with original and edited marks over the edited users.
    ///
    /// Drawn on every key of a bulk edit that may span 100,000 users: the counts are kept between keys
    /// (``ChecklistState``) while the edits and users stay the same. A role is on when every user holds
    /// it, off when none does.
    public var checklistRows: [ChecklistRow] {
        guard let checklist else { return [] }
        let counts = checklist.keptCounts.value(for: EditsAndUsers(edits: pending.revision, users: list.users.revision))
        {
            countChecklistRoles(checklist)
        }
        let (original, edited, implied, users) = (counts.original, counts.edited, counts.implied, counts.users)
        func mark(_ holders: Int) -> RoleMark { holders == 0 ? .off : holders == users ? .on : .mixed }
        return OrgRole.known.enumerated().map { index, role in
            ChecklistRow(
                role: role, original: mark(original[index]), edited: mark(edited[index]),
                implied: mark(implied[index]), isCursor: index == checklist.cursor)
        }
    }

    /// The users the checklist edits, for its header ("ada@example.com" or "12 users"); each is built
    /// only when read, so a bulk edit's header costs what it draws.
    public var checklistUsers: UserSelection {
        guard let checklist else { return UserSelection(store: list.users, rows: []) }
        let rows = checklist.keptRows.value(for: list.users.revision) {
            checklist.userIds.compactMap { list.users.index(ofId: $0) }
        }
        return UserSelection(store: list.users, rows: rows)
    }

    /// Rows of the review: pending edits, then edits the last run applied, each ordered by email.
    public var reviewItems: [ReviewItem] { reviewItems(in: 0..<reviewCount) }

    /// The review rows `range` (clamped): what the screen draws, so a review of 20,000 edits builds
    /// only the rows around its cursor.
    public func reviewItems(in range: Range<Int>) -> [ReviewItem] {
        guard let orgId else { return [] }
        let range = range.clamped(to: 0..<reviewCount)
        let sortedPending = pending.sorted
        // The run's users are in review order already, so the applied ones need no sort; listing them
        // is work over the whole run, done once per answered write, and only when the rows reach them.
        let applied =
            range.upperBound > sortedPending.count
            ? review.keptApplied.value(
                for: .init(edits: pending.revision, batch: review.batch, count: review.appliedEdits.count)
            ) { review.runUserIds.compactMap { review.appliedEdits[$0] } } : []
        return range.map { index in
            let isPending = index < sortedPending.count
            let edit = isPending ? sortedPending[index] : applied[index - sortedPending.count]
            let outcome = isPending ? pendingOutcome(of: edit.userId) : review.outcomes[edit.userId]
            let call: APICall
            if case .applied(let used, _) = outcome {
                call = used
            } else {
                call = self.call(for: edit, orgId: orgId)
            }
            return ReviewItem(
                edit: edit, call: call, outcome: outcome, isInFlight: review.outstanding.contains(edit.userId))
        }
    }

    /// The last run's outcome for a user with an edit still pending: a refusal, failure or conflict
    /// of that edit. An "applied" belongs to the run's earlier edit (the user was edited again, or the
    /// run is being reverted), so it is not shown on the new one, which has not been sent.
    func pendingOutcome(of userId: String) -> ApplyOutcome? {
        guard let outcome = review.outcomes[userId], !outcome.isApplied else { return nil }
        return outcome
    }

    /// What the pending edits do, counted, for the top of the review.
    public var reviewSummary: ReviewSummary {
        review.keptSummary.value(for: EditsAndUsers(edits: pending.revision, users: list.users.revision)) {
            ReviewSummary(edits: pending.sorted, users: list.users)
        }
    }

    /// The last run's refusals and failures grouped by error, each said once on top of the review.
    public var outcomeGroups: [OutcomeGroup] {
        review.keptGroups.value(
            for: .init(edits: pending.revision, batch: review.batch, count: review.outcomes.count)
        ) {
            OutcomeGroup.grouping(review.outcomes) { pending[$0] ?? review.appliedEdits[$0] }
        }
    }

    /// Number of review rows (without building them).
    public var reviewCount: Int { pending.count + review.appliedEdits.count }

    /// The rule findings for applying every pending edit now.
    public var ruleFindings: [RuleFinding] {
        pending.findings(over: list.users, progress: list.progress)
    }

    /// The header line: organization, the counts in words (``StatusText/counts(shown:loaded:total:isLoading:isFiltered:)``),
    /// sort, marks, pending edits.
    public var headerText: String {
        if pane == .orgPicker {
            // No organization yet: user counts would read as an empty org.
            let count = picker.organizations.count
            return picker.isLoading ? "organizations  loading…" : "organizations  \(count)"
        }
        let name = organization.map { SafeText.sanitized($0.name) } ?? orgId ?? "no organization"
        let counts = StatusText.counts(
            shown: list.count, loaded: list.users.count, total: list.progress.total,
            isLoading: list.progress.isLoading, isFiltered: !list.query.isEmpty)
        var text = "\(name)  \(counts)  sort: \(list.sort.label) \(SortText.arrow(reversed: list.isSortReversed))"
        if !list.marked.isEmpty {
            let hidden = list.hiddenMarkedUsernames.count
            text += "  marked \(list.marked.count)" + (hidden > 0 ? " (\(hidden) hidden)" : "")
        }
        if !pending.isEmpty { text += "  pending \(pending.count)" }
        return text
    }

    /// The status line's message: a prompt's question, the filter being typed, a flash, the service's
    /// wait or the run's progress, in that order; nil when there is none, and the screen shows the
    /// pane's key hints instead. The screen adds the keys: a prompt's answers, a flash's next steps.
    public var statusLine: String? {
        if let prompt { return prompt.question }
        if isTextInputFocused { return "/" + list.filterText }
        if let flash { return flash.text }
        if let activity { return activity }
        return StatusText.phase(review.phase)
    }
}
