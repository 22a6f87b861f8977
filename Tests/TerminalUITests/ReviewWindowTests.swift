import Foundation
import RoleEditor
import Testing

@testable import TerminalUI

/// The review builds only the items around its cursor. What it draws must be exactly what laying out
/// every item and scrolling to the cursor draws, at every cursor position.
@Suite struct ReviewWindowTests {
    /// `count` users, all marked and given Read Only in one bulk edit; user 0 loses Owner, so a rule
    /// finding heads the review too.
    static func bulkReview(count: Int, columns: Int, rows: Int) -> EditorState {
        let users = (0..<count).map { n in
            OrgUser(
                id: String(format: "%024x", n), username: String(format: "user%03d@example.com", n),
                firstName: "U", lastName: "\(n)", status: n % 7 == 3 ? .pending : .active,
                orgRoles: n == 0 ? [.owner] : [.member])
        }
        var state = Fixtures.loaded(users, columns: columns, rows: rows)
        Fixtures.apply([.markAllShown, .openChecklist, .moveCursor(6), .toggleRole, .back], to: &state)
        Fixtures.apply([.clearMarks, .top, .activate, .toggleRole, .activate, .openReview], to: &state)
        return state
    }

    /// The pane's body as the old, whole layout drew it: every finding and item, then scrolled.
    static func referenceBody(_ state: EditorState, width: Int, height: Int) -> [String] {
        var lines: [[Span]] = []
        for finding in state.ruleFindings {
            lines.append([Span("✗ ", Style(.negative, [.bold])), Span(finding.message, Style(.negative, [.bold]))])
        }
        if !lines.isEmpty { lines.append([]) }
        let groups = state.outcomeGroups
        lines += ReviewPane.summaryLines(state, groups: groups, width: width)
        let saidAbove = Set(groups.filter { $0.usernames.count > 1 }.map(\.brief))
        var cursorRange = 0..<0
        for (index, item) in state.reviewItems.enumerated() {
            let start = lines.count
            lines += ReviewPane.itemLines(
                item, isCursor: index == state.review.cursor, width: width, saidAbove: saidAbove)
            if index == state.review.cursor { cursorRange = start..<lines.count }
        }
        var top = 0
        if cursorRange.upperBound > height { top = cursorRange.upperBound - height }
        if cursorRange.lowerBound < top { top = cursorRange.lowerBound }
        var canvas = Canvas(width: width, height: height)
        for (offset, line) in lines.dropFirst(top).enumerated() where offset < height {
            canvas.draw(line, x: 0, y: offset, maxWidth: width)
        }
        return canvas.lines
    }

    @Test(arguments: [(80, 24), (40, 10), (120, 40)])
    func windowedReviewDrawsWhatTheWholeLayoutDraws(size: (columns: Int, rows: Int)) {
        var state = Self.bulkReview(count: 60, columns: size.columns, rows: size.rows)
        #expect(state.reviewCount == 60)
        #expect(!state.ruleFindings.isEmpty)
        let layout = FrameLayout(width: size.columns, height: size.rows)
        for cursor in 0..<state.reviewCount {
            #expect(state.review.cursor == cursor)
            let frame = Fixtures.render(state, size.columns, size.rows).lines
            let body = Array(frame[layout.body.y..<layout.body.maxY])
            #expect(
                body == Self.referenceBody(state, width: layout.body.width, height: layout.body.height),
                "cursor \(cursor)")
            Fixtures.apply([.moveCursor(1)], to: &state)
        }
    }
}
