import RoleEditor

/// The organization picker, shown when no organization was configured.
enum OrgPickerPane {
    static func draw(_ state: EditorState, into canvas: inout Canvas, layout: FrameLayout) {
        canvas.draw(
            "Choose an organization", x: layout.subheader.x + 1, y: layout.subheader.y, style: Style(.accent, [.bold]))
        let body = layout.body
        let picker = state.picker
        if let error = picker.error {
            let details = OutcomeText.errorLines(error).flatMap {
                TextWidth.wrapped($0, width: body.width - 2, indent: "  ")
            }
            let retry = KeyText.key(for: .reload, in: .pane(.orgPicker)).map { ["\($0.name) retries"] } ?? []
            let lines = ["Listing organizations failed:"] + details + retry
            for (offset, line) in lines.enumerated() where offset + 1 < body.height {
                canvas.draw(
                    "  " + line, x: body.x, y: body.y + 1 + offset, maxWidth: body.width, style: Style(.negative))
            }
            return
        }
        if picker.isLoading && picker.organizations.isEmpty {
            canvas.draw("  Loading organizations…", x: body.x, y: body.y + 1, style: Style(.info))
            return
        }
        if picker.organizations.isEmpty {
            canvas.draw("  These credentials see no organization.", x: body.x, y: body.y + 1, style: Style(.muted))
            return
        }
        let top = max(0, picker.cursor - body.height + 1)
        for (offset, org) in picker.organizations.dropFirst(top).enumerated() where offset < body.height {
            let isCursor = top + offset == picker.cursor
            let y = body.y + offset
            let nameWidth = min(48, body.width - 4)
            canvas.draw(
                [
                    Span(isCursor ? "› " : "  ", Style(.accent, [.bold])),
                    Span(
                        TextWidth.fitted(SafeText.sanitized(org.name), to: nameWidth),
                        isCursor ? Style(.normal, [.bold, .reverse]) : .plain),
                    Span(" " + org.id, Style(.muted)),
                ], x: body.x, y: y, maxWidth: body.width)
        }
    }
}
