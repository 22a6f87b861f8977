import RoleEditor

/// Draws a whole frame from the editor's state: a pure function, so tests render into a canvas and
/// compare text, and the screen diffs the result against the previous frame.
///
/// ```swift
/// let canvas = FrameRenderer.render(state, width: 80, height: 24)
/// print(canvas.text)
/// ```
public enum FrameRenderer {
    /// The smallest size the panes are drawn at; below it a centred message says what is needed.
    public static let minimumSize = (columns: FrameLayout.minimumWidth, rows: FrameLayout.minimumHeight)

    public static func render(_ state: EditorState, width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        if width < FrameLayout.minimumWidth || height < FrameLayout.minimumHeight {
            TooSmallMessage.draw(
                into: &canvas, minimumWidth: FrameLayout.minimumWidth, minimumHeight: FrameLayout.minimumHeight,
                question: state.prompt.map(KeyText.question))
            return canvas
        }
        let layout = FrameLayout(width: width, height: height)
        HeaderBar.draw(state, into: &canvas, area: layout.header)
        switch state.pane {
        case .users: UserListPane.draw(state, into: &canvas, layout: layout)
        case .checklist: ChecklistPane.draw(state, into: &canvas, layout: layout)
        case .review: ReviewPane.draw(state, into: &canvas, layout: layout)
        case .orgPicker: OrgPickerPane.draw(state, into: &canvas, layout: layout)
        case .journal: JournalPane.draw(state, into: &canvas, layout: layout)
        }
        StatusBar.draw(state, into: &canvas, area: layout.status)
        if state.showHelp { HelpOverlay.draw(state, into: &canvas) }
        if let form = state.inviteForm { InviteFormDialog.draw(form, state: state, into: &canvas) }
        if let prompt = state.prompt { PromptDialog.draw(prompt, into: &canvas) }
        return canvas
    }
}
