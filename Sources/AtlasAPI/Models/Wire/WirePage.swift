/// A paginated list response: `{"links": [...], "results": [...], "totalCount": N}`.
struct WirePage<Item: Decodable & Sendable>: Decodable, Sendable {
    var results: [Item]
    /// An estimate; absent when `includeCount=false` or the server chose not to count.
    var totalCount: Int?
    var links: [WireLink]

    enum CodingKeys: String, CodingKey { case results, totalCount, links }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        results = try container.decodeIfPresent([Item].self, forKey: .results) ?? []
        totalCount = try? container.decodeIfPresent(Int.self, forKey: .totalCount)
        links = (try? container.decodeIfPresent([WireLink].self, forKey: .links)) ?? []
    }

    /// The `href` of the `rel: "next"` link, when the server says there is more.
    var nextLink: String? { links.first { $0.rel == "next" }?.href }
}

/// One entry of `links`.
struct WireLink: Decodable, Sendable {
    var href: String?
    var rel: String?
}
