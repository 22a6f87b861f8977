import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Text for the status line and flashes, built in one place so the wording is tested once.
public enum StatusText {
    /// "waiting 55s before retrying PUT /orgs/…/roles (2023-01-01): 429 RATE_LIMITED (attempt 2)"
    public static func retryWait(call: APICall, seconds: Double, attempt: Int, reason: String) -> String {
        "waiting \(shortSeconds(seconds))s before retrying \(call): \(SafeText.sanitized(reason)) (attempt \(attempt))"
    }

    /// "waiting 0.4s for the rate limit before PUT /orgs/…/roles (2023-01-01): 0 of 20 requests left"
    public static func budgetWait(call: APICall, seconds: Double, remaining: Int, limit: Int) -> String {
        "waiting \(shortSeconds(seconds))s for the rate limit before \(call): \(remaining) of \(limit) requests left"
    }

    /// One decimal under ten seconds: tenths divided by ten print as exactly one decimal digit.
    private static func shortSeconds(_ seconds: Double) -> String {
        seconds < 10 ? String(Double(Int((seconds * 10).rounded())) / 10) : String(Int(seconds.rounded()))
    }

    /// "GET /orgs/…/users (2023-01-01) is deprecated since 2025-02-19; sunset 2027-07-01"
    public static func deprecation(call: APICall, deprecation: Date?, sunset: Date?) -> String {
        var text = "\(call.method) \(call.path) (\(call.version)) is deprecated"
        if let deprecation { text += " since \(day(deprecation))" }
        if let sunset { text += "; sunset \(day(sunset))" }
        return text
    }

    /// "applied 8, conflicts 1, refused 0, failed 1"
    public static func runSummary(applied: Int, conflicts: Int, refused: Int, failed: Int) -> String {
        var text = "applied \(applied)"
        if conflicts > 0 { text += ", conflicts \(conflicts)" }
        if refused + failed > 0 { text += ", refused \(refused), failed \(failed)" }
        return text
    }

    /// The header's counts, in words: "300 users", "12 shown · 300 users", "loading 4,000 of 10,000",
    /// "12 shown · loading 4,000…" (total not known yet), "4,000 of 10,000 users loaded" (a load that
    /// stopped). `shown` is said only while a filter hides some users.
    public static func counts(shown: Int, loaded: Int, total: Int?, isLoading: Bool, isFiltered: Bool) -> String {
        let prefix = isFiltered ? "\(ReviewSummary.grouped(shown)) shown · " : ""
        let users = loaded == 1 ? "1 user" : "\(ReviewSummary.grouped(loaded)) users"
        if isLoading {
            guard let total else { return prefix + "loading \(ReviewSummary.grouped(loaded))…" }
            return prefix + "loading \(ReviewSummary.grouped(loaded)) of \(ReviewSummary.grouped(total))"
        }
        if let total, total > loaded {
            return prefix + "\(ReviewSummary.grouped(loaded)) of \(ReviewSummary.grouped(total)) users loaded"
        }
        return prefix + users
    }

    /// The run's progress: "re-reading 12 users…", "writing 3/12…".
    public static func phase(_ phase: ApplyPhase) -> String? {
        switch phase {
        case .idle, .finished: nil
        case .rereading(let count): "re-reading \(count) user(s) before writing…"
        case .writing(let done, let total): "writing \(done)/\(total)…"
        }
    }

    /// "1 user (ada@example.com)", "40 users (ada@…, bob@…, eve@… and 37 more)": a count of users
    /// with a few of them named by email.
    public static func users(_ usernames: [String], of count: Int, naming limit: Int = 3) -> String {
        (count == 1 ? "1 user" : "\(count) users") + " (" + names(usernames, of: count, naming: limit) + ")"
    }

    /// "ada@…, bob@…, eve@… and 37 more": the first `limit` emails of `count` users.
    public static func names(_ usernames: [String], of count: Int, naming limit: Int = 3) -> String {
        let shown = usernames.prefix(limit)
        let more = count > shown.count ? " and \(count - shown.count) more" : ""
        return shown.map { SafeText.sanitized($0) }.joined(separator: ", ") + more
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }
}
