/// Builds the sandbox's organizations from a seed: same seed and sizes, same ids, names and roles.
struct OrganizationGenerator {
    private var random: SplitMix64
    private let hostileText: Bool
    private var usedIds: Set<String> = []

    /// Fixed reference points so output never depends on the clock.
    private static let membersSince: Int64 = 1_546_300_800  // 2019-01-01
    private static let membersUntil: Int64 = 1_735_689_600  // 2025-01-01
    private static let invitationsSince: Int64 = 1_790_000_000  // 2026-09
    private static let invitationLifetime: Int64 = 30 * 86_400
    /// Logins are spread back from here: most members active lately, some not for years, a few never.
    private static let activityReference: Int64 = 1_793_491_200  // 2026-11-01

    /// The range of the one random draw behind a login date (unchanged, so every later draw of a seed
    /// stays what it was).
    private static let loginDraws = 300 * 86_400

    /// A member's last login from one draw: 5 % never logged in, half within the last 30 days, a
    /// quarter within the year, the rest up to three years back (never before the account existed).
    static func lastLogin(created: Int64, draw: Int) -> Int64? {
        let share = Double(draw) / Double(loginDraws)
        let day: Double = 86_400
        let age: Double
        switch share {
        case ..<0.05: return nil
        case ..<0.55: age = (share - 0.05) / 0.50 * 30 * day
        case ..<0.80: age = 30 * day + (share - 0.55) / 0.25 * 335 * day
        default: age = 365 * day + (share - 0.80) / 0.20 * 730 * day
        }
        return max(created, activityReference - Int64(age))
    }

    init(seed: UInt64, hostileText: Bool) {
        random = SplitMix64(seed: seed)
        self.hostileText = hostileText
    }

    /// Sizes: the first organization is the big one; the others are small, for an organization picker.
    static func sizes(organizations: Int, usersPerOrganization: Int) -> [Int] {
        let first = max(1, usersPerOrganization)
        let others = [24, 9, 40, 5, 17]
        return (0..<max(1, organizations)).map { index in
            index == 0 ? first : max(1, min(first, others[(index - 1) % others.count]))
        }
    }

    mutating func organizations(count: Int, usersPerOrganization: Int) -> [SandboxOrganization] {
        Self.sizes(organizations: count, usersPerOrganization: usersPerOrganization).enumerated().map {
            organization(index: $0.offset, userCount: $0.element)
        }
    }

    private mutating func organization(index: Int, userCount: Int) -> SandboxOrganization {
        let baseName = NameCatalog.organizationNames[index % NameCatalog.organizationNames.count]
        var name = index < NameCatalog.organizationNames.count ? baseName : "\(baseName)-\(index)"
        if hostileText, index == 1 { name += NameCatalog.hostileFragments[0] }
        let orgId = objectId(at: Self.membersSince - 86_400 * Int64(400 + index))
        let teamCount = 3 + random.below(6)
        let teams = (0..<teamCount).map { teamIndex -> SandboxTeam in
            var teamName = NameCatalog.teamNames[(index + teamIndex) % NameCatalog.teamNames.count]
            if teamIndex >= NameCatalog.teamNames.count { teamName += " \(teamIndex)" }
            if hostileText, teamIndex == 1 { teamName += NameCatalog.hostileFragments[3] }
            return SandboxTeam(id: objectId(at: Self.membersSince + Int64(teamIndex) * 3600), name: teamName)
        }
        let groupIds = (0..<(2 + random.below(4))).map { _ in objectId(at: Self.membersSince + 7200) }
        let domain = NameCatalog.domains[index % NameCatalog.domains.count]
        var users: [SandboxUser] = []
        users.reserveCapacity(userCount)
        for userIndex in 0..<userCount {
            users.append(
                user(index: userIndex, domain: domain, teams: teams, groupIds: groupIds, previous: users.first))
        }
        return SandboxOrganization(
            id: orgId, name: name, skipDefaultAlertsSettings: index % 2 == 1, users: users, teams: teams,
            groupIds: groupIds)
    }

    /// The first users are fixed so every organization has what tests reach for: user 0 is the owner,
    /// 1 is PENDING, 2 has an expired invitation, 3 is a second owner; the rest are drawn.
    private mutating func user(
        index: Int, domain: String, teams: [SandboxTeam], groupIds: [String], previous owner: SandboxUser?
    ) -> SandboxUser {
        let status: MembershipStatus
        switch index {
        case 0, 3: status = .active
        case 1: status = .pending
        case 2: status = .invitationExpired
        default:
            let draw = random.nextUnit()
            status =
                draw < 0.84 ? .active : draw < 0.94 ? .pending : draw < 0.985 ? .invitationExpired : .invitationRejected
        }
        let first = random.pick(NameCatalog.firstNames)
        let last = random.below(97) == 0 ? random.pick(NameCatalog.longLastNames) : random.pick(NameCatalog.lastNames)
        var firstName = first.display
        var lastName = last.display
        if hostileText, index % 13 == 5 {
            firstName += random.pick(NameCatalog.hostileFragments)
            lastName = random.pick(NameCatalog.hostileFragments) + lastName
        }
        let username = "\(first.ascii).\(last.ascii).\(index)@\(domain)"
        let created = Self.membersSince + Int64(random.below(Int(Self.membersUntil - Self.membersSince)))
        let isInvitee = status != .active
        let invitedAt = Self.invitationsSince + Int64(random.below(60 * 86_400))
        let expiresAt: String?
        switch status {
        case .pending: expiresAt = index % 10 == 9 ? nil : Timestamp.iso8601(invitedAt + Self.invitationLifetime)
        case .invitationExpired, .invitationRejected:
            expiresAt = Timestamp.iso8601(created + Self.invitationLifetime)
        case .active: expiresAt = nil
        }
        let teamIds = (0..<random.below(3)).map { _ in random.pick(teams).id }
        let assignments = (0..<random.below(3)).map { _ in
            GroupRoleAssignment(groupId: random.pick(groupIds), groupRoles: [random.pick(NameCatalog.groupRoles)])
        }
        return SandboxUser(
            id: objectId(at: created),
            username: username,
            firstName: firstName,
            lastName: lastName,
            status: status,
            country: random.pick(NameCatalog.countries),
            mobileNumber: northAmericanNumber(),
            createdAt: Timestamp.iso8601(status == .pending ? invitedAt : created),
            // Invitees take no draw, as before: every later draw of a seed stays what it was.
            lastAuth: isInvitee
                ? nil : Self.lastLogin(created: created, draw: random.below(Self.loginDraws)).map(Timestamp.iso8601),
            invitationId: isInvitee ? objectId(at: status == .pending ? invitedAt : created) : nil,
            invitationExpiresAt: expiresAt,
            inviterUsername: isInvitee ? (owner?.username ?? "atlas-admin@\(domain)") : nil,
            orgRoles: roles(forUserAt: index),
            groupRoleAssignments: uniqueByGroup(assignments),
            teamIds: Array(Set(teamIds)).sorted()
        )
    }

    /// A fictional (555) North American number the spec's `mobileNumber` pattern accepts: the area code's
    /// middle digit is never 9, and never 1 (so `x11` service codes cannot appear either).
    private mutating func northAmericanNumber() -> String {
        let middleDigits = [0, 2, 3, 4, 5, 6, 7, 8]
        let area = "\(2 + random.below(8))\(random.pick(middleDigits))\(random.below(10))"
        return "\(area)555\(1000 + random.below(9000))"
    }

    private mutating func roles(forUserAt index: Int) -> [String] {
        if index == 0 || index == 3 { return ["ORG_OWNER"] }
        let draw = random.below(100)
        switch draw {
        case 0..<2: return ["ORG_OWNER"]
        case 2..<62: return ["ORG_MEMBER"]
        case 62..<72: return ["ORG_MEMBER", "ORG_GROUP_CREATOR"]
        case 72..<79: return ["ORG_BILLING_ADMIN"]
        case 79..<84: return ["ORG_READ_ONLY"]
        case 84..<89: return ["ORG_MEMBER", "ORG_BILLING_READ_ONLY"]
        case 89..<92: return ["ORG_MEMBER", "ORG_STREAM_PROCESSING_ADMIN"]
        default: return ["ORG_GROUP_CREATOR"]
        }
    }

    private func uniqueByGroup(_ assignments: [GroupRoleAssignment]) -> [GroupRoleAssignment] {
        var seen: Set<String> = []
        return assignments.filter { seen.insert($0.groupId).inserted }
    }

    /// A MongoDB ObjectId: 4 bytes of creation time, then 8 random bytes, as 24 lowercase hex digits.
    private mutating func objectId(at seconds: Int64) -> String {
        while true {
            let id =
                Self.hex(UInt64(UInt32(truncatingIfNeeded: seconds)), digits: 8) + Self.hex(random.next(), digits: 16)
            if usedIds.insert(id).inserted { return id }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func hex(_ value: UInt64, digits: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: digits)
        var rest = value
        for position in stride(from: digits - 1, through: 0, by: -1) {
            bytes[position] = hexDigits[Int(rest & 0xF)]
            rest >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
