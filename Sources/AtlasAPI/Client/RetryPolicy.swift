/// When and how long the client waits before sending a failed request again.
///
/// A 429 is retried for every call (the server did nothing), honouring `Retry-After` when present;
/// 500/502/503/504, connection resets, timeouts and unreadable bodies are retried only for idempotent
/// calls (GET, and PUT/PATCH of a full role set), never for `:addRole`/`:removeRole`. Without a
/// `Retry-After` the wait grows exponentially with random jitter, up to `maximumBackoff`.
///
/// ```swift
/// var policy = RetryPolicy.standard
/// policy.maxAttempts = 3
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 turns retries off.
    public var maxAttempts: Int
    /// The wait before the second attempt when the server gave no `Retry-After`; doubled each time.
    public var initialBackoff: Double
    /// The longest computed backoff.
    public var maximumBackoff: Double
    /// The longest `Retry-After` the client waits; a longer one is cut to this.
    public var maximumRetryAfter: Double
    /// The waits after a 429 that names no `Retry-After`, one per retry (the last repeats); nil uses
    /// the exponential backoff. A rate limit refills over a minute: half-second retries only spend
    /// the attempts, so the standard policy follows the schedule Atlas's docs show (10, 20, 40 s).
    public var rateLimitBackoff: [Double]?

    public init(
        maxAttempts: Int = 5, initialBackoff: Double = 0.5, maximumBackoff: Double = 20,
        maximumRetryAfter: Double = 120, rateLimitBackoff: [Double]? = nil
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.maximumRetryAfter = maximumRetryAfter
        self.rateLimitBackoff = rateLimitBackoff.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Five attempts, 0.5 s doubling to 20 s, `Retry-After` up to two minutes, and 10, 20, 40 s after
    /// a 429 without `Retry-After`.
    public static let standard = RetryPolicy(rateLimitBackoff: [10, 20, 40])
    /// One attempt: every failure is reported at once.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1` after a 429 without `Retry-After`.
    func rateLimitWait(afterAttempt attempt: Int) -> Double {
        guard let schedule = rateLimitBackoff else { return backoff(afterAttempt: attempt) }
        return schedule[min(max(attempt - 1, 0), schedule.count - 1)]
    }

    /// The backoff before attempt `attempt + 1`: exponential with "equal jitter" (half fixed, half
    /// random) so that many clients retrying together spread out instead of colliding again.
    func backoff(afterAttempt attempt: Int) -> Double {
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let ceiling = min(maximumBackoff, initialBackoff * pow2(exponent))
        return ceiling / 2 + Double.random(in: 0...(ceiling / 2))
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
