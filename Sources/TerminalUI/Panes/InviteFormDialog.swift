import AtlasAPI
import RoleEditor

/// The invite form in a centred box: the addresses (each refused one with its reason), the role
/// checklist, the teams, and the keys.
enum InviteFormDialog {
    static func draw(_ form: InviteForm, state: EditorState, into canvas: inout Canvas) {
        var lines: [Span] = []
        // The line holding the cursor: kept in view when the form is taller than the terminal.
        var focus = 0
        let heading = Style(.accent, [.bold])
        func marker(_ field: InviteForm.Field, _ row: Int, _ cursor: Int) -> String {
            form.field == field && row == cursor ? "› " : "  "
        }
        lines.append(
            Span("Addresses, one per line (paste several):", form.field == .addresses ? heading : Style(.muted)))
        let typed = form.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in typed.enumerated() {
            let isLast = index == typed.count - 1
            let problem = form.problems.first { $0.address == line.trimmingWhitespace() }
            var text = "  " + SafeText.sanitized(line) + (isLast && form.field == .addresses ? "_" : "")
            if let problem { text += "  ✗ " + problem.reason }
            if isLast && form.field == .addresses { focus = lines.count }
            lines.append(Span(text, problem == nil ? Style() : Style(.negative)))
        }
        lines.append(Span("Roles:", form.field == .roles ? heading : Style(.muted)))
        for (row, role) in OrgRole.known.enumerated() {
            let mark = form.roles.contains(role) ? "[x]" : "[ ]"
            if form.field == .roles && row == form.roleCursor { focus = lines.count }
            lines.append(Span(marker(.roles, row, form.roleCursor) + mark + " " + RoleText.name(role)))
        }
        let teams = state.inviteFormTeams
        lines.append(Span(teams.isEmpty ? "Teams: none" : "Teams:", form.field == .teams ? heading : Style(.muted)))
        for (row, team) in teams.enumerated() {
            let mark = form.teamIds.contains(team.id) ? "[x]" : "[ ]"
            if form.field == .teams && row == form.teamCursor { focus = lines.count }
            lines.append(Span(marker(.teams, row, form.teamCursor) + mark + " " + SafeText.sanitized(team.name)))
        }
        if let refusal = form.refusal { lines.append(Span(refusal, Style(.negative))) }
        lines.append(
            Span(
                "Tab next field · Space toggles · Enter: new line (addresses) / invite · Esc cancels", Style(.muted)
            ))
        let widest = lines.map { TextWidth.width($0.text) }.max() ?? 0
        let width = min(canvas.width, max(60, widest + 4))
        let height = min(canvas.height, lines.count + 2)
        let rect = canvas.bounds.centered(width: width, height: height)
        canvas.fill(Rect(x: rect.x - 1, y: rect.y, width: rect.width + 2, height: rect.height))
        canvas.box(rect, title: "Invite", style: Style(.accent, [.bold]))
        // Taller than the screen: a window of lines around the cursor's line, so the field being typed
        // into or toggled is always in view.
        let room = max(0, rect.height - 2)
        let top = max(0, min(focus - room / 2, lines.count - room))
        let shown = lines.dropFirst(top).prefix(room)
        for (offset, line) in shown.enumerated() {
            canvas.draw(line.text, x: rect.x + 2, y: rect.y + 1 + offset, maxWidth: rect.width - 4, style: line.style)
        }
    }
}
