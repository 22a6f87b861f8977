import AtlasAPI

/// Role and status names as people type them, read the same way by `set --role`, `list --role` and
/// the filter's `role:` and `status:` terms.
///
/// Case, `-`, `_` and spaces do not count. A role is named by its API name (`ORG_BILLING_ADMIN`,
/// `billing-admin`), the Atlas console's name (`Organization Billing Admin`, `billing viewer`), this
/// program's short label (`Billing Read Only`) or its abbreviation (`BA`). A name that is none of these
/// but begins exactly one role's names is that role (`own` is the owner); one that begins several is
/// ambiguous and refused with the candidates (`billing`), never read as both.
///
/// ```swift
/// RoleSpelling.role("billing-viewer")  // .found(.billingReadOnly)
/// RoleSpelling.role("billing")         // .ambiguous([.billingAdmin, .billingReadOnly])
/// ```
public enum RoleSpelling {
    /// What a typed name stands for.
    public enum Resolution<Value: Hashable & Sendable>: Hashable, Sendable {
        case found(Value)
        case ambiguous([Value])
        /// No such name; `suggestion` is the closest known name, when one is close.
        case unknown(suggestion: String?)
    }

    /// The name the Atlas console shows: `ORG_GROUP_CREATOR` → `Organization Project Creator`.
    public static func consoleName(_ role: OrgRole) -> String {
        switch role {
        case .owner: "Organization Owner"
        case .member: "Organization Member"
        case .groupCreator: "Organization Project Creator"
        case .billingAdmin: "Organization Billing Admin"
        case .billingReadOnly: "Organization Billing Viewer"
        case .streamProcessingAdmin: "Organization Stream Processing Admin"
        case .readOnly: "Organization Read Only"
        default: role.rawValue
        }
    }

    /// The console's name without the word every role shares: `Billing Viewer`.
    public static func shortConsoleName(_ role: OrgRole) -> String {
        let name = consoleName(role)
        let prefix = "Organization "
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
    }

    /// The role `text` names.
    public static func role(_ text: String) -> Resolution<OrgRole> {
        resolve(text, in: roleNames)
    }

    /// The membership status `text` names: `active`, `pending`, `invitation-expired` (or `expired`),
    /// `INVITATION_REJECTED` (or `rejected`), or a unique beginning of one.
    public static func status(_ text: String) -> Resolution<MembershipStatus> {
        resolve(text, in: statusNames)
    }

    /// The known statuses, in the order `status:` terms and `--status` list them.
    public static let statuses: [MembershipStatus] = [.active, .pending, .invitationExpired, .invitationRejected]

    /// One line for an error: `unknown role 'ownr' (did you mean owner?)`.
    public static func message<Value>(
        for resolution: Resolution<Value>, kind: String, typed: String, describe: (Value) -> String
    ) -> String? {
        switch resolution {
        case .found:
            return nil
        case .ambiguous(let candidates):
            return "\(kind) '\(typed)' could be " + candidates.map(describe).joined(separator: " or ")
        case .unknown(let suggestion):
            return "unknown \(kind) '\(typed)'" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
        }
    }

    /// `Billing-Admin` → `billingadmin`: the form names are compared in.
    static func key(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" && $0 != " " })
    }

    /// Every accepted spelling of every known role, by its key. The first spelling of each role is the
    /// one suggested when a typed name is close to it.
    static let roleNames: [(key: String, value: OrgRole)] = OrgRole.known.flatMap { role in
        let raw = role.rawValue
        let bare = raw.hasPrefix("ORG_") ? String(raw.dropFirst(4)) : raw
        let spellings =
            [
                bare, raw, consoleName(role), shortConsoleName(role), role.displayName, RoleText.abbreviation(role),
            ] + (earlierAbbreviations[role].map { [$0] } ?? [])
        var seen: Set<String> = []
        return spellings.map(key).filter { seen.insert($0).inserted }.map { (key: $0, value: role) }
    }

    /// Abbreviations the list showed before it used the console's names, still understood.
    static let earlierAbbreviations: [OrgRole: String] = [.groupCreator: "GC", .billingReadOnly: "BRO"]

    static let statusNames: [(key: String, value: MembershipStatus)] = [
        ("active", .active), ("pending", .pending), ("invitationexpired", .invitationExpired),
        ("expired", .invitationExpired), ("invitationrejected", .invitationRejected), ("rejected", .invitationRejected),
    ]

    private static func resolve<Value: Hashable>(_ text: String, in names: [(key: String, value: Value)])
        -> Resolution<Value>
    {
        let typed = key(text)
        if let exact = names.first(where: { $0.key == typed }) { return .found(exact.value) }
        var candidates: [Value] = []
        for name in names where !typed.isEmpty && name.key.hasPrefix(typed) && !candidates.contains(name.value) {
            candidates.append(name.value)
        }
        if candidates.count == 1 { return .found(candidates[0]) }
        if candidates.count > 1 { return .ambiguous(candidates) }
        let closest = names.map { (name: $0.key, distance: editDistance(typed, $0.key)) }.min {
            $0.distance < $1.distance
        }
        guard let closest, closest.distance <= max(1, typed.count / 3) else { return .unknown(suggestion: nil) }
        return .unknown(suggestion: closest.name)
    }

    /// Up to `limit` of `candidates` closest to `text` (case aside) by edit distance, nearest first, each
    /// within a typo or two of it (a quarter of its length, at least 2): the "did you mean" of an
    /// unknown email.
    public static func closest(to text: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let typed = text.lowercased()
        let reach = max(2, typed.count / 4)
        var near: [(distance: Int, candidate: String)] = []
        for candidate in candidates {
            let lowered = candidate.lowercased()
            // Lengths further apart than the reach cannot be within it: skip the quadratic work.
            guard abs(lowered.count - typed.count) <= reach else { continue }
            let distance = editDistance(typed, lowered)
            if distance <= reach { near.append((distance, candidate)) }
        }
        near.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.candidate < $1.candidate }
        return near.prefix(limit).map(\.candidate)
    }

    /// Levenshtein distance over characters: how far a typo is from a name.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
