/// `itemsPerPage`, `pageNum` and `includeCount`, validated as the spec bounds them.
struct Paging: Sendable {
    let itemsPerPage: Int
    let pageNum: Int
    let includeCount: Bool

    init(_ query: QueryParameters) throws(APIError) {
        itemsPerPage = try Self.integer(query, "itemsPerPage", default: 100, range: 1...500)
        pageNum = try Self.integer(query, "pageNum", default: 1, range: 1...Int(Int32.max))
        switch query["includeCount"] {
        case nil, "true": includeCount = true
        case "false": includeCount = false
        case let other?:
            throw .validation(
                "Invalid value \(other) for parameter includeCount.", field: "includeCount",
                description: "must be true or false", parameters: [.string(other)])
        }
    }

    private static func integer(_ query: QueryParameters, _ name: String, default value: Int, range: ClosedRange<Int>)
        throws(APIError) -> Int
    {
        guard let text = query[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            let bounds =
                range.upperBound == Int(Int32.max)
                ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            throw .validation(
                "Invalid value \(text) for parameter \(name); it must be an integer \(bounds).", field: name,
                description: "must be an integer \(bounds)", parameters: [.string(name), .string(text)])
        }
        return number
    }

    /// The slice of `0..<total` this page covers.
    func range(total: Int) -> Range<Int> {
        let start = min(total, (pageNum - 1).multipliedReportingOverflow(by: itemsPerPage).partialValue)
        return start..<min(total, start + itemsPerPage)
    }

    /// `{"links": [self, next?], "results": [...], "totalCount": N}`; `next` only when more remain.
    func body(results: [JSONValue], total: Int, relativePath: String, context: ResponseContext) -> JSONValue {
        var links = [
            ResponseContext.link(context.href(relativePath, query: query(page: pageNum, context)), rel: "self")
        ]
        if range(total: total).upperBound < total {
            links.append(
                ResponseContext.link(context.href(relativePath, query: query(page: pageNum + 1, context)), rel: "next"))
        }
        var members: [(String, JSONValue)] = [("links", .array(links)), ("results", .array(results))]
        if includeCount { members.append(("totalCount", .int(total))) }
        return .object(members)
    }

    /// The request's own query with the page number replaced, so filters survive in the links.
    private func query(page: Int, _ context: ResponseContext) -> String {
        let kept = context.request.rawQuery.split(separator: "&").filter {
            !$0.hasPrefix("pageNum=") && !$0.hasPrefix("itemsPerPage=") && $0 != "pageNum" && $0 != "itemsPerPage"
        }
        return (kept.map(String.init) + ["pageNum=\(page)", "itemsPerPage=\(itemsPerPage)"]).joined(separator: "&")
    }
}
