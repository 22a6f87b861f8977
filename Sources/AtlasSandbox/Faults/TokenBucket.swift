#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`.
struct TokenBucket: Sendable {
    let limit: SandboxRateLimit
    private var tokens: Double
    private var updatedAt: Date

    init(limit: SandboxRateLimit, now: Date) {
        self.limit = limit
        tokens = Double(limit.capacity)
        updatedAt = now
    }

    /// Takes one token if there is one; returns whether it did and how many whole tokens remain.
    mutating func take(now: Date) -> (allowed: Bool, remaining: Int) {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(Double(limit.capacity), tokens + elapsed * limit.refillPerSecond)
        updatedAt = now
        guard tokens >= 1 else { return (false, 0) }
        tokens -= 1
        return (true, Int(tokens))
    }
}
