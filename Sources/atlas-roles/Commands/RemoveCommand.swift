import ArgumentParser
import AtlasAPI
import RoleEditor

/// `atlas-roles remove`: remove users from the organization, or cancel their invitations.
///
/// The same path as `set`: the rules (the last ACTIVE Organization Owner is never removed), the diff,
/// a re-read of each user just before the DELETE (a user whose roles changed meanwhile is a conflict,
/// not removed), the journal (which keeps each removed user's roles and teams, so that reverting the
/// run on screen stages an invitation with the same roles), and the exit statuses.
struct RemoveCommand: AtlasRolesCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove users from the organization, or cancel their invitations (by email or id).",
        discussion: """
            Each user is removed with DELETE /orgs/{orgId}/users/{userId}; for a PENDING user that cancels \
            the invitation. `-` reads more users from standard input, one per line. The diff is printed; the \
            removal happens after the number of users is typed at the prompt, or at once with --yes, which is \
            required when standard input is not a terminal. The last ACTIVE Organization Owner is never \
            removed. Exit status: 0 done, 1 refused (by the API, a rule, a conflict or at the prompt), \
            2 usage or configuration error (an unknown user included), 3 partly done.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions

    @Argument(help: "The users to remove: emails or 24-hex user ids; `-` reads them from standard input.")
    var users: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Print the diff and check the rules, but remove nobody.")
    var dryRun = false

    @Flag(name: [.customShort("y"), .customLong("yes")], help: "Remove without asking.")
    var yes = false

    @OptionGroup var write: WriteOptions

    func validate() throws {
        if users.isEmpty {
            throw ValidationError("name at least one user (email or 24-hex id, or - for standard input)")
        }
        if users.contains(UserListInput.marker) && !yes && !dryRun {
            // The prompt's answer would be read from the same input as the users, already consumed.
            throw ValidationError(
                "- reads the users from standard input, which leaves no input to answer the prompt from: "
                    + "add --yes to go on without asking (or --dry-run to see the change)")
        }
    }

    func execute(in context: CommandContext) async throws -> ExitStatus {
        let configuration = try context.resolveConfiguration(connection.flags)
        let orgId = try context.requireOrg(configuration)
        let service = try context.service(for: configuration, writeMethod: write.method)
        let references = try UserListInput.expand(users, console: context.console)
        guard !references.isEmpty else { throw CommandFailure(.usageOrConfiguration, "standard input named no user") }

        let directory = try await UserDirectory.load(from: service, orgId: orgId)
        let targets = try await directory.resolve(references, service: service, orgId: orgId)
        // Atlas finds expired and rejected invitations only when asked for by status: there is no
        // invitation left to cancel, and a new one replaces them (`invite`).
        let closed = targets.filter { $0.status != .active && $0.status != .pending }
        guard closed.isEmpty else {
            let names = closed.map { "\(SafeText.sanitized($0.username)) (\($0.status.rawValue))" }
            throw CommandFailure(
                .usageOrConfiguration,
                "no open invitation to cancel for \(names.joined(separator: ", ")): invite them again with "
                    + "`atlas-roles invite`; nothing was changed")
        }
        let edits = targets.map { PendingEdit.removal(of: $0) }
        let run = ScriptedRun(
            context: context, orgId: orgId, service: service, preferredMethod: write.method,
            directories: context.directories)
        if let status = try await run.review(
            edits, users: directory.store, dryRun: dryRun, confirmation: yes ? .none : .typed("Remove"))
        {
            return status
        }
        return try await run.apply(edits, users: directory.store)
    }
}
