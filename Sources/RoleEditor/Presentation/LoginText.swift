import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How long ago a user last logged in, in the few cells of the list's LAST LOGIN column.
///
/// Admins read the column to find people who stopped using Atlas, so it answers "how stale" at a
/// glance rather than "when exactly": `today`, `3d`, `5w`, `11mo`, `2y`, and `never` for an active
/// member who never logged in. The clock is an argument, never read here, so a frame renders the same
/// text every time for the same state.
///
/// ```swift
/// LoginText.age(of: user.lastAuth, status: user.status, now: state.now)  // "5w"
/// ```
public enum LoginText {
    /// The widest text ``age(of:status:now:)`` returns: "today", "never", "11mo", and any age up to
    /// 99,999 years.
    public static let width = 5

    /// The age of `lastAuth` at `now`: whole days elapsed, then weeks from 7 days, months from 30,
    /// years from 365 (each rounded down, so an age never claims more staleness than there is).
    ///
    /// Days are counted in 24-hour periods, not calendar days: "today" means "in the last 24 hours",
    /// which needs no time zone and so reads the same on every admin host. A date after `now` (the
    /// server's clock ahead of ours) is `today`. No date is `never` for an active member and empty for
    /// an invitation, which cannot have logged in: its status says why.
    public static func age(of lastAuth: Date?, status: MembershipStatus, now: Date) -> String {
        guard let lastAuth else { return status == .active ? "never" : "" }
        let seconds = now.timeIntervalSince(lastAuth)
        // A date that is not finite has no age; a huge one must not trap the conversion to Int.
        guard seconds.isFinite else { return "" }
        let days = Int(min(max(seconds, 0), 1e12) / 86_400)
        switch days {
        case 0: return "today"
        case ..<7: return "\(days)d"
        case ..<30: return "\(days / 7)w"
        // 365/12 days a month: 30 days is already "1mo", 364 days still "11mo", never "12mo".
        case ..<365: return "\(max(1, days * 12 / 365))mo"
        default: return "\(days / 365)y"
        }
    }
}
