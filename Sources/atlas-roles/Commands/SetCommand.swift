import ArgumentParser
import AtlasAPI
import Logging
import RoleEditor
import RoleEditorRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `atlas-roles set`: change the organization roles of one or more users from a script.
///
/// The change goes through what the UI's review does: the rules (no empty role set, an owner must
/// remain), the diff printed, a re-read of each user just before the write so a concurrent change is
/// reported as a conflict instead of overwritten, and the API's error envelope in full on refusal.
struct SetCommand: AtlasRolesCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change the organization roles of users (by email or id).",
        discussion: """
            Either replace the roles (--role R, repeatable) or add and remove some (--add R, --remove R). \
            The diff is printed; the change is applied after a yes at the prompt, or at once with --yes, \
            which is required when standard input is not a terminal. - reads the users from standard input \
            (one email or id a line, or the CSV list -o csv prints); that input cannot also answer the \
            prompt, so - needs --yes. --demo changes the bundled sandbox's first organization (discarded on \
            exit). Exit status: 0 done (or nothing to do), 1 refused by the \
            API, a rule, a conflict or at the prompt, 2 usage or configuration error (an unknown user included), 3 partly applied.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var demo: DemoOptions

    @Argument(
        help: "The users to change: emails or 24-hex user ids; - reads them from standard input (one a line, or CSV).")
    var users: [String] = []

    @Option(name: .customLong("role"), help: "Replace the roles with these (repeatable, or comma-separated).")
    var roles: [String] = []

    @Option(name: .customLong("add"), help: "Add this role (repeatable, or comma-separated).")
    var additions: [String] = []

    @Option(name: .customLong("remove"), help: "Remove this role (repeatable, or comma-separated).")
    var removals: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Print the diff and check the rules, but write nothing.")
    var dryRun = false

    @Flag(name: [.customShort("y"), .customLong("yes")], help: "Apply without asking.")
    var yes = false

    @OptionGroup var write: WriteOptions

    /// Only to measure what the write-ahead journal costs (scripts/bench): an interrupted run is then
    /// neither recoverable nor recorded.
    @Flag(name: .customLong("benchmark-without-journal"), help: .hidden)
    var withoutJournal = false

    func validate() throws {
        _ = try change
        if users.isEmpty { throw ValidationError("name at least one user (email or 24-hex id)") }
        if users.contains(UserListInput.marker) && !yes && !dryRun {
            // The prompt's answer would be read from the same input as the users, already consumed.
            throw ValidationError(
                "- reads the users from standard input, which leaves no input to answer the prompt from: "
                    + "add --yes to apply without asking (or --dry-run to see the change)")
        }
    }

    /// The requested change, parsed and checked for contradictions.
    var change: RoleChange {
        get throws {
            let replace = try RoleNames.parseRoles(roles, option: "--role")
            let add = try RoleNames.parseRoles(additions, option: "--add")
            let remove = try RoleNames.parseRoles(removals, option: "--remove")
            if !replace.isEmpty {
                guard add.isEmpty && remove.isEmpty else {
                    throw ValidationError("--role replaces the roles; it cannot be combined with --add or --remove")
                }
                return .replace(Set(replace))
            }
            guard !add.isEmpty || !remove.isEmpty else {
                throw ValidationError("say what to change: --role R (replace), or --add R and/or --remove R")
            }
            let both = Set(add).intersection(remove)
            guard both.isEmpty else {
                let names = both.sorted().map(\.rawValue).joined(separator: ", ")
                throw ValidationError("\(names) is both added and removed")
            }
            return .modify(add: Set(add), remove: Set(remove))
        }
    }

    func execute(in context: CommandContext) async throws -> ExitStatus {
        let references = try UserListInput.expand(users, console: context.console)
        guard !references.isEmpty else {
            // An empty selection upstream (`list --search … | set … -`) is nothing to do, as for `xargs -r`.
            context.console.write("standard input (-) named no user: nothing to change\n")
            return .success
        }
        if demo.isOn {
            return try await InteractiveSession.withDemoSandbox(context: context, users: demo.users) {
                configuration, directories in
                try await apply(
                    to: references, configuration: configuration, directories: directories, context: context)
            }
        }
        return try await apply(
            to: references, configuration: context.resolveConfiguration(connection.flags),
            directories: context.directories, context: context)
    }

    private func apply(
        to references: [String], configuration: ResolvedConfiguration, directories: AppDirectories,
        context: CommandContext
    ) async throws -> ExitStatus {
        let change = try self.change
        let orgId = try context.requireOrg(configuration)
        let service = try context.service(for: configuration, writeMethod: write.method)
        let console = context.console

        let directory = try await UserDirectory.load(from: service, orgId: orgId)
        let targets = try await directory.resolve(references, service: service, orgId: orgId)
        let edits = targets.map { user in
            PendingEdit(
                userId: user.id, username: user.username, status: user.status, base: user.orgRoles,
                target: change.target(from: user.orgRoles))
        }.filter { $0.base != $0.target }

        let edited = Set(edits.map(\.userId))
        for user in targets where !edited.contains(user.id) {
            console.write("\(SafeText.sanitized(user.username)): unchanged (\(RoleChangeText.names(user.orgRoles)))\n")
        }
        guard !edits.isEmpty else {
            // An interrupted earlier run may be why: its journal is closed against what was just read.
            if let runtime = try? EditorRuntime(directories: directories) {
                await ScriptedApply(orgId: orgId, preferredMethod: write.method, service: service, runtime: runtime)
                    .reconcileInterrupted(users: directory.store)
            }
            console.write("nothing to change\n")
            return .success
        }
        var run = ScriptedRun(
            context: context, orgId: orgId, service: service, preferredMethod: write.method, directories: directories)
        run.keepsJournal = !withoutJournal
        if let status = try await run.review(
            edits, users: directory.store, dryRun: dryRun, confirmation: yes ? .none : .ask("Apply"))
        {
            return status
        }
        return try await run.apply(edits, users: directory.store)
    }
}
