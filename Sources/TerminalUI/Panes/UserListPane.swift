import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The user list: a column header, one row per shown user, or a message when there are none.
///
/// Only the rows of the editor's window are drawn (``EditorState/visibleUserRows``), so a list of
/// 100,000 users costs the same per frame as a list of twenty.
enum UserListPane {
    static func draw(_ state: EditorState, into canvas: inout Canvas, layout: FrameLayout) {
        let columns = UserColumns(width: layout.body.width, sort: state.list.sort)
        drawColumnHeader(
            columns, sort: state.list.sort, reversed: state.list.isSortReversed, into: &canvas, area: layout.subheader)
        let body = layout.body
        guard state.list.count > 0 else {
            drawEmpty(state, into: &canvas, area: body)
            return
        }
        let highlights = state.list.query.highlightedWords
        for (offset, row) in state.visibleUserRows.enumerated() where offset < body.height {
            drawRow(
                row, columns: columns, into: &canvas, y: body.y + offset, width: body.width, highlights: highlights)
        }
    }

    private static func drawColumnHeader(
        _ columns: UserColumns, sort: RoleEditor.SortOrder, reversed: Bool, into canvas: inout Canvas, area: Rect
    ) {
        guard !area.isEmpty else { return }
        let arrow = SortText.arrow(reversed: reversed)
        func title(_ text: String, _ column: UserColumns.Column, sortedBy order: RoleEditor.SortOrder) {
            canvas.draw(
                columnTitle(text, width: column.width, arrow: sort == order ? arrow : nil), x: column.x, y: area.y,
                maxWidth: column.width, style: Style(.muted, [.bold]))
        }
        /// The long title when it fits beside the arrow (if any), else the short one.
        func longest(
            _ long: String, _ short: String, _ column: UserColumns.Column, sortedBy order: RoleEditor.SortOrder
        )
            -> String
        {
            column.width >= TextWidth.width(long) + (sort == order ? 2 : 0) ? long : short
        }
        // Below the width of a name column, the status shares the email's.
        let email = longest(columns.name == nil ? emailStatusTitle : "EMAIL", "EMAIL", columns.email, sortedBy: .email)
        title(email, columns.email, sortedBy: .email)
        if let name = columns.name {
            title(longest(nameStatusTitle, "NAME", name, sortedBy: .name), name, sortedBy: .name)
        }
        if let lastLogin = columns.lastLogin {
            title(longest(lastLoginTitle, "LOGIN", lastLogin, sortedBy: .lastLogin), lastLogin, sortedBy: .lastLogin)
        }
        title("ROLES", columns.roles, sortedBy: .roles)
        if let outcome = columns.outcome {
            canvas.draw(
                "LAST APPLY", x: outcome.x, y: area.y, maxWidth: outcome.width, style: Style(.muted, [.bold]))
        }
    }

    /// A column's title, with the sort's arrow when the list is sorted by it: the arrow is kept and the
    /// title cut when the two do not fit ("LOG ▲").
    static func columnTitle(_ title: String, width: Int, arrow: String?) -> String {
        guard let arrow else { return title }
        let room = width - 1 - TextWidth.width(arrow)
        guard room > 0 else { return arrow }
        // The titles are ASCII: a character is a cell.
        return String(title.prefix(room)) + " " + arrow
    }

    static func drawRow(
        _ row: UserRow, columns: UserColumns, into canvas: inout Canvas, y: Int, width: Int, highlights: [String] = []
    ) {
        // The cursor mark is unstyled: a colored mark costs an extra ~25 bytes of SGR on every move.
        if row.isCursor { canvas.draw("›", x: UserColumns.cursorX, y: y) }
        if row.isMarked { canvas.draw("●", x: UserColumns.markX, y: y, style: Style(.accent, [.bold])) }
        if row.isNotApplied {
            canvas.draw("!", x: UserColumns.pendingX, y: y, style: Style(.negative, [.bold]))
        } else if row.edit != nil {
            canvas.draw("*", x: UserColumns.pendingX, y: y, style: Style(.warning, [.bold]))
        }

        // Reverse video over the email text only: plainly visible with or without color, and a move
        // rewrites two emails (a few dozen bytes over SSH) rather than two padded columns or whole rows.
        let emailStyle = row.isCursor ? Style(.normal, [.reverse]) : .plain
        // Without a name column the status takes the end of the email's: it is never the part cut.
        var emailWidth = columns.email.width
        if columns.name == nil, !row.statusLabel.isEmpty {
            let statusWidth = min(columns.email.width, TextWidth.width(row.statusLabel))
            emailWidth = max(0, columns.email.width - statusWidth - 1)
            canvas.draw(
                row.statusLabel, x: columns.email.x + columns.email.width - statusWidth, y: y, maxWidth: statusWidth,
                style: Style(.warning))
        }
        canvas.draw(row.email, x: columns.email.x, y: y, maxWidth: emailWidth, style: emailStyle)
        drawHighlights(
            highlights, in: row.email, x: columns.email.x, y: y, maxWidth: emailWidth, base: emailStyle,
            into: &canvas)
        if let name = columns.name {
            drawNameAndStatus(row, column: name, into: &canvas, y: y)
        }
        if let column = columns.lastLogin {
            canvas.draw(row.lastLogin, x: column.x, y: y, maxWidth: column.width)
        }
        // A staged removal keeps the roles the user holds, named as what goes: "(none)", the removal's
        // empty target, would read as a user left with no role.
        let removalPrefix = row.edit?.isRemoval == true ? (row.user.status == .pending ? "cancel: " : "remove: ") : ""
        let roles =
            removalPrefix
            + RoleText.summary(
                removalPrefix.isEmpty ? row.shownRoles : row.user.orgRoles,
                width: max(1, columns.roles.width - removalPrefix.count))
        if let notApplied = row.notApplied {
            // The server's roles as they are, then the wanted change in the error colour, marked as such.
            canvas.draw(
                [Span(roles), Span("  " + notApplied, Style(.negative, [.bold]))], x: columns.roles.x, y: y,
                maxWidth: columns.roles.width)
        } else {
            canvas.draw(
                roles, x: columns.roles.x, y: y, maxWidth: columns.roles.width,
                style: row.edit != nil ? Style(.warning) : .plain)
        }
        if let column = columns.outcome, let outcome = row.outcome {
            canvas.draw(
                OutcomeText.label(outcome), x: column.x, y: y, maxWidth: column.width, style: OutcomeStyle.of(outcome))
        }
    }

    /// Underlines, in bold, where the filter's words occur in `text` (compared as the filter folds:
    /// case and accents aside), within the `maxWidth` cells already drawn from `x`.
    static func drawHighlights(
        _ words: [String], in text: String, x: Int, y: Int, maxWidth: Int, base: Style, into canvas: inout Canvas
    ) {
        guard words.contains(where: { !$0.isEmpty }) else { return }
        let folded = FoldedText(text)
        for word in words where !word.isEmpty {
            for found in folded.matches(of: TextFolding.folded(word)) {
                let offset = TextWidth.width(String(text[..<found.lowerBound]))
                if offset >= maxWidth { break }
                var style = base
                style.attributes.formUnion([.bold, .underline])
                canvas.draw(
                    String(text[found]), x: x + offset, y: y, maxWidth: maxWidth - offset, style: style)
            }
        }
    }

    /// The ranges of `text` that fold to `needle`, left to right and not overlapping (see ``FoldedText``).
    static func foldedMatches(of needle: String, in text: String) -> [Range<String.Index>] {
        FoldedText(text).matches(of: TextFolding.folded(needle))
    }

    private static let nameStatusTitle = "NAME/STATUS"
    private static let emailStatusTitle = "EMAIL/STATUS"
    /// The login column's title when it has room; "LOGIN" when not (the header's sort label still says
    /// "last login").
    static let lastLoginTitle = "LAST LOGIN"

    /// The name, then the status when it is not ACTIVE. The status is never the part that is cut: an
    /// invitation's state matters more than the rest of a name the email already identifies.
    private static func drawNameAndStatus(
        _ row: UserRow, column: UserColumns.Column, into canvas: inout Canvas, y: Int
    ) {
        let status = row.statusLabel
        guard !status.isEmpty else {
            canvas.draw(row.name, x: column.x, y: y, maxWidth: column.width)
            return
        }
        let statusWidth = min(column.width, TextWidth.width(status))
        var x = column.x
        let nameRoom = column.width - statusWidth - 1
        if !row.name.isEmpty && nameRoom > 0 {
            x += canvas.draw(row.name, x: x, y: y, maxWidth: nameRoom) + 1
        }
        canvas.draw(status, x: x, y: y, maxWidth: column.x + column.width - x, style: Style(.warning))
    }

    private static func drawEmpty(_ state: EditorState, into canvas: inout Canvas, area: Rect) {
        guard !area.isEmpty else { return }
        let progress = state.list.progress
        var lines: [Span] = []
        if let error = progress.error {
            lines.append(Span("Loading users failed:", Style(.negative, [.bold])))
            // Wrapped, not cut: the hint at the end is what says what to do.
            let room = area.width - UserColumns.gutter - 2
            for line in OutcomeText.errorLines(error) {
                lines += TextWidth.wrapped(line, width: room, indent: "  ").map { Span("  " + $0, Style(.negative)) }
            }
            if let reload = KeyText.key(for: .reload, in: .pane(.users)) {
                lines.append(Span("\(reload.name) reloads", Style(.muted)))
            }
        } else if progress.isLoading {
            lines.append(Span("Loading users… \(progress.loaded) so far", Style(.info)))
        } else if !state.list.filterText.isEmpty {
            lines.append(Span("No user matches “\(SafeText.sanitized(state.list.filterText))”.", Style(.warning)))
            // While typing the filter, and after keeping it, the same key clears it (as ``KeyMap`` reads it).
            let context = KeyMap.context(of: state)
            let clear = KeyText.key(for: context == .filterLine ? .filterCancel : .back, in: context)
            if let clear { lines.append(Span("\(clear.name) clears the filter.", Style(.muted))) }
        } else if state.orgId == nil {
            lines.append(Span("No organization chosen.", Style(.muted)))
        } else {
            lines.append(Span("This organization has no users.", Style(.muted)))
        }
        for (offset, line) in lines.enumerated() where offset + 1 < area.height {
            canvas.draw(
                line.text, x: area.x + UserColumns.gutter, y: area.y + 1 + offset,
                maxWidth: area.width - UserColumns.gutter, style: line.style)
        }
    }
}
