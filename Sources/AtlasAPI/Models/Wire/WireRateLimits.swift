/// One endpoint set of `GET /rateLimits` (`RateLimitEndpointSetResponse`), as far as pacing needs it.
struct WireRateLimitEndpointSet: Decodable, Sendable {
    struct Value: Decodable, Sendable { var value: Int? }
    struct Endpoint: Decodable, Sendable {
        var method: String?
        var path: String?
    }

    var capacity: Value?
    var refillRate: Value?
    var refillDurationSeconds: Value?
    var endpoints: [Endpoint]?

    /// The bucket in tokens and tokens a second, when the set states both.
    var bucket: (capacity: Int, refillPerSecond: Double)? {
        guard let capacity = capacity?.value, let rate = refillRate?.value,
            let seconds = refillDurationSeconds?.value, capacity > 0, rate > 0, seconds > 0
        else { return nil }
        return (capacity, Double(rate) / Double(seconds))
    }

    func limits(method: String, path: String) -> Bool {
        endpoints?.contains { $0.method?.uppercased() == method && $0.path == path } ?? false
    }

    /// Whether reads draw from the same bucket (then this client's reads may have spent some of it).
    var limitsReads: Bool { endpoints?.contains { $0.method?.uppercased() == "GET" } ?? true }
}

/// `PaginatedRateLimitEndpointSets`.
struct WireRateLimitPage: Decodable, Sendable {
    var results: [WireRateLimitEndpointSet]
}
