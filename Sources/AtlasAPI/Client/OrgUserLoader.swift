#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Loads every user of one organization: the first page tells how many there are, the rest are
/// fetched concurrently (bounded) and handed over as they arrive.
///
/// With `totalCount` the page count is known after one round trip, so a 10,000-user organization
/// takes the first page plus ⌈19 / concurrency⌉ rounds instead of twenty sequential requests. Without
/// it, the `next` links are followed one by one. Because `totalCount` is only an estimate, a full
/// last page that still links onward is followed too. When the client remembers the organization's
/// size from an earlier run (``OrgSizeMemory``), the pages it needs go out with the first, and the
/// listing takes one round trip where it took two.
struct OrgUserLoader: Sendable {
    let client: AtlasClient
    let orgId: String

    /// A `totalCount` above this is not believed (it would size buffers and page counts): the largest
    /// organizations are tens of thousands of users, and the count is only an estimate anyway. Such a
    /// count is treated as absent, and the `next` links decide.
    static let believableTotal = 1_000_000
    /// Pages followed by `next` links beyond what the count announced, at most.
    static let maximumFollowedPages = 2_000

    /// One decoded page: its users and what it says about the rest.
    private struct Page: Sendable {
        var number: Int
        var users: [OrgUser]
        var totalCount: Int?
        var nextLink: String?
    }

    func load(deliver: @Sendable (UserPage) -> Void) async throws {
        let pageSize = max(1, min(500, client.configuration.pageSize))
        let concurrency = max(1, client.configuration.pageConcurrency)
        var version = client.usersListVersion
        // The organization's size at its last listing: every page it needs is asked for at once,
        // the first with the count, instead of waiting a round trip for that count. Not with the
        // 2023-01-01 fallback, found (per session) only by the first page's refusal.
        let remembered = version == .v20250219 ? client.orgSizes?.userCount(orgId: orgId) : nil
        var outcome: Outcome
        do {
            outcome = try await fetchCounted(
                version: version, pageSize: pageSize, concurrency: concurrency,
                guessedPages: remembered.map { Self.pageCount(total: $0, pageSize: pageSize) } ?? 1,
                deliver: deliver)
        } catch let error as AtlasError where error.status == 406 && version == .v20250219 {
            // A server that does not know 2025-02-19 yet: list with 2023-01-01 (ACTIVE users only).
            version = .v20230101
            client.noteUsersListFallback()
            outcome = try await fetchCounted(
                version: version, pageSize: pageSize, concurrency: concurrency, guessedPages: 1, deliver: deliver)
        }
        let listVersion = version
        let first = outcome.first
        var last = outcome.last
        var loaded = outcome.loaded
        // No count, or the estimate fell short: follow `next` links until the server stops giving one,
        // gives a page that does not move on (the same page number, or no user not seen on the page
        // before), or has been followed for more pages than any organization has.
        var followed = 0
        while let link = last.nextLink, !last.users.isEmpty, last.users.count >= pageSize || last.totalCount == nil,
            followed < Self.maximumFollowedPages
        {
            let number = last.number + 1
            let query = Self.queryItems(of: link) ?? AtlasClient.pageQuery(number, size: pageSize, includeCount: false)
            if let asked = query.first(where: { $0.name == "pageNum" })?.value.flatMap(Int.init), asked <= last.number {
                break
            }
            let page = try await fetch(page: number, version: listVersion, query: query)
            followed += 1
            guard !page.users.isEmpty else { break }
            let previous = Set(last.users.map(\.id))
            guard page.users.contains(where: { !previous.contains($0.id) }) else { break }
            loaded += page.users.count
            deliver(
                UserPage(
                    users: page.users, pageNumber: number, loadedCount: loaded,
                    totalCount: first.totalCount.map { max($0, loaded) }))
            last = page
        }
    }

    /// What the counted part of a listing left for the `next` links to continue from.
    private struct Outcome {
        var first: Page
        /// The highest-numbered page fetched.
        var last: Page
        var loaded: Int
    }

    static func pageCount(total: Int, pageSize: Int) -> Int { max(1, (total + pageSize - 1) / pageSize) }

    /// Fetches the first page (with the count) and `guessedPages - 1` more beside it, then the rest
    /// of the pages the count announces, `concurrency` at a time. Pages are handed over in arrival
    /// order, but never before the first: a page that overtakes it waits, so the count and the
    /// first users are always the first thing delivered.
    private func fetchCounted(
        version: APIVersion, pageSize: Int, concurrency: Int, guessedPages: Int,
        deliver: @Sendable (UserPage) -> Void
    ) async throws -> Outcome {
        try await withThrowingTaskGroup(of: Page.self) { group in
            var next = 1
            var inFlight = 0
            func startNext() {
                let number = next
                next += 1
                inFlight += 1
                group.addTask {
                    try await fetch(
                        page: number, version: version,
                        query: AtlasClient.pageQuery(number, size: pageSize, includeCount: number == 1))
                }
            }
            // The first page plus as many guessed ones as run at once (the first is not counted
            // against `concurrency`, as when it went alone).
            while next <= min(guessedPages, concurrency + 1) { startNext() }
            var first: Page?
            var overtaking: [Page] = []
            var pageCount = guessedPages
            var total: Int?
            var loaded = 0
            var last: Page?
            // An empty page means the count was too high: no further pages are asked for.
            var exhausted = false
            func hand(_ page: Page) {
                loaded += page.users.count
                if page.users.isEmpty { exhausted = true }
                if last.map({ page.number > $0.number }) ?? true { last = page }
                deliver(UserPage(users: page.users, pageNumber: page.number, loadedCount: loaded, totalCount: total))
            }
            while let page = try await group.next() {
                inFlight -= 1
                if first == nil {
                    guard page.number == 1 else {
                        overtaking.append(page)
                        continue
                    }
                    var counted = page
                    if let count = counted.totalCount, !(0...Self.believableTotal).contains(count) {
                        counted.totalCount = nil
                    }
                    first = counted
                    total = counted.totalCount
                    if let total {
                        pageCount = Self.pageCount(total: total, pageSize: pageSize)
                        if version == .v20250219 { client.orgSizes?.store(userCount: total, orgId: orgId) }
                    }
                    // The other pages go out before the first is handed over: each is a round trip
                    // away, and whatever the receiver does with the first can run meanwhile. Without
                    // a count the `next` links decide; the guessed pages already asked for are kept.
                    while next <= pageCount && inFlight < concurrency { startNext() }
                    hand(counted)
                    for early in overtaking.sorted(by: { $0.number < $1.number }) { hand(early) }
                    overtaking = []
                } else {
                    hand(page)
                }
                while next <= pageCount && !exhausted && inFlight < concurrency { startNext() }
            }
            guard let first else { throw CancellationError() }
            return Outcome(first: first, last: last ?? first, loaded: loaded)
        }
    }

    private func fetch(page number: Int, version: APIVersion, query: [URLQueryItem]) async throws -> Page {
        var query = query
        if version == .v20250219, !query.contains(where: { $0.name == AtlasClient.statusFilterName }) {
            query += AtlasClient.shownStatuses
        }
        let orgId = self.orgId
        let call = APICall(method: "GET", path: "/orgs/\(orgId)/users", version: version)
        let page = try await client.send(call, query: query, idempotent: true) { body in
            try ResponseDecoding.usersPageContents(body, version: version, orgId: orgId)
        }
        return Page(number: number, users: page.users, totalCount: page.totalCount, nextLink: page.nextLink)
    }

    /// The query of a `next` link. Only the query is taken: the request goes to the configured base
    /// URL, never to a host named in a response (a proxy may rewrite it; credentials must not follow).
    static func queryItems(of link: String) -> [URLQueryItem]? {
        guard let items = URLComponents(string: link)?.queryItems, !items.isEmpty else { return nil }
        return items
    }
}
