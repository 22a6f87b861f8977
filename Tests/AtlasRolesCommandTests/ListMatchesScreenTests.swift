import AtlasAPI
import Foundation
import Logging
import Testing

@testable import RoleEditor
@testable import atlas_roles

/// `atlas-roles list` and the screen's list give one meaning to a filter and a sort: for random users
/// (accented, mixed-case, some sharing an email but for case or accents, some seen twice, logins and
/// memberships of every age) and random queries of the filter language (words, role names in every
/// spelling, negation, alternatives, `status:`, `login:`, `created:`) with random `--role`/`--status`
/// flags, `list` prints the same users in the same order as the screen shows for the same filter typed
/// after `/`, and both equal the reference matcher applied user by user.
@Suite struct ListMatchesScreenTests {
    static let orgId = "5f1d00000000000000000001"

    @Test(arguments: 0..<8)
    func listAndScreenSelectAndOrderTheSameUsers(batch: Int) async throws {
        for round in 0..<25 {
            let seed = UInt64(batch * 1_000 + round)
            var random = SeededGenerator(seed: seed)
            // Dates lie whole days plus half a day from now and thresholds are whole days, so the
            // moments the three sides read the clock cannot fall on different sides of a threshold.
            let now = Date()
            let pages = Self.pages(&random, now: now)
            let flags = Self.flags(&random, pages: pages)

            let listed = try await Self.listIds(pages: pages, flags: flags)
            let shown = Self.screenIds(pages: pages, flags: flags, now: now)
            let expected = Self.referenceIds(pages: pages, flags: flags, now: now)
            #expect(listed == shown, "seed \(seed), flags \(flags.arguments)")
            #expect(listed == expected, "seed \(seed), flags \(flags.arguments)")
        }
    }

    /// The filters as `list` takes them, and as a person types the same filter in the screen.
    struct Flags {
        var search: String?
        /// Each role as typed on the command line and as its full name in the screen.
        var roles: [(flag: String, role: OrgRole)] = []
        var statuses: [(flag: String, status: MembershipStatus)] = []
        var requiresAllRoles = false

        var arguments: [String] {
            (search.map { $0.isEmpty ? ["--search", ""] : ["--search=" + $0] } ?? [])
                + roles.flatMap { ["--role", $0.flag] }
                + statuses.flatMap { ["--status", $0.flag] } + (requiresAllRoles ? ["--all-roles"] : [])
        }

        /// The screen's filter text: the search, then the flags as terms (alternatives within one term).
        var screenText: String {
            var words = search.map { [$0] } ?? []
            if !roles.isEmpty {
                let names = roles.map { $0.role.rawValue.lowercased() }
                words += requiresAllRoles ? names.map { "Role:" + $0 } : ["Role:" + names.joined(separator: ",")]
            }
            if !statuses.isEmpty { words.append("STATUS:" + statuses.map(\.status.rawValue).joined(separator: ",")) }
            return words.joined(separator: " ")
        }
    }

    // MARK: The three sides

    /// The ids `atlas-roles list -o json` prints, with the users served in `pages`.
    static func listIds(pages: [[OrgUser]], flags: Flags) async throws -> [String] {
        let parsed = try AtlasRoles.parseAsRoot(["list", "--output", "json"] + flags.arguments)
        let command = try #require(parsed as? any AtlasRolesCommand)
        let console = RecordingConsole()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("list-screen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let context = CommandContext(
            environment: [
                "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
                "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                "MONGODB_ATLAS_OPS_MANAGER_URL": "http://127.0.0.1:9/", "MONGODB_ATLAS_ORG_ID": orgId,
                "MONGODB_ATLAS_PUBLIC_API_KEY": "public", "MONGODB_ATLAS_PRIVATE_API_KEY": "private",
            ], console: console, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            redactor: LogRedactor(), makeService: { _ in PagedUsersService(pages: pages) })
        let status = await CommandRunner.execute(command, in: context)
        #expect(status == .success, "\(console.err)")
        struct Record: Decodable { var id: String }
        return try JSONDecoder().decode([Record].self, from: Data(console.out.utf8)).map(\.id)
    }

    /// The ids of the rows the screen shows after the pages arrive and the filter is typed key by key.
    static func screenIds(pages: [[OrgUser]], flags: Flags, now: Date) -> [String] {
        var state = EditorState(config: EditorConfig(orgId: orgId, sessionId: "s"))
        _ = update(&state, .start)
        _ = update(&state, .tick(now))
        var loaded = 0
        for (number, page) in pages.enumerated() {
            loaded += page.count
            let userPage = UserPage(users: page, pageNumber: number + 1, loadedCount: loaded, totalCount: nil)
            _ = update(&state, .usersPageLoaded(userPage, generation: 1))
        }
        _ = update(&state, .usersLoadFinished(generation: 1))
        _ = update(&state, .filterBegin)
        for character in flags.screenText { _ = update(&state, .filterInput(String(character))) }
        _ = update(&state, .filterCommit)
        #expect(state.list.filterError == nil, "\(flags.screenText)")
        return state.list.visible.map { state.list.users.id(at: $0) }
    }

    /// The reference: the last copy of each user, kept when the reference matcher accepts it for the
    /// search, and for the flags read plainly (any `--role` held, or every one with `--all-roles`; any
    /// `--status`); ordered by folded email, then id.
    static func referenceIds(pages: [[OrgUser]], flags: Flags, now: Date) -> [String] {
        var latest: [String: OrgUser] = [:]
        for user in pages.joined() { latest[user.id] = user }
        let search = FilterQuery(flags.search ?? "", now: now)
        let selected = latest.values.filter { user in
            let held = flags.roles.map { user.orgRoles.contains($0.role) }
            let roles = flags.roles.isEmpty || (flags.requiresAllRoles ? !held.contains(false) : held.contains(true))
            return search.matches(user) && roles
                && (flags.statuses.isEmpty || flags.statuses.contains { $0.status == user.status })
        }
        return
            selected
            .map { (email: TextFolding.folded($0.username), id: Array($0.id.utf8)) }
            .sorted {
                $0.email != $1.email
                    ? $0.email.lexicographicallyPrecedes($1.email) : $0.id.lexicographicallyPrecedes($1.id)
            }
            .map { String(decoding: $0.id, as: UTF8.self) }
    }

    // MARK: Generators

    static let firstNames = [
        "Zoë", "zoe", "ZOË", "Élodie", "élodie", "Ana", "Anaïs", "ANAIS", "Björn", "bjorn", "Renée", "René", "Ôscar",
        "oscar", "李", "Łukasz", "Ørjan", "Ada",
    ]
    static let lastNames = ["García", "GARCIA", "Müller", "muller", "Núñez", "Dvořák", "O'Brien", "Lovelace", "山田"]
    static let statuses: [MembershipStatus] = [
        .active, .active, .active, .pending, .invitationExpired, .invitationRejected, .other("SUSPENDED"),
    ]

    /// 1 to 120 users in pages of 1 to 40; some emails equal but for case or accents, and now and then a
    /// user sent again later with other roles (the later copy is the one that counts).
    static func pages(_ random: inout SeededGenerator, now: Date) -> [[OrgUser]] {
        let count = Int.random(in: 1...120, using: &random)
        var users: [OrgUser] = []
        for number in 0..<count {
            let first = firstNames.randomElement(using: &random)!
            let last = lastNames.randomElement(using: &random)!
            let local = Bool.random(using: &random) ? "\(first).\(last)" : "\(first)\(number % 7)"
            let domain = ["example.com", "Example.COM", "exämple.org"].randomElement(using: &random)!
            var roles = Set(OrgRole.known.filter { _ in Int.random(in: 0..<4, using: &random) == 0 })
            if Int.random(in: 0..<8, using: &random) == 0 { roles.insert(OrgRole(rawValue: "ORG_FUTURE")) }
            users.append(
                OrgUser(
                    id: String(format: "%024x", UInt64.random(in: 0..<(1 << 40), using: &random) << 8 | UInt64(number)),
                    username: "\(local)@\(domain)", firstName: Bool.random(using: &random) ? first : nil,
                    lastName: Int.random(in: 0..<3, using: &random) == 0 ? nil : last,
                    status: statuses.randomElement(using: &random)!, orgRoles: roles,
                    createdAt: daysAgo(&random, now: now), lastAuth: daysAgo(&random, now: now)))
        }
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            var again = users.randomElement(using: &random)!
            again.orgRoles = [OrgRole.known.randomElement(using: &random)!]
            users.append(again)
        }
        var pages: [[OrgUser]] = []
        var rest = users[...]
        while !rest.isEmpty {
            let size = Int.random(in: 1...40, using: &random)
            pages.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pages
    }

    /// Nil now and then, else a moment a whole number of days and a half before `now`.
    static func daysAgo(_ random: inout SeededGenerator, now: Date) -> Date? {
        if Int.random(in: 0..<5, using: &random) == 0 { return nil }
        let days = Double(Int.random(in: 0...800, using: &random)) + 0.5
        return now.addingTimeInterval(-days * 86_400)
    }

    /// Terms of the filter language other than plain words, every one valid.
    static let languageTerms = [
        "role:owner", "role:billing-admin", "role:Billing_Viewer", "role:ORG_GROUP_CREATOR", "role:project-creator",
        "role:ba", "role:bro", "role:own,mem", "-role:owner", "!role:member", "role:owner,member", "status:active",
        "status:pending,expired", "-status:active", "status:rejected", "login:>90d", "login:<30d", "login:never",
        "login:>1y,never", "-login:never", "created:<30d", "created:>2w", "!created:>1y", "owner", "billing", "viewer",
        "-admin", "gc", "proj", "-member,creator", "LOGIN:>4w", "Created:<2y", "!login:<1w,never", "-role:ba,bv",
        "status:active,pending", "role:billing-viewer,owner", "-created:<30d,>2y",
    ]

    /// Search words cut from the users' emails and names, in another case or without their accents,
    /// or words nobody has; roles and statuses as people spell them on the command line.
    static func flags(_ random: inout SeededGenerator, pages: [[OrgUser]]) -> Flags {
        var flags = Flags()
        let users = Array(pages.joined())
        var words: [String] = []
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            let user = users.randomElement(using: &random)!
            let source = [user.username, user.firstName ?? "zq", user.lastName ?? "ü"].randomElement(using: &random)!
            let characters = Array(source)
            let start = Int.random(in: 0..<characters.count, using: &random)
            let length = Int.random(in: 1...min(5, characters.count - start), using: &random)
            var word = String(characters[start..<start + length]).filter { $0 != " " }
            switch Int.random(in: 0..<4, using: &random) {
            case 0: word = word.uppercased()
            case 1: word = word.folding(options: .diacriticInsensitive, locale: nil)
            case 2: word = word.lowercased()
            default: break
            }
            if !word.isEmpty { words.append(word) }
        }
        if Int.random(in: 0..<6, using: &random) == 0 { words.append("xyzzy") }
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            words.append(languageTerms.randomElement(using: &random)!)
        }
        if words.count >= 2 && Int.random(in: 0..<4, using: &random) == 0 {
            // Two cut words as alternatives, one of them negated now and then.
            let pair = words.removeLast() + "," + words.removeLast()
            if !pair.contains(":") { words.append((Bool.random(using: &random) ? "-" : "") + pair) }
        }
        words.shuffle(using: &random)
        if !words.isEmpty || Bool.random(using: &random) { flags.search = words.joined(separator: " ") }

        let roleSpellings: [(String, OrgRole)] = [
            ("owner", .owner), ("ORG_MEMBER", .member), ("group-creator", .groupCreator),
            ("billing_admin", .billingAdmin), ("Billing-Read-Only", .billingReadOnly),
            ("stream-processing-admin", .streamProcessingAdmin), ("read-only", .readOnly), ("org_read_only", .readOnly),
            ("Organization Project Creator", .groupCreator), ("billing-viewer", .billingReadOnly),
            ("BA", .billingAdmin),
        ]
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            let (flag, role) = roleSpellings.randomElement(using: &random)!
            if !flags.roles.contains(where: { $0.role == role }) { flags.roles.append((flag, role)) }
        }
        flags.requiresAllRoles = Int.random(in: 0..<3, using: &random) == 0
        let statusSpellings: [(String, MembershipStatus)] = [
            ("active", .active), ("PENDING", .pending), ("invitation-expired", .invitationExpired),
            ("INVITATION_REJECTED", .invitationRejected),
        ]
        for _ in 0..<[0, 0, 1, 1, 2].randomElement(using: &random)! {
            let (flag, status) = statusSpellings.randomElement(using: &random)!
            if !flags.statuses.contains(where: { $0.status == status }) { flags.statuses.append((flag, status)) }
        }
        return flags
    }
}

/// Serves fixed pages of users; nothing else is called by `list`.
private struct PagedUsersService: AtlasService {
    let pages: [[OrgUser]]

    func orgUsers(orgId: String) -> AsyncThrowingStream<UserPage, any Error> {
        var loaded = 0
        let pages = self.pages.enumerated().map { number, users in
            loaded += users.count
            return UserPage(users: users, pageNumber: number + 1, loadedCount: loaded, totalCount: nil)
        }
        return AsyncThrowingStream { continuation in
            for page in pages { continuation.yield(page) }
            continuation.finish()
        }
    }

    func listOrganizations() async throws -> [Organization] { throw Unexpected() }
    func organization(id: String) async throws -> Organization { throw Unexpected() }
    func orgUser(orgId: String, userId: String) async throws -> OrgUser { throw Unexpected() }
    func writeOrgRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod) async throws
        -> RoleWriteResult
    { throw Unexpected() }
    func events() -> AsyncStream<ServiceEvent> { AsyncStream { $0.finish() } }

    struct Unexpected: Error {}
}

/// SplitMix64: a small seeded generator, so a failing case is reproduced from the seed it prints.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
