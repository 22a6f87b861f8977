import AtlasAPI

/// What a set of pending edits does, counted: the lines on top of the review and under `set`'s diff,
/// so a 9,332-user change reads in four lines before anything is sent.
///
/// ```swift
/// ReviewSummary(edits: state.pending.sorted, users: state.list.users).lines
/// // ["9,332 users: +ORG_BILLING_ADMIN × 9,332", "owners: 3 → 3", …]
/// ```
public struct ReviewSummary: Hashable, Sendable {
    /// One role added or removed, and how many users it is for.
    public struct Change: Hashable, Sendable {
        public var role: OrgRole
        public var isAdded: Bool
        public var users: Int

        /// "+ORG_BILLING_ADMIN" or "-ORG_READ_ONLY".
        public var change: String { change(naming: .api) }

        /// "+Billing Admin" (console) or "+ORG_BILLING_ADMIN" (API).
        public func change(naming: RoleNaming) -> String { (isAdded ? "+" : "-") + naming.name(role) }
    }

    public var users: Int
    /// Each role added or removed, most users first.
    public var changes: [Change]
    /// Edits of invitations (users not ACTIVE: pending, expired, rejected), which are written with the PATCH.
    public var invitations: Int
    /// Organization Owners among the loaded users now, and once the edits are applied.
    public var ownersBefore: Int
    public var ownersAfter: Int
    /// Users the edits leave holding exactly one role.
    public var leftWithOneRole: Int
    /// Users removed (or invitations cancelled), and invitations to send.
    public var removals: Int
    public var invitationsSent: Int

    public init(edits: [PendingEdit], users store: UserStore) {
        users = edits.count
        var counts: [RoleChange: Int] = [:]
        var ownerDelta = 0
        invitations = 0
        leftWithOneRole = 0
        removals = edits.filter(\.isRemoval).count
        invitationsSent = edits.filter(\.isInvitation).count
        for edit in edits {
            ownerDelta += edit.isRemoval && edit.base.contains(.owner) ? -1 : 0
            if edit.membership != nil { continue }
            for role in edit.added { counts[RoleChange(role: role, isAdded: true), default: 0] += 1 }
            for role in edit.removed { counts[RoleChange(role: role, isAdded: false), default: 0] += 1 }
            if edit.status != .active { invitations += 1 }
            if edit.target.count == 1 { leftWithOneRole += 1 }
            ownerDelta += (edit.target.contains(.owner) ? 1 : 0) - (edit.base.contains(.owner) ? 1 : 0)
        }
        // Ordered as the API names sort, whatever names a text then uses: `set` and the screen list the
        // changes in the same order.
        changes = counts.map { Change(role: $0.key.role, isAdded: $0.key.isAdded, users: $0.value) }
            .sorted { ($1.users, $0.change) < ($0.users, $1.change) }
        ownersBefore = store.indices.reduce(0) { $0 + (store.holds(.owner, at: $1) ? 1 : 0) }
        ownersAfter = ownersBefore + ownerDelta
    }

    /// The summary, one fact a line, with the API's role names (as `set` prints it).
    public var lines: [String] { lines(naming: .api) }

    /// The summary, one fact a line (sanitized: role names come from the server).
    public func lines(naming: RoleNaming) -> [String] {
        guard users > 0 else { return [] }
        let changeText = changes.map { $0.change(naming: naming) + " × " + Self.grouped($0.users) }
            .joined(separator: ", ")
        var lines = ["\(Self.grouped(users)) user(s): " + changeText]
        if removals > 0 { lines.append("remove from the organization: \(Self.grouped(removals)) user(s)") }
        if invitationsSent > 0 { lines.append("invite: \(Self.grouped(invitationsSent)) user(s)") }
        if invitations > 0 {
            lines.append("\(Self.grouped(invitations)) invitation(s), written with PATCH")
        }
        lines.append(
            "owners: \(Self.grouped(ownersBefore)) → \(Self.grouped(ownersAfter))"
                + (ownersAfter == ownersBefore ? " (unchanged)" : ""))
        if leftWithOneRole > 0 { lines.append("left with one role: \(Self.grouped(leftWithOneRole)) user(s)") }
        return lines
    }

    /// "9,332": thousands grouped, as a person reads a count at a glance.
    public static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (number < 0 ? "-" : "") + text
    }
}

/// A role added or removed, as the summary counts it.
private struct RoleChange: Hashable {
    var role: OrgRole
    var isAdded: Bool
}

/// Users of a run whose writes ended the same way (the same status and errorCode), for one message
/// instead of the same envelope under each user.
public struct OutcomeGroup: Hashable, Sendable {
    /// "401 USER_UNAUTHORIZED": the error in a few words.
    public var brief: String
    /// The error laid out whole, once, with its hint.
    public var detailLines: [String]
    public var usernames: [String]

    /// The refused, failed and not-sent outcomes of `outcomes`, grouped by error, largest group first.
    static func grouping(_ outcomes: [String: ApplyOutcome], edits: (String) -> PendingEdit?) -> [OutcomeGroup] {
        var groups: [String: OutcomeGroup] = [:]
        for (userId, outcome) in outcomes {
            let error: AtlasError
            switch outcome {
            case .refused(let refusal), .failed(let refusal): error = refusal
            case .applied, .conflict, .notSent: continue
            }
            let brief = OutcomeText.brief(error)
            let name = edits(userId)?.username ?? userId
            if groups[brief] == nil {
                groups[brief] = OutcomeGroup(brief: brief, detailLines: OutcomeText.errorLines(error), usernames: [])
            }
            groups[brief]!.usernames.append(name)
        }
        return groups.values.map { group in
            var sorted = group
            sorted.usernames.sort()
            return sorted
        }
        .sorted { ($1.usernames.count, $0.brief) < ($0.usernames.count, $1.brief) }
    }

    /// "12 users: 401 USER_UNAUTHORIZED (ada@…, bob@… and 10 more)"
    public var headline: String {
        (usernames.count == 1 ? "1 user" : "\(usernames.count) users") + ": \(brief) ("
            + StatusText.names(usernames, of: usernames.count) + ")"
    }
}
