import RoleEditor

/// Earlier apply runs of this organization, newest first, named by time and size; Enter shows one
/// run whole, and Enter there turns it into pending edits that undo it.
enum JournalPane {
    static func draw(_ state: EditorState, into canvas: inout Canvas, layout: FrameLayout) {
        canvas.draw(
            "Journal: earlier apply runs", x: layout.subheader.x + 1, y: layout.subheader.y,
            style: Style(.accent, [.bold]))
        let body = layout.body
        let journal = state.journal
        if let error = journal.error {
            canvas.draw(
                "  " + SafeText.sanitized(error), x: body.x, y: body.y + 1, maxWidth: body.width,
                style: Style(.negative))
            return
        }
        if journal.isLoading {
            canvas.draw("  Loading the journal…", x: body.x, y: body.y + 1, style: Style(.info))
            return
        }
        if journal.batches.isEmpty {
            canvas.draw(
                "  No apply runs recorded for this organization yet.", x: body.x, y: body.y + 1, style: Style(.muted))
            return
        }
        if let open = journal.openRun, journal.batches.indices.contains(open) {
            drawRun(
                journal.batches[open], batches: journal.batches, scroll: journal.runScroll, into: &canvas, body: body)
            return
        }
        let top = firstShownRun(journal, body: body)
        for (offset, batch) in journal.batches.dropFirst(top).enumerated() where offset < body.height {
            let isCursor = top + offset == journal.cursor
            // Every user of the run, not only the applied: a refused run names whom it failed for.
            var seen = Set<String>()
            let users = batch.entries.filter { seen.insert($0.userId).inserted }
                .map { SafeText.sanitized($0.username) }.joined(separator: ", ")
            var spans = [
                Span(isCursor ? "› " : "  ", Style(.accent, [.bold])),
                Span(JournalBatch.timeText(batch.time), isCursor ? Style(.normal, [.bold, .reverse]) : .plain),
                Span("  " + batch.outcomeCounts, Style(batch.applied.isEmpty ? .negative : .positive)),
            ]
            spans.append(Span("  " + users, Style(.muted)))
            if let original = batch.revertOf {
                spans.append(Span("  revert of " + runName(original, in: journal.batches), Style(.warning, [.bold])))
            }
            canvas.draw(spans, x: body.x, y: body.y + offset, maxWidth: body.width)
        }
    }

    /// The run (an index of the journal's batches) listed on screen row `y`, if any: where a click
    /// lands. A run opened whole lists none.
    static func run(atY y: Int, _ state: EditorState, layout: FrameLayout) -> Int? {
        let journal = state.journal
        let body = layout.body
        guard journal.error == nil, !journal.isLoading, journal.openRun == nil, y >= body.y, y < body.maxY else {
            return nil
        }
        let index = firstShownRun(journal, body: body) + y - body.y
        return journal.batches.indices.contains(index) ? index : nil
    }

    /// The first run listed: the list scrolls just enough to show the cursor.
    private static func firstShownRun(_ journal: JournalState, body: Rect) -> Int {
        max(0, journal.cursor - body.height + 1)
    }

    /// A run named by its time, or by its id when the journal no longer lists it.
    private static func runName(_ id: String, in batches: [JournalBatch]) -> String {
        batches.first { $0.id == id }.map { "the run of " + JournalBatch.timeText($0.time) } ?? id
    }

    /// One run whole: each write's user, before → after and outcome, so it can be read before Enter
    /// stages its revert.
    private static func drawRun(
        _ batch: JournalBatch, batches: [JournalBatch], scroll: Int, into canvas: inout Canvas, body: Rect
    ) {
        var header = "Run of " + JournalBatch.timeText(batch.time) + "  " + batch.outcomeCounts
        if let original = batch.revertOf { header += "  (revert of " + runName(original, in: batches) + ")" }
        canvas.draw(header, x: body.x + 1, y: body.y, maxWidth: body.width - 1, style: Style(.accent, [.bold]))
        let rows = batch.entries.map { entry -> [Span] in
            // Named as the list, the checklist and the review name them.
            let before = RoleText.list(Set(entry.before), naming: .console)
            let after = RoleText.list(Set(entry.after), naming: .console)
            var outcome = entry.outcome == .notSent ? "not sent" : entry.outcome.rawValue
            if entry.confirmedByReread == true { outcome += " (found on restart)" }
            if let error = entry.error, entry.outcome != .applied { outcome += ": " + error }
            return [
                Span("  " + SafeText.sanitized(entry.username), Style(.normal, [.bold])),
                Span("  " + before + " → " + after),
                Span("  " + SafeText.sanitized(outcome), Style(entry.outcome == .applied ? .positive : .negative)),
            ]
        }
        let top = min(scroll, max(0, rows.count - (body.height - 1)))
        for (offset, row) in rows.dropFirst(top).enumerated() where offset < body.height - 1 {
            canvas.draw(row, x: body.x, y: body.y + 1 + offset, maxWidth: body.width)
        }
    }
}
