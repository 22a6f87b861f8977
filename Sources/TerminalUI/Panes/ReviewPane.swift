import RoleEditor

/// The review: rule findings, then each pending edit as a diff with the call it uses and, after an
/// apply, its outcome, with a refusal's whole error envelope inline under its user and a conflict's
/// role sets side by side.
enum ReviewPane {
    static func draw(_ state: EditorState, into canvas: inout Canvas, layout: FrameLayout) {
        var title = [Span("Review ", Style(.accent, [.bold])), Span("\(state.pending.count) pending edit(s)")]
        if let phase = StatusText.phase(state.review.phase) { title.append(Span("  " + phase, Style(.info))) }
        canvas.draw(title, x: layout.subheader.x + 1, y: layout.subheader.y, maxWidth: layout.subheader.width - 1)

        let body = layout.body
        guard body.height > 0 else { return }
        let page = visibleLines(state, body: body)
        for (offset, line) in page.lines.enumerated() {
            canvas.draw(line, x: body.x, y: body.y + offset, maxWidth: body.width)
        }
    }

    /// The review item (an index among ``EditorState/reviewCount``) a line of screen row `y` belongs
    /// to, if any: where a click lands.
    static func item(atY y: Int, _ state: EditorState, layout: FrameLayout) -> Int? {
        let body = layout.body
        guard body.height > 0, y >= body.y, y < body.maxY else { return nil }
        let items = visibleLines(state, body: body).items
        return y - body.y < items.count ? items[y - body.y] : nil
    }

    /// The lines the pane shows, top to bottom, and the item each belongs to (nil for the findings and
    /// the summary).
    private static func visibleLines(_ state: EditorState, body: Rect) -> (lines: [[Span]], items: [Int?]) {
        // Only the items that can reach the screen are built: every item takes at least one line, so
        // `body.height` items either side of the cursor cover the pane whichever way it scrolls. The
        // picture is the same as laying out every item (a bulk review may hold 20,000).
        let cursor = state.review.cursor
        let window = max(0, cursor - body.height)..<min(state.reviewCount, cursor + body.height + 1)
        let items = state.reviewItems(in: window)
        var lines: [[Span]] = []
        let groups = state.outcomeGroups
        if window.lowerBound == 0 {
            for finding in state.ruleFindings {
                lines.append([Span("✗ ", Style(.negative, [.bold])), Span(finding.message, Style(.negative, [.bold]))])
            }
            if !lines.isEmpty { lines.append([]) }
            lines += summaryLines(state, groups: groups, width: body.width)
        }
        var itemOfLine = [Int?](repeating: nil, count: lines.count)
        // An error several users share is laid out once, above; under each of them only its label.
        let saidAbove = Set(groups.filter { $0.usernames.count > 1 }.map(\.brief))
        var cursorRange = 0..<0
        for (offset, item) in items.enumerated() {
            let index = window.lowerBound + offset
            let start = lines.count
            lines += itemLines(item, isCursor: index == cursor, width: body.width, saidAbove: saidAbove)
            itemOfLine += Array(repeating: index, count: lines.count - start)
            if index == cursor { cursorRange = start..<lines.count }
        }
        if state.reviewCount == 0 {
            lines.append([Span("  Nothing to review.", Style(.muted))])
            itemOfLine.append(nil)
        }

        // Scroll just enough to show the cursor's whole block (its top when it is taller than the pane).
        var top = 0
        if cursorRange.upperBound > body.height { top = cursorRange.upperBound - body.height }
        if cursorRange.lowerBound < top { top = cursorRange.lowerBound }
        return (Array(lines.dropFirst(top).prefix(body.height)), Array(itemOfLine.dropFirst(top).prefix(body.height)))
    }

    /// Detail lines under an item, wrapped to the pane: an envelope's detail and hint are read whole.
    private static func wrappedDetails(_ details: [String], width: Int, style: Style) -> [[Span]] {
        details.flatMap { detail in
            TextWidth.wrapped(detail, width: width - 4, indent: "  ").map { [Span("    " + $0, style)] }
        }
    }

    /// The summary of what the pending edits do, then each group of users whose writes ended with the
    /// same error: its headline, and the error laid out whole once when several users share it.
    static func summaryLines(_ state: EditorState, groups: [OutcomeGroup], width: Int) -> [[Span]] {
        var lines: [[Span]] = []
        // A review of one edit is its own summary.
        if state.pending.count > 1 {
            lines += state.reviewSummary.lines(naming: .console).map { [Span("  " + $0, Style(.info))] }
        }
        // One user's error is shown under that user; a shared one is said once, here.
        for group in groups where group.usernames.count > 1 {
            lines.append([Span("✗ ", Style(.negative, [.bold])), Span(group.headline, Style(.negative, [.bold]))])
            lines += wrappedDetails(group.detailLines, width: width, style: Style(.negative))
        }
        if let stop = state.review.stoppedBy {
            lines.append([
                Span(
                    "  stopped sending at \(OutcomeText.brief(stop)): every other write would meet it; "
                        + "the rest stay pending, not sent", Style(.warning, [.bold]))
            ])
        }
        if !lines.isEmpty { lines.append([]) }
        return lines
    }

    static func itemLines(_ item: ReviewItem, isCursor: Bool, width: Int, saidAbove: Set<String> = []) -> [[Span]] {
        let email = SafeText.sanitized(item.edit.username)
        var first: [Span] = [
            Span(isCursor ? "› " : "  ", Style(.accent, [.bold])),
            Span(email, isCursor ? Style(.normal, [.bold, .reverse]) : Style(.normal, [.bold])),
        ]
        if item.edit.status != .active {
            first.append(Span(" (\(SafeText.sanitized(item.edit.status.rawValue)))", Style(.warning)))
        }
        first.append(Span("  "))
        for (index, line) in item.diff.enumerated() {
            first.append(
                Span((index > 0 ? " " : "") + line, Style(line.hasPrefix("+") ? .positive : .negative, [.bold])))
        }
        if item.diff.isEmpty { first.append(Span("(no change)", Style(.muted))) }
        if item.isEmptyRoleSet { first.append(Span("  no role left", Style(.negative, [.bold]))) }
        if item.isInFlight {
            first.append(Span("  writing…", Style(.info)))
        } else if let outcome = item.outcome {
            first.append(Span("  " + OutcomeText.label(outcome), OutcomeStyle.of(outcome)))
        }
        var lines = [first]
        var details: [String] = []
        if let outcome = item.outcome, !outcome.isApplied {
            details = OutcomeText.detailLines(outcome, edit: item.edit, naming: .console)
            switch outcome {
            case .refused(let error), .failed(let error):
                if saidAbove.contains(OutcomeText.brief(error)) { details = [] }
            case .applied, .conflict, .notSent: break
            }
        }
        // A refusal's details start with the call it made; otherwise say which call the write uses (or used).
        if !(details.first?.hasPrefix("call: ") ?? false) {
            lines.append([Span("    " + item.call.description, Style(.muted))])
        }
        guard let outcome = item.outcome, !item.isInFlight else { return lines }
        switch outcome {
        case .applied:
            break
        case .conflict:
            // Side by side when the three role sets fit on one line, else one under the other.
            let joined = details.joined(separator: "  │  ")
            if TextWidth.width(joined) + 4 <= width {
                lines.append([Span("    " + joined, Style(.warning))])
            } else {
                lines += wrappedDetails(details, width: width, style: Style(.warning))
            }
        case .refused, .failed:
            lines += wrappedDetails(details, width: width, style: Style(.negative))
        case .notSent:
            break
        }
        return lines
    }
}
