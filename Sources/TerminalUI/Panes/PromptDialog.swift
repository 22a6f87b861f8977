import RoleEditor

/// A yes/no question in a centred box: quitting with pending edits, restoring a draft (with its edits).
enum PromptDialog {
    static func draw(_ prompt: Prompt, into canvas: inout Canvas) {
        var lines: [Span] = []
        switch prompt {
        case .quitWithPendingEdits:
            lines.append(Span(KeyText.question(prompt), Style(.warning, [.bold])))
        case .typeUserCount:
            lines.append(Span(KeyText.question(prompt) + "_", Style(.warning, [.bold])))
            lines.append(Span("Enter applies, Esc cancels.", Style(.muted)))
        case .restoreDraft(let draft):
            lines.append(Span(KeyText.question(prompt), Style(.warning, [.bold])))
            for edit in draft.edits.prefix(6) {
                let diff = RoleText.diffLines(edit, naming: .console).joined(separator: " ")
                lines.append(Span("  " + SafeText.sanitized(edit.username) + "  " + diff))
            }
            if draft.edits.count > 6 { lines.append(Span("  … and \(draft.edits.count - 6) more", Style(.muted))) }
        }
        if !prompt.wantsTypedAnswer { lines.append(Span(KeyText.promptAnswers, Style(.muted))) }
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
