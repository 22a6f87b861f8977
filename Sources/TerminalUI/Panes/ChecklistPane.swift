import RoleEditor

/// The role checklist: who a single edited user is (``UserDetailsText``), the seven roles for the
/// edited user(s), edited mark beside the original one, implied roles and partial ("mixed") holdings
/// for bulk edits, then who is being edited.
enum ChecklistPane {
    static func draw(_ state: EditorState, into canvas: inout Canvas, layout: FrameLayout) {
        let users = state.checklistUsers
        let single = users.count == 1 ? users.first : nil
        let subject: String
        if let user = single {
            let name = user.displayName.map { " (\(SafeText.sanitized($0)))" } ?? ""
            subject = SafeText.sanitized(user.username) + name
        } else {
            subject = "\(users.count) users (bulk edit)"
        }
        canvas.draw(
            [Span("Roles for ", Style(.muted, [.bold])), Span(subject, Style(.accent, [.bold]))],
            x: layout.subheader.x + 1, y: layout.subheader.y, maxWidth: layout.subheader.width - 1)

        let body = layout.body
        guard body.height > 0 else { return }
        let rows = state.checklistRows
        let (details, top) = placement(state, body: body)
        for (index, line) in details.enumerated() {
            canvas.draw(line, x: body.x + 2, y: body.y + index, maxWidth: body.width - 2, style: Style(.muted))
        }
        // The console's whole names from 100 columns; below that without the "Organization" they share.
        let wholeNames = body.width >= 100
        let nameWidth = wholeNames ? 36 : 24
        for (index, row) in rows.enumerated() where top + index < body.maxY {
            let y = top + index
            if row.isCursor { canvas.draw("›", x: body.x, y: y, style: Style(.accent, [.bold])) }
            let markStyle: Style
            switch (row.original, row.edited) {
            case (let a, let b) where a == b: markStyle = .plain
            case (_, .on): markStyle = Style(.positive, [.bold])
            case (_, .off): markStyle = Style(.negative, [.bold])
            default: markStyle = Style(.warning, [.bold])
            }
            var x = body.x + 2
            x += canvas.draw(mark(row.edited), x: x, y: y, style: markStyle)
            x += 1
            let nameStyle = row.isCursor ? Style(.normal, [.bold, .reverse]) : (row.isChanged ? markStyle : .plain)
            canvas.draw(
                TextWidth.fitted(wholeNames ? RoleText.name(row.role) : RoleText.shortName(row.role), to: nameWidth),
                x: x, y: y, style: nameStyle)
            x += nameWidth + 1
            var notes: [Span] = []
            if row.isChanged { notes.append(Span("was \(mark(row.original))  ", Style(.warning))) }
            if row.implied != .off && row.edited != .on {
                notes.append(Span(row.implied == .on ? "implied" : "implied for some", Style(.muted)))
            }
            if body.maxX - x > 28 {
                canvas.draw(row.role.rawValue, x: x, y: y, maxWidth: 28, style: Style(.muted))
                x += 29
            }
            canvas.draw(notes, x: x, y: y, maxWidth: body.maxX - x)
        }

        // Who is being edited, with what they will end up holding.
        var y = top + rows.count + 1
        guard y < body.maxY - 1 else { return }
        canvas.draw(users.count == 1 ? "Result" : "Edited users", x: body.x + 2, y: y, style: Style(.muted, [.bold]))
        y += 1
        for (index, user) in users.enumerated() {
            guard y < body.maxY else { break }
            if y == body.maxY - 1 && index < users.count - 1 {
                canvas.draw("… and \(users.count - index) more", x: body.x + 2, y: y, style: Style(.muted))
                break
            }
            let roles = state.effectiveRoles(of: user)
            let changed = roles != user.orgRoles
            let email = TextWidth.fitted(SafeText.sanitized(user.username), to: min(36, body.width / 2))
            canvas.draw(
                [
                    Span(email + " "),
                    Span(RoleText.summary(roles, width: max(8, body.width - 40)), changed ? Style(.warning) : .plain),
                ], x: body.x + 2, y: y, maxWidth: body.width - 2)
            y += 1
        }
    }

    /// The role row (an index of ``EditorState/checklistRows``) drawn on screen row `y`, if any: where
    /// a click lands.
    static func roleRow(atY y: Int, _ state: EditorState, layout: FrameLayout) -> Int? {
        let body = layout.body
        guard body.height > 0, y < body.maxY else { return nil }
        let index = y - placement(state, body: body).top
        return state.checklistRows.indices.contains(index) ? index : nil
    }

    /// The lines about the user above the roles, and the screen row of the first role. The roles come
    /// first: who the user is (single edits only) is drawn in what room they leave, and the blank line
    /// above the roles goes before a role row does.
    private static func placement(_ state: EditorState, body: Rect) -> (details: [String], top: Int) {
        let roleCount = state.checklistRows.count
        var details: [String] = []
        if state.checklistUsers.count == 1, let user = state.checklistUsers.first {
            details = detailLines(
                UserDetailsText.lines(for: user, now: state.now) + state.membershipLines(for: user),
                width: body.width - 2,
                height: body.height - roleCount - 1)
        }
        return (details, body.y + (details.isEmpty ? (body.height > roleCount ? 1 : 0) : details.count + 1))
    }

    /// `lines` wrapped to `width`, in at most `height` rows; when they do not all fit, the last row
    /// shown ends in `…` so a cut is never read as the whole story.
    static func detailLines(_ lines: [String], width: Int, height: Int) -> [String] {
        guard height > 0 else { return [] }
        let wrapped = lines.flatMap { TextWidth.wrapped($0, width: width, indent: "  ") }
        guard wrapped.count > height else { return wrapped }
        var shown = Array(wrapped.prefix(height - 1))
        shown.append(TextWidth.truncated(wrapped[height - 1] + " " + TextWidth.ellipsis, to: width))
        return shown
    }

    static func mark(_ mark: RoleMark) -> String {
        switch mark {
        case .on: "[x]"
        case .off: "[ ]"
        case .mixed: "[-]"
        }
    }
}
