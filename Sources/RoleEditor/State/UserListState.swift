import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The user list pane: every loaded user, the filtered and sorted rows shown, the cursor, the scroll
/// window and the marks for bulk edits.
///
/// Built for 100,000 users: users live in a compact ``UserStore`` with their search keys folded once
/// on arrival; the shown rows are an index (`[Int]` into ``users``); a filter that extends the previous one (one more character) filters
/// the previous rows only, and removing characters restores earlier results from a stack instead of
/// filtering again; cursor moves are O(1); the screen asks only for the rows of ``window``.
public struct UserListState: Sendable {
    /// Every loaded user, in arrival order. Rows index into this.
    public private(set) var users = UserStore()
    /// The rows shown: indices into ``users``, filtered and sorted.
    public private(set) var visible: [Int] = []
    /// The cursor, as a row number into ``visible``.
    public private(set) var cursor: Int = 0
    /// The first row drawn.
    public private(set) var scrollTop: Int = 0
    /// Rows the list area holds on screen (set from `.resize`).
    public private(set) var viewportHeight: Int = 20
    public private(set) var sort: SortOrder = .email
    /// The sort runs backwards: Z to A, least recent login first, least privileged first.
    public private(set) var isSortReversed = false
    /// The filter as typed.
    public private(set) var filterText: String = ""
    /// Why the filter as typed is not a filter (an unknown role, a malformed term), shown under the
    /// prompt; the rows of the last filter that parsed stay meanwhile.
    public private(set) var filterError: String?
    /// The moment `login:` and `created:` terms count from: fixed when the filter line opens, so that
    /// typing on narrows the same rows instead of moving the dates with every key.
    var filterClock: Date?
    /// The filter line has the keyboard: printable keys go to ``filterText``.
    public internal(set) var isEditingFilter: Bool = false
    /// Users marked for a bulk edit, by id. Marks outlive the filter: a marked user may be hidden.
    public internal(set) var marked: Set<String> = [] {
        didSet { marksRevision = Revision.next() }
    }
    public internal(set) var progress = LoadProgress()

    /// All users in sort order; ``visible`` is always a subsequence of it.
    var sortedOrder: [Int] = []
    /// `rank[user]` is the user's position in ``sortedOrder``: lets the cursor find its user again by
    /// binary search after the rows change.
    var rank: [Int] = []
    var appliedQuery = FilterQuery("")
    /// Earlier (query, rows) pairs while a filter is being narrowed, for a cheap backspace.
    var filterStack: [(query: FilterQuery, rows: [Int])] = []
    /// The user the cursor stays on when rows change; nil until the cursor is first moved.
    var anchor: Int?
    /// Changes with every change of ``marked``: with the users and the filter, the key of the hidden marks.
    private(set) var marksRevision = Revision.next()
    private let keptHiddenMarks = KeptValue<HiddenMarksKey, [String]>()

    private struct HiddenMarksKey: Equatable, Sendable {
        var marks: UInt64
        var users: UInt64
        var query: FilterQuery
    }

    public init() {}

    // MARK: Reading

    /// Number of rows shown.
    public var count: Int { visible.count }

    /// The rows (into ``visible``) the screen draws now.
    public var window: Range<Int> { scrollTop..<min(visible.count, scrollTop + viewportHeight) }

    /// The user on row `row` of the shown rows.
    public func user(atRow row: Int) -> OrgUser { users[visible[row]] }

    /// The user under the cursor, if any row is shown.
    public var cursorUser: OrgUser? { visible.isEmpty ? nil : users[visible[cursor]] }

    /// A loaded user by id.
    public func user(id: String) -> OrgUser? { users.index(ofId: id).map { users[$0] } }

    /// A loaded user's roles by id, without building the whole user.
    public func roles(ofId id: String) -> Set<OrgRole>? { users.index(ofId: id).map { users.orgRoles(at: $0) } }

    /// The filter that is in effect (parsed).
    public var query: FilterQuery { appliedQuery }

    /// Marked users the filter hides (or that are not loaded), by email: what Enter would edit without
    /// the person seeing it. Kept between frames, since the header counts them on every one.
    public var hiddenMarkedUsernames: [String] {
        keptHiddenMarks.value(for: HiddenMarksKey(marks: marksRevision, users: users.revision, query: appliedQuery)) {
            var hidden: [String] = []
            for id in marked {
                guard let index = users.index(ofId: id) else {
                    hidden.append(id)
                    continue
                }
                if users.rows([index], matching: appliedQuery).isEmpty { hidden.append(users[index].username) }
            }
            return hidden.sorted()
        }
    }

    // MARK: Loading

    /// Forgets every user (a reload), keeping sort, filter text and marks.
    mutating func removeAllUsers() {
        users = UserStore()
        sortedOrder = []
        rank = []
        visible = []
        filterStack = []
        anchor = nil
        cursor = 0
        scrollTop = 0
    }

    /// Takes every user at once (a scripted apply that read them itself), replacing what was loaded.
    mutating func setUsers(_ store: UserStore) {
        removeAllUsers()
        users = store
        rebuildSortedOrder()
        visible = filtered(sortedOrder, appliedQuery)
        reanchor()
    }

    /// Adds a page of users: new users are merged into the sorted and filtered rows (O(loaded + page));
    /// users seen before are replaced and the rows rebuilt. `expectedTotal` (the server's count) sizes
    /// the store once, instead of growing it page by page.
    mutating func ingest(_ page: [OrgUser], expectedTotal: Int? = nil) {
        var fresh: [Int] = []
        var replaced = false
        fresh.reserveCapacity(page.count)
        for user in page {
            let (row, isNew) = users.upsert(user)
            if isNew { fresh.append(row) } else { replaced = true }
        }
        if let expectedTotal, expectedTotal > users.count { users.reserveCapacity(expectedTotal) }
        filterStack = []
        if replaced {
            rebuildSortedOrder()
            visible = filtered(sortedOrder, appliedQuery)
        } else {
            fresh.sort(by: precedes)
            sortedOrder = merged(sortedOrder, fresh)
            rebuildRank()
            visible = merged(visible, filtered(fresh, appliedQuery))
        }
        reanchor()
    }

    /// Replaces one loaded user (after a write or a re-read). The row keeps its place until the filter
    /// or the sort next changes, so rows do not jump while an apply runs.
    mutating func replace(_ user: OrgUser) {
        guard let index = users.index(ofId: user.id) else { return }
        users.replace(at: index, with: user)
    }

    // MARK: Filter and sort

    /// Sets the filter text and recomputes the rows, narrowing the previous rows when possible.
    mutating func setFilter(_ text: String) {
        filterText = text
        let query = FilterQuery(text, now: filterClock)
        filterError = query.error
        if query.error != nil || query == appliedQuery { return }
        // Leaving the filter keeps the user under the cursor selected, wherever that user now is.
        if query.isEmpty, !visible.isEmpty { anchor = visible[cursor] }
        if let restored = filterStack.lastIndex(where: { $0.query == query }) {
            visible = filterStack[restored].rows
            filterStack.removeSubrange(restored...)
        } else if query.isEmpty {
            visible = sortedOrder
            filterStack = []
        } else if query.isRefinement(of: appliedQuery) {
            filterStack.append((appliedQuery, visible))
            // Deep stacks are only kept to undo typing; cap the memory they hold.
            if filterStack.count > 64 { filterStack.removeFirst() }
            visible = filtered(visible, query)
        } else {
            visible = filtered(sortedOrder, query)
            filterStack = []
        }
        appliedQuery = query
        reanchor()
    }

    /// Changes the sort and rebuilds the rows (O(n log n), on request only). The user under the cursor
    /// stays selected, wherever the new order puts them.
    mutating func setSort(_ order: SortOrder, reversed: Bool = false) {
        if !visible.isEmpty { anchor = visible[cursor] }
        sort = order
        isSortReversed = reversed
        rebuildSortedOrder()
        filterStack = []
        visible = filtered(sortedOrder, appliedQuery)
        reanchor()
    }

    // MARK: Cursor

    /// Moves the cursor to the next (or previous) row, wrapping, whose email or name contains a word
    /// the filter highlights; to the next row at all when the filter highlights none.
    mutating func moveToMatch(forward: Bool) {
        guard !visible.isEmpty else { return }
        let words = appliedQuery.highlightedWords.map { Array($0.utf8) }
        for step in 1...visible.count {
            let row = (cursor + (forward ? step : visible.count - step)) % visible.count
            if words.isEmpty || words.contains(where: { users.searchTextContains($0, at: visible[row]) }) {
                setCursor(row)
                return
            }
        }
    }

    mutating func setViewportHeight(_ height: Int) {
        viewportHeight = max(1, height)
        clampScroll()
    }

    /// Moves the cursor by `delta` rows, clamped to the list. O(1).
    mutating func moveCursor(by delta: Int) { setCursor(cursor + delta) }

    mutating func setCursor(_ row: Int) {
        guard !visible.isEmpty else {
            cursor = 0
            scrollTop = 0
            return
        }
        cursor = min(max(0, row), visible.count - 1)
        anchor = visible[cursor]
        clampScroll()
    }

    /// Pages by one screen, moving the window and the cursor together like a pager.
    mutating func page(by pages: Int) {
        let step = viewportHeight * pages
        let maxTop = max(0, visible.count - viewportHeight)
        scrollTop = min(max(0, scrollTop + step), maxTop)
        setCursor(cursor + step)
    }

    // MARK: Private

    /// The users of `candidates` (kept in order) that match `query`.
    private func filtered(_ candidates: [Int], _ query: FilterQuery) -> [Int] {
        users.rows(candidates, matching: query)
    }

    private mutating func rebuildSortedOrder() {
        sortedOrder = Array(users.indices).sorted(by: precedes)
        rebuildRank()
    }

    private mutating func rebuildRank() {
        if rank.count != users.count { rank = Array(repeating: 0, count: users.count) }
        for (position, index) in sortedOrder.enumerated() { rank[index] = position }
    }

    /// Merges two lists that are each in sort order.
    private func merged(_ a: [Int], _ b: [Int]) -> [Int] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var result: [Int] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if precedes(b[j], a[i]) {
                result.append(b[j])
                j += 1
            } else {
                result.append(a[i])
                i += 1
            }
        }
        result.append(contentsOf: a[i...])
        result.append(contentsOf: b[j...])
        return result
    }

    /// The sort's order between two users (see ``UserStore/precedes(_:_:in:)``), backwards when reversed.
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        isSortReversed ? users.precedes(b, a, in: sort) : users.precedes(a, b, in: sort)
    }

    /// Puts the cursor back on its user after the rows changed, or on the row where that user would be.
    private mutating func reanchor() {
        guard let anchor, anchor < rank.count, !visible.isEmpty else {
            setCursorKeepingAnchor(min(cursor, max(0, visible.count - 1)))
            return
        }
        let target = rank[anchor]
        var low = 0
        var high = visible.count
        while low < high {
            let mid = (low + high) / 2
            if rank[visible[mid]] < target { low = mid + 1 } else { high = mid }
        }
        setCursorKeepingAnchor(min(low, visible.count - 1))
    }

    private mutating func setCursorKeepingAnchor(_ row: Int) {
        cursor = max(0, row)
        clampScroll()
    }

    private mutating func clampScroll() {
        if cursor < scrollTop { scrollTop = cursor }
        if cursor >= scrollTop + viewportHeight { scrollTop = cursor - viewportHeight + 1 }
        scrollTop = max(0, min(scrollTop, visible.count - viewportHeight))
    }
}
