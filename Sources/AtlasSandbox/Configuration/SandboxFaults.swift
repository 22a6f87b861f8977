/// Injected misbehaviour: latency, rate limits, server errors, resets, broken and slow bodies.
///
/// Faults apply to `/api/...` only, never to the admin endpoint. The random draws come from a
/// generator seeded with ``faultSeed`` so a run with the same requests fails the same way.
/// ```swift
/// await sandbox.setFaults(SandboxFaults(rateLimit: .init(capacity: 5, refillPerSecond: 1)))
/// ```
public struct SandboxFaults: Sendable, Equatable {
    /// Milliseconds added before every answer.
    public var latencyMs: Int
    /// Up to this many more milliseconds, drawn uniformly per request.
    public var jitterMs: Int
    /// A token bucket; nil means no limit.
    public var rateLimit: SandboxRateLimit?
    /// Fraction of requests answered 500 `UNEXPECTED_ERROR` or 503 `SERVICE_UNAVAILABLE` (half each).
    public var serverErrorRate: Double
    /// Fraction of requests whose connection is reset with no answer.
    public var resetRate: Double
    /// Fraction of 200 answers whose JSON body is cut in half.
    public var truncatedBodyRate: Double
    /// Fraction of 200 answers whose body is an HTML page instead of JSON.
    public var malformedBodyRate: Double
    /// When above zero, bodies are sent at about this many bytes a second.
    public var trickleBytesPerSecond: Int
    /// Makes `PUT .../roles` answer 410 `VERSION_GONE`, as it will after its sunset.
    public var putVersionGone: Bool
    /// The `Retry-After` seconds put on 429 and 503 answers; nil leaves the header out.
    public var retryAfterSeconds: Int?
    /// Seed of the generator behind every random fault draw.
    public var faultSeed: UInt64
    /// The caller's address is not on the key's IP access list: every authenticated `/api/atlas/v2`
    /// request answers 403 `IP_ADDRESS_NOT_ON_ACCESS_LIST`, as Atlas does when a key or token is used
    /// from elsewhere.
    public var notOnAccessList: Bool
    /// Token requests (`POST /api/oauth/token`) allowed a minute per client, as Atlas documents (50);
    /// beyond it 429 `RATE_LIMITED`. 0 turns the limit off.
    public var tokenRequestsPerMinute: Int
    /// `GET /rateLimits` answers 401 `USER_UNAUTHORIZED`, as Atlas does to a caller without the
    /// Organization Read Only role the inspection needs.
    public var rateLimitsRefused: Bool

    /// Creates a fault set; the defaults are a well-behaved server.
    public init(
        latencyMs: Int = 0, jitterMs: Int = 0, rateLimit: SandboxRateLimit? = nil, serverErrorRate: Double = 0,
        resetRate: Double = 0, truncatedBodyRate: Double = 0, malformedBodyRate: Double = 0,
        trickleBytesPerSecond: Int = 0, putVersionGone: Bool = false, retryAfterSeconds: Int? = 1,
        faultSeed: UInt64 = 1, notOnAccessList: Bool = false, tokenRequestsPerMinute: Int = 50,
        rateLimitsRefused: Bool = false
    ) {
        self.latencyMs = latencyMs
        self.jitterMs = jitterMs
        self.rateLimit = rateLimit
        self.serverErrorRate = serverErrorRate
        self.resetRate = resetRate
        self.truncatedBodyRate = truncatedBodyRate
        self.malformedBodyRate = malformedBodyRate
        self.trickleBytesPerSecond = trickleBytesPerSecond
        self.putVersionGone = putVersionGone
        self.retryAfterSeconds = retryAfterSeconds
        self.faultSeed = faultSeed
        self.notOnAccessList = notOnAccessList
        self.tokenRequestsPerMinute = tokenRequestsPerMinute
        self.rateLimitsRefused = rateLimitsRefused
    }
}

/// A token bucket: `capacity` requests at once, refilled at `refillPerSecond`.
public struct SandboxRateLimit: Sendable, Equatable {
    /// Which requests draw from the bucket.
    public enum Scope: String, Sendable, Equatable {
        /// Every authenticated `/api/atlas/v2` request.
        case all
        /// Only PUT, PATCH, POST and DELETE.
        case writes
    }

    /// Tokens in a full bucket (the `RateLimit-Limit` header).
    public var capacity: Int
    /// Tokens added back each second.
    public var refillPerSecond: Double
    /// Which requests are limited.
    public var scope: Scope

    /// Creates a token bucket description.
    public init(capacity: Int, refillPerSecond: Double, scope: Scope = .all) {
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
        self.scope = scope
    }
}

/// Why a faults document was refused.
public struct SandboxFaultsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault and what is wrong with it.
    public let description: String
}

extension SandboxFaults {
    /// The JSON form served at `GET /__sandbox/faults`.
    public var json: JSONValue {
        let limit: JSONValue =
            rateLimit.map {
                .object([
                    ("capacity", .int($0.capacity)), ("refillPerSecond", .double($0.refillPerSecond)),
                    ("scope", .string($0.scope.rawValue)),
                ])
            } ?? .null
        return .object([
            ("latencyMs", .int(latencyMs)), ("jitterMs", .int(jitterMs)), ("rateLimit", limit),
            ("serverErrorRate", .double(serverErrorRate)), ("resetRate", .double(resetRate)),
            ("truncatedBodyRate", .double(truncatedBodyRate)), ("malformedBodyRate", .double(malformedBodyRate)),
            ("trickleBytesPerSecond", .int(trickleBytesPerSecond)), ("putVersionGone", .bool(putVersionGone)),
            ("retryAfterSeconds", retryAfterSeconds.map(JSONValue.int) ?? .null),
            ("faultSeed", .int(Int(truncatingIfNeeded: faultSeed))), ("notOnAccessList", .bool(notOnAccessList)),
            ("tokenRequestsPerMinute", .int(tokenRequestsPerMinute)), ("rateLimitsRefused", .bool(rateLimitsRefused)),
        ])
    }

    /// This fault set with the fields present in `document` replaced (a partial update).
    public func merging(_ document: JSONValue) throws(SandboxFaultsError) -> SandboxFaults {
        guard case .object(let members) = document else {
            throw SandboxFaultsError(description: "the faults document must be a JSON object")
        }
        var faults = self
        for (key, value) in members {
            switch key {
            case "latencyMs": faults.latencyMs = try Self.count(value, key)
            case "jitterMs": faults.jitterMs = try Self.count(value, key)
            case "serverErrorRate": faults.serverErrorRate = try Self.fraction(value, key)
            case "resetRate": faults.resetRate = try Self.fraction(value, key)
            case "truncatedBodyRate": faults.truncatedBodyRate = try Self.fraction(value, key)
            case "malformedBodyRate": faults.malformedBodyRate = try Self.fraction(value, key)
            case "trickleBytesPerSecond": faults.trickleBytesPerSecond = try Self.count(value, key)
            case "putVersionGone": faults.putVersionGone = try Self.flag(value, key)
            case "notOnAccessList": faults.notOnAccessList = try Self.flag(value, key)
            case "rateLimitsRefused": faults.rateLimitsRefused = try Self.flag(value, key)
            case "tokenRequestsPerMinute": faults.tokenRequestsPerMinute = try Self.count(value, key)
            case "retryAfterSeconds":
                faults.retryAfterSeconds = value.isNull ? nil : try Self.count(value, key)
            case "faultSeed": faults.faultSeed = UInt64(try Self.count(value, key))
            case "rateLimit": faults.rateLimit = value.isNull ? nil : try Self.rateLimit(value)
            default: throw SandboxFaultsError(description: "unknown field \(key)")
            }
        }
        return faults
    }

    private static func flag(_ value: JSONValue, _ key: String) throws(SandboxFaultsError) -> Bool {
        guard let flag = value.boolValue else { throw SandboxFaultsError(description: "\(key) must be a boolean") }
        return flag
    }

    private static func count(_ value: JSONValue, _ key: String) throws(SandboxFaultsError) -> Int {
        guard let number = value.intValue, number >= 0 else {
            throw SandboxFaultsError(description: "\(key) must be a non-negative integer")
        }
        return number
    }

    private static func fraction(_ value: JSONValue, _ key: String) throws(SandboxFaultsError) -> Double {
        guard let number = value.doubleValue, (0...1).contains(number) else {
            throw SandboxFaultsError(description: "\(key) must be a number from 0 to 1")
        }
        return number
    }

    private static func rateLimit(_ value: JSONValue) throws(SandboxFaultsError) -> SandboxRateLimit {
        guard let capacity = value["capacity"]?.intValue, capacity >= 1,
            let refill = value["refillPerSecond"]?.doubleValue, refill >= 0
        else {
            throw SandboxFaultsError(description: "rateLimit needs capacity >= 1 and refillPerSecond >= 0")
        }
        var scope = SandboxRateLimit.Scope.all
        if let name = value["scope"]?.stringValue {
            guard let parsed = SandboxRateLimit.Scope(rawValue: name) else {
                throw SandboxFaultsError(description: "rateLimit.scope must be \"all\" or \"writes\"")
            }
            scope = parsed
        }
        return SandboxRateLimit(capacity: capacity, refillPerSecond: refill, scope: scope)
    }
}
