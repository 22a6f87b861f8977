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
/// last page that still links onward is followed too.
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
        var version = client.usersListVersion
        let firstAnswer: Page
        do {
            firstAnswer = try await fetch(page: 1, version: version, query: AtlasClient.pageQuery(1, size: pageSize))
        } catch let error as AtlasError where error.status == 406 && version == .v20250219 {
            // A server that does not know 2025-02-19 yet: list with 2023-01-01 (ACTIVE users only).
            version = .v20230101
            client.noteUsersListFallback()
            firstAnswer = try await fetch(page: 1, version: version, query: AtlasClient.pageQuery(1, size: pageSize))
        }
        var first = firstAnswer
        if let total = first.totalCount, !(0...Self.believableTotal).contains(total) { first.totalCount = nil }
        var loaded = first.users.count
        deliver(UserPage(users: first.users, pageNumber: 1, loadedCount: loaded, totalCount: first.totalCount))

        let listVersion = version
        var last = first
        if let total = first.totalCount, total > pageSize {
            let pageCount = (total + pageSize - 1) / pageSize
            let concurrency = max(1, client.configuration.pageConcurrency)
            try await withThrowingTaskGroup(of: Page.self) { group in
                var next = 2
                func startNext() {
                    let number = next
                    next += 1
                    group.addTask {
                        try await fetch(
                            page: number, version: listVersion,
                            query: AtlasClient.pageQuery(number, size: pageSize, includeCount: false))
                    }
                }
                while next <= pageCount && next - 2 < concurrency { startNext() }
                // An empty page means the count was too high: no further pages are asked for.
                var exhausted = false
                while let page = try await group.next() {
                    loaded += page.users.count
                    if page.number == pageCount { last = page }
                    if page.users.isEmpty { exhausted = true }
                    deliver(
                        UserPage(users: page.users, pageNumber: page.number, loadedCount: loaded, totalCount: total))
                    if next <= pageCount && !exhausted { startNext() }
                }
            }
        }
        // No count, or the estimate fell short: follow `next` links until the server stops giving one,
        // gives a page that does not move on (the same page number, or no user not seen on the page
        // before), or has been followed for more pages than any organization has.
        var followed = 0
        while let link = last.nextLink, last.users.count >= pageSize || last.totalCount == nil,
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
