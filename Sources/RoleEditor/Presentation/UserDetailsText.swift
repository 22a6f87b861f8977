import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Who a user is, in a line or two under the checklist's header, so a role is given or taken with
/// the person in view: how active a member is, or who invited an invitee and until when.
///
/// Only what the server sent is said: a missing date, country or inviter leaves its part out rather
/// than showing a placeholder that reads like data. Dates are days in UTC (`yyyy-MM-dd`), the same on
/// every admin host; the login age is the list's (``LoginText``), counted from the state's clock.
///
/// ```swift
/// UserDetailsText.lines(for: member, now: state.now)
/// // ["ACTIVE · last login 3d ago · member since 2021-10-06 · BR · 2 teams"]
/// UserDetailsText.lines(for: invitee, now: state.now)
/// // ["PENDING · invited 2026-10-03 by ingrid.li.0@example.com · expires 2026-11-02"]
/// ```
public enum UserDetailsText {
    /// Parts of one line are joined with this, so a wrapped line still shows where a part ends.
    public static let separator = " · "

    /// The detail lines for `user`, sanitized; `now` is nil before the first tick, and then the login
    /// age is left out rather than counted from a made-up date.
    public static func lines(for user: OrgUser, now: Date?) -> [String] {
        var parts = [status(user.status)]
        switch user.status {
        case .pending, .invitationExpired, .invitationRejected:
            parts += invitationParts(of: user)
        case .active, .other:
            parts += memberParts(of: user, now: now)
        }
        if let country = user.country.map({ SafeText.sanitized($0) }), !country.isEmpty {
            parts.append(country)
        }
        // No teams is left out: invitations and older API versions often carry none, and "0 teams"
        // would claim more than the server said.
        switch user.teamIds.count {
        case 0: break
        case 1: parts.append("1 team")
        case let count: parts.append("\(count) teams")
        }
        return [parts.joined(separator: separator)]
    }

    /// "teams: Platform, Billing" and "projects: production (GROUP_OWNER), staging (GROUP_READ_ONLY)",
    /// by name where the organization's names are known (an id otherwise); nothing for none.
    public static func membershipLines(for user: OrgUser, names: OrganizationNames) -> [String] {
        var lines: [String] = []
        if !user.teamIds.isEmpty {
            lines.append(
                "teams: " + user.teamIds.map { SafeText.sanitized(names.teams[$0] ?? $0) }.joined(separator: ", "))
        }
        if !user.projectRoles.isEmpty {
            let projects = user.projectRoles.map { assignment in
                let name = SafeText.sanitized(names.projects[assignment.projectId] ?? assignment.projectId)
                return "\(name) (\(assignment.roles.map { SafeText.sanitized($0) }.joined(separator: ", ")))"
            }
            lines.append("projects: " + projects.joined(separator: "; "))
        }
        return lines
    }

    /// The membership status in the words the list uses: "ACTIVE", "PENDING", "EXPIRED", "REJECTED",
    /// or the server's own word for a status this program does not know (sanitized).
    public static func status(_ status: MembershipStatus) -> String {
        switch status {
        case .active: "ACTIVE"
        case .pending: "PENDING"
        case .invitationExpired: "EXPIRED"
        case .invitationRejected: "REJECTED"
        case .other(let raw): SafeText.sanitized(raw)
        }
    }

    /// "last login 3d ago", "member since 2021-10-06".
    static func memberParts(of user: OrgUser, now: Date?) -> [String] {
        var parts: [String] = []
        if let now {
            switch LoginText.age(of: user.lastAuth, status: user.status, now: now) {
            case "": break
            case "never": parts.append("never logged in")
            case "today": parts.append("last login today")
            case let age: parts.append("last login \(age) ago")
            }
        }
        if let createdAt = user.createdAt { parts.append("member since \(StatusText.day(createdAt))") }
        return parts
    }

    /// "invited 2026-10-03 by ingrid@example.com", then "expires …" (or "expired …" once it has).
    static func invitationParts(of user: OrgUser) -> [String] {
        var parts: [String] = []
        var invited = "invited"
        if let created = user.invitationCreatedAt { invited += " " + StatusText.day(created) }
        if let inviter = user.inviterUsername.map({ SafeText.sanitized($0) }), !inviter.isEmpty {
            invited += " by " + inviter
        }
        if invited != "invited" { parts.append(invited) }
        // A rejected invitation's expiry no longer matters: it ended when it was rejected.
        if let expires = user.invitationExpiresAt, user.status != .invitationRejected {
            let verb = user.status == .invitationExpired ? "expired" : "expires"
            parts.append("\(verb) \(StatusText.day(expires))")
        }
        return parts
    }
}
