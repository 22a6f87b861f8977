import RoleEditor

/// Earlier apply runs of this organization, newest first; Enter turns one into pending edits that undo it.
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
        let top = max(0, journal.cursor - body.height + 1)
        for (offset, batch) in journal.batches.dropFirst(top).enumerated() where offset < body.height {
            let isCursor = top + offset == journal.cursor
            let users = batch.applied.map { SafeText.sanitized($0.username) }.joined(separator: ", ")
            // Date's description is ISO-like and needs no formatter: "2026-11-29 01:43:04 +0000".
            let time = String(describing: batch.time)
            canvas.draw(
                [
                    Span(isCursor ? "› " : "  ", Style(.accent, [.bold])),
                    Span(time, isCursor ? Style(.normal, [.bold, .reverse]) : .plain),
                    Span("  \(batch.applied.count) applied  ", Style(.positive)),
                    Span(users, Style(.muted)),
                ], x: body.x, y: body.y + offset, maxWidth: body.width)
        }
    }
}
