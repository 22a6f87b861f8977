import RoleEditor

/// The bottom row: a prompt with its answers, the filter being typed (with a block cursor), a flash
/// with its next steps, the service's wait, the apply's progress, or the pane's key hints, in that
/// order of importance.
enum StatusBar {
    static func draw(_ state: EditorState, into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        if let prompt = state.prompt {
            canvas.draw(
                " " + KeyText.question(prompt), x: area.x, y: area.y, maxWidth: area.width,
                style: Style(.warning, [.bold]))
            return
        }
        if state.isTextInputFocused {
            let text = SafeText.sanitized(state.list.filterText)
            // Keep the end of a long filter visible: that is where typing happens. An error gets the
            // right half of the line at most, so the text it is about stays in sight.
            let error = state.list.filterError.map { "  ✗ " + SafeText.sanitized($0) }
            let errorRoom = error.map { min(TextWidth.width($0), area.width / 2) } ?? 0
            let room = area.width - 2 - errorRoom
            var shown = text
            while TextWidth.width(shown) > room - 1, !shown.isEmpty { shown.removeFirst() }
            let used = canvas.draw([Span("/", Style(.accent, [.bold])), Span(shown)], x: area.x, y: area.y)
            canvas.draw(" ", x: area.x + used, y: area.y, style: Style(.normal, [.reverse]))
            if let error {
                canvas.draw(
                    error, x: area.x + used + 1, y: area.y, maxWidth: area.width - used - 1,
                    style: Style(.negative, [.bold]))
            }
            return
        }
        guard let message = state.statusLine else {
            canvas.draw(
                " " + KeyText.hintLine(in: state.pane, width: area.width - 1), x: area.x, y: area.y,
                maxWidth: area.width, style: Style(.muted))
            return
        }
        let style: Style
        var text = message
        if let flash = state.flash {
            text += KeyText.nextSteps(flash.nextSteps, in: state.pane)
            switch flash.level {
            case .info: style = Style(.info)
            case .warning: style = Style(.warning, [.bold])
            case .error: style = Style(.negative, [.bold])
            }
        } else {
            style = Style(.info)
        }
        canvas.draw(" " + text, x: area.x, y: area.y, maxWidth: area.width, style: style)
    }
}
