import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Cursor movement, panes, the filter and marks.
extension EditorState {
    /// Characters the filter line holds: more than any query, few enough that a paste stays quick.
    static let maximumFilterLength = 256

    mutating func moveCursor(by delta: Int) {
        switch pane {
        case .users: list.moveCursor(by: delta)
        case .journal where journal.openRun != nil:
            journal.runScroll = max(0, journal.runScroll + delta)
        default: moveCursor(to: paneCursor + delta)
        }
    }

    mutating func moveCursor(to row: Int) {
        switch pane {
        case .users: list.setCursor(row)
        case .checklist: checklist?.cursor = Self.clamp(row, OrgRole.known.count)
        case .review: review.cursor = Self.clamp(row, reviewCount)
        case .orgPicker: picker.cursor = Self.clamp(row, picker.organizations.count)
        case .journal: journal.cursor = Self.clamp(row, journal.batches.count)
        }
    }

    mutating func page(by pages: Int) {
        switch pane {
        case .users: list.page(by: pages)
        default: moveCursor(to: paneCursor + pages * list.viewportHeight)
        }
    }

    /// The cursor of a pane other than the list.
    private var paneCursor: Int {
        switch pane {
        case .users: list.cursor
        case .checklist: checklist?.cursor ?? 0
        case .review: review.cursor
        case .orgPicker: picker.cursor
        case .journal: journal.cursor
        }
    }

    private static func clamp(_ row: Int, _ count: Int) -> Int { max(0, min(row, count - 1)) }

    mutating func activate() -> [Effect] {
        switch pane {
        case .users: openChecklist()
        case .checklist: pane = .users
        case .review: return confirmApply()
        case .orgPicker: return pickOrganization()
        case .journal:
            // Look before reverting: the first Enter shows the run, the second stages its revert.
            guard journal.openRun != nil else {
                if journal.batches.indices.contains(journal.cursor) {
                    journal.openRun = journal.cursor
                    journal.runScroll = 0
                }
                return []
            }
            return revertBatch()
        }
        return []
    }

    mutating func back() {
        if pane == .journal, journal.openRun != nil {
            journal.openRun = nil
            return
        }
        switch pane {
        case .users:
            if !list.filterText.isEmpty { list.setFilter("") }
        case .checklist, .review, .journal:
            pane = .users
            checklist = nil
        case .orgPicker:
            break
        }
    }

    mutating func filter(_ action: Action) {
        switch action {
        case .filterBegin:
            pane = .users
            list.isEditingFilter = true
            list.filterClock = now
        case .filterInput(let text) where list.isEditingFilter:
            // Control characters never belong in a filter (a pasted escape sequence, a stray tab).
            let printable = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })
            // No query is longer than a line; a pasted page would only make every key slower.
            let room = Self.maximumFilterLength - list.filterText.count
            if !printable.isEmpty && room > 0 { list.setFilter(list.filterText + printable.prefix(room)) }
            if printable.count > room {
                flash = Flash("the filter holds at most \(Self.maximumFilterLength) characters")
            }
        case .filterBackspace where list.isEditingFilter:
            if !list.filterText.isEmpty { list.setFilter(String(list.filterText.dropLast())) }
        case .filterCommit:
            // A filter that does not parse stays on the line, its error beside it, until it is fixed.
            if list.filterError == nil { list.isEditingFilter = false }
        case .nextMatch where !list.isEditingFilter:
            list.moveToMatch(forward: true)
        case .previousMatch where !list.isEditingFilter:
            list.moveToMatch(forward: false)
        case .filterCancel:
            list.isEditingFilter = false
            list.setFilter("")
        default:
            break
        }
    }

    /// Marks or unmarks the user under the cursor and moves to the next row, as htop and mc do, so
    /// Space held down marks a run of users.
    mutating func toggleMark() {
        guard pane == .users, let user = list.cursorUser else { return }
        if list.marked.remove(user.id) == nil { list.marked.insert(user.id) }
        list.moveCursor(by: 1)
    }

    mutating func clearMarks() {
        guard !list.marked.isEmpty else {
            flash = Flash("no marks to clear")
            return
        }
        let count = list.marked.count
        list.marked = []
        flash = Flash("cleared \(count) mark(s)")
    }

    /// Opens the checklist for the marked users, or for the user under the cursor when none is marked.
    ///
    /// Marks survive the filter, so some may be out of sight. A careful admin expects Enter to change
    /// only what the screen shows: editing hidden users (the cursor on Alice, the checklist over three
    /// owners filtered away) is how a bulk edit surprises. So Enter with hidden marks is refused, naming
    /// the hidden users and how to see or drop them; with every mark in sight it edits exactly the
    /// marked users and says so by name (the cursor's user is not added: marks are the selection, as
    /// tagged files are in mc).
    mutating func openChecklist() {
        let ids: [String]
        if !list.marked.isEmpty {
            let hidden = list.hiddenMarkedUsernames
            guard hidden.isEmpty else {
                flash = Flash(
                    "not editing: \(hidden.count) of \(list.marked.count) marked users are hidden by the filter ("
                        + StatusText.names(hidden, of: hidden.count) + "); clear the filter to see them, or the marks",
                    level: .warning, ticks: 10, nextSteps: [.clearMarks])
                return
            }
            // Marked users in list order, so the checklist's header reads like the list.
            let rows = list.marked.compactMap { list.users.index(ofId: $0) }.sorted { list.rank[$0] < list.rank[$1] }
            ids = rows.map { list.users.id(at: $0) }
            flash = Flash(
                "editing the marked " + StatusText.users(rows.prefix(3).map { list.users[$0].username }, of: ids.count))
        } else if let user = list.cursorUser {
            ids = [user.id]
        } else {
            flash = Flash("no user to edit", level: .warning)
            return
        }
        checklist = ChecklistState(userIds: ids)
        pane = .checklist
    }

    mutating func openReview() {
        if pending.isEmpty && review.outcomes.isEmpty {
            flash = Flash("nothing to review: no pending edits")
            return
        }
        review.cursor = min(review.cursor, max(0, reviewCount - 1))
        checklist = nil
        pane = .review
    }

    mutating func organizationsLoaded(_ result: Result<[Organization], AtlasError>) -> [Effect] {
        picker.isLoading = false
        switch result {
        case .success(let orgs):
            picker.organizations = OrgPickerState.choices(orgs)
            picker.error = nil
            // One organization leaves nothing to choose.
            if picker.organizations.count == 1 && orgId == nil { return pickOrganization() }
        case .failure(let error):
            picker.error = error
            flash = Flash("listing organizations failed: " + OutcomeText.brief(error), level: .error)
        }
        return []
    }

    private mutating func pickOrganization() -> [Effect] {
        guard picker.organizations.indices.contains(picker.cursor) else { return [] }
        let org = picker.organizations[picker.cursor]
        organization = org
        orgId = org.id
        pane = .users
        pending.removeAll()
        review = ReviewState()
        return beginLoadingUsers(org.id) + [.loadDraft(orgId: org.id)]
    }

    mutating func usersPageLoaded(_ page: UserPage, generation: Int) {
        guard generation == loadGeneration else { return }
        list.ingest(page.users, expectedTotal: page.totalCount)
        list.progress.loaded = list.users.count
        list.progress.total = page.totalCount
        activity = nil
    }
}
