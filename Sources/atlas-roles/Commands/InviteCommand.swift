import ArgumentParser
import AtlasAPI
import RoleEditor

/// `atlas-roles invite`: invite users into the organization with organization roles and teams.
///
/// The same path as `set`: the diff, the journal and the exit statuses; an address already in the
/// organization (ACTIVE or PENDING) is refused before anything is sent, an expired or rejected
/// invitation is replaced, as Atlas does.
struct InviteCommand: AtlasRolesCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Invite users (by email) with organization roles and, optionally, teams.",
        discussion: """
            Each address is invited with POST /orgs/{orgId}/users (2025-02-19). `-` reads more addresses \
            from standard input, one per line. --team takes a team's name or id. The diff is printed; the \
            invitations are sent after a yes at the prompt, or at once with --yes, which is required when \
            standard input is not a terminal. Exit status: 0 done, 1 refused (by the API or at the prompt), \
            2 usage or configuration error (a bad address or one already in the organization included), \
            3 partly done.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "The addresses to invite; `-` reads them from standard input.")
    var emails: [String] = []

    @Option(name: .customLong("role"), help: "An organization role to give (repeatable, or comma-separated).")
    var roles: [String] = []

    @Option(name: .customLong("team"), help: "A team to join, by name or id (repeatable).")
    var teams: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Print the diff, but invite nobody.")
    var dryRun = false

    @Flag(name: [.customShort("y"), .customLong("yes")], help: "Invite without asking.")
    var yes = false

    @OptionGroup var write: WriteOptions

    func validate() throws {
        if emails.isEmpty { throw ValidationError("name at least one address (or - for standard input)") }
        if try RoleNames.parseRoles(roles, option: "--role").isEmpty {
            throw ValidationError("say which roles to give: --role R (repeatable)")
        }
        if emails.contains(UserListInput.marker) && !yes && !dryRun {
            // The prompt's answer would be read from the same input as the users, already consumed.
            throw ValidationError(
                "- reads the users from standard input, which leaves no input to answer the prompt from: "
                    + "add --yes to go on without asking (or --dry-run to see the change)")
        }
    }

    func execute(in context: CommandContext) async throws -> ExitStatus {
        let roles = Set(try RoleNames.parseRoles(self.roles, option: "--role"))
        let configuration = try context.resolveConfiguration(connection.flags)
        let orgId = try context.requireOrg(configuration)
        let service = try context.service(for: configuration, writeMethod: write.method)
        guard let membership = service as? any AtlasMembershipService else {
            throw CommandFailure(.usageOrConfiguration, "this connection cannot invite users")
        }
        var addresses: [String] = []
        var seen: Set<String> = []
        for address in try UserListInput.expand(emails, console: context.console)
        where seen.insert(address.lowercased()).inserted {
            addresses.append(address)
        }
        guard !addresses.isEmpty else { throw CommandFailure(.usageOrConfiguration, "standard input named no address") }
        let teamIds = try await resolveTeams(membership, orgId: orgId)

        let directory = try await UserDirectory.load(from: service, orgId: orgId)
        let problems = InvitationCheck.problems(addresses, among: directory.store)
        guard problems.isEmpty else {
            throw CommandFailure(
                .usageOrConfiguration,
                problems.map { "\(SafeText.sanitized($0.address)): \($0.reason)" }.joined(separator: "\n")
                    + "\nnothing was sent")
        }
        let edits = addresses.map { PendingEdit.invitation(username: $0, roles: roles, teamIds: teamIds) }
        let run = ScriptedRun(
            context: context, orgId: orgId, service: service, preferredMethod: write.method,
            directories: context.directories)
        if let status = try await run.review(
            edits, users: directory.store, dryRun: dryRun, confirmation: yes ? .none : .ask("Send"))
        {
            return status
        }
        return try await run.apply(edits, users: directory.store)
    }

    /// The ids of the teams named by name (case-insensitive) or id; an unknown one is a usage error.
    private func resolveTeams(_ service: any AtlasMembershipService, orgId: String) async throws -> [String] {
        guard !teams.isEmpty else { return [] }
        let known = try await service.listTeams(orgId: orgId)
        return try teams.map { reference in
            if let team = known.first(where: { $0.id == reference || $0.name.lowercased() == reference.lowercased() }) {
                return team.id
            }
            let names = known.map { SafeText.sanitized($0.name) }.joined(separator: ", ")
            throw CommandFailure(
                .usageOrConfiguration,
                "no team \(SafeText.sanitized(reference)) in organization \(orgId) (teams: \(names))")
        }
    }
}
