import RoleEditor

/// The help overlay: the key table in a centred box over the pane.
enum HelpOverlay {
    static func draw(into canvas: inout Canvas) {
        let lines = HelpText.lines
        let width = min(canvas.width, (lines.map(TextWidth.width).max() ?? 0) + 4)
        let height = min(canvas.height, lines.count + 3)
        let rect = canvas.bounds.centered(width: width, height: height)
        // A blank margin keeps the pane's text from touching the box's edge.
        canvas.fill(Rect(x: rect.x - 1, y: rect.y, width: rect.width + 2, height: rect.height))
        canvas.box(rect, title: "Keys", style: Style(.accent))
        for (offset, line) in lines.enumerated() where offset + 1 < rect.height - 2 {
            canvas.draw(line, x: rect.x + 2, y: rect.y + 1 + offset, maxWidth: rect.width - 4)
        }
        canvas.draw("any key closes", x: rect.x + 2, y: rect.maxY - 2, maxWidth: rect.width - 4, style: Style(.muted))
    }
}

/// A yes/no question in a centred box: quitting with pending edits, restoring a draft (with its edits).
enum PromptDialog {
    static func draw(_ prompt: Prompt, into canvas: inout Canvas) {
        var lines: [Span] = []
        switch prompt {
        case .quitWithPendingEdits:
            lines.append(Span(prompt.question, Style(.warning, [.bold])))
        case .restoreDraft(let draft):
            lines.append(Span(prompt.question, Style(.warning, [.bold])))
            for edit in draft.edits.prefix(6) {
                let diff = RoleText.diffLines(edit).joined(separator: " ")
                lines.append(Span("  " + SafeText.sanitized(edit.username) + "  " + diff))
            }
            if draft.edits.count > 6 { lines.append(Span("  … and \(draft.edits.count - 6) more", Style(.muted))) }
        }
        lines.append(Span("y / Enter: yes     n / Esc: no", Style(.muted)))
        let widest = lines.map { TextWidth.width($0.text) }.max() ?? 0
        let width = min(canvas.width, widest + 4)
        let height = min(canvas.height, lines.count + 2)
        let rect = canvas.bounds.centered(width: width, height: height)
        canvas.fill(Rect(x: rect.x - 1, y: rect.y, width: rect.width + 2, height: rect.height))
        canvas.box(rect, title: "Confirm", style: Style(.warning, [.bold]))
        for (offset, line) in lines.enumerated() where offset < rect.height - 2 {
            canvas.draw(line.text, x: rect.x + 2, y: rect.y + 1 + offset, maxWidth: rect.width - 4, style: line.style)
        }
    }
}
