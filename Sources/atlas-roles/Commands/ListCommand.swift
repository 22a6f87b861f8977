import ArgumentParser
import AtlasAPI
import Logging
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `atlas-roles list`: the organization's users and their roles, as a table, JSON or CSV.
struct ListCommand: AtlasRolesCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print the organization's users with their organization roles.",
        discussion: """
            Filters combine as in the screen's filter (/): any --role may be held (every one with \
            --all-roles), any --status may match, and --search is read as the screen's filter text: \
            words of the email, name or role names; role:NAME, status:NAME, login:>90d, login:never, \
            created:<30d; a,b for either; -term or !term to negate. Users are sorted by email as the \
            screen sorts them. Users named as arguments (emails or ids; - reads them from standard input, \
            one a line or the CSV list -o csv prints) narrow the list to them. With no organization \
            configured, the only one the key sees is used, as the screen does; with several, their ids and \
            names are printed. --demo lists the bundled sandbox's first organization. When standard error is a \
            terminal, it shows the users loaded so far and every wait (a rate limit's Retry-After, a backoff). \
            Exit status 0, or 2 \
            for a usage or configuration error (an unknown user included), 1 when the API refuses.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var demo: DemoOptions

    @Argument(
        help: "Only these users: emails or 24-hex user ids; - reads them from standard input, one a line, or CSV.")
    var users: [String] = []

    @Option(name: [.customShort("o"), .customLong("output")], help: "table, json or csv.")
    var output: UserListFormat = .table

    @Option(
        name: .customLong("role"),
        help: "Only users holding this role, or any of these (repeatable, or comma-separated).")
    var roles: [String] = []

    @Flag(name: .customLong("all-roles"), help: "Only users holding every --role, not any of them.")
    var requiresAllRoles = false

    @Option(
        name: .customLong("status"),
        help: "Only users with this status: ACTIVE, PENDING, INVITATION_EXPIRED, INVITATION_REJECTED.")
    var statuses: [String] = []

    @Option(
        name: .customLong("search"),
        help: "Only users matching this filter, as typed after / in the screen (see the README's Filter).")
    var search: String?

    func validate() throws {
        _ = try RoleNames.parseRoles(roles, option: "--role")
        _ = try RoleNames.parseStatuses(statuses)
        if let search, let error = FilterQuery(search, now: Date()).error {
            throw ValidationError("--search: \(error)")
        }
    }

    var filter: UserFilter {
        get throws {
            UserFilter(
                roles: try RoleNames.parseRoles(roles, option: "--role"),
                statuses: try RoleNames.parseStatuses(statuses), search: search, requiresAllRoles: requiresAllRoles)
        }
    }

    func execute(in context: CommandContext) async throws -> ExitStatus {
        let references = try UserListInput.expand(users, console: context.console)
        if demo.isOn {
            return try await InteractiveSession.withDemoSandbox(context: context, users: demo.users) {
                configuration, _ in
                try await list(references, configuration: configuration, context: context)
            }
        }
        return try await list(
            references, configuration: context.resolveConfiguration(connection.flags), context: context)
    }

    private func list(_ references: [String], configuration: ResolvedConfiguration, context: CommandContext)
        async throws -> ExitStatus
    {
        let service = try context.service(for: configuration, writeMethod: .putRoles)
        let orgId = try await OrganizationChoice.resolve(configuration, service: service, context: context)
        var directory = try await Self.load(from: service, orgId: orgId, console: context.console)
        var named: Set<String>?
        if !users.isEmpty {
            // Named users are looked up as `set` looks them up, then the filters apply to them as to all.
            let found = try await directory.resolve(references, service: service, orgId: orgId)
            for user in found where directory.store.index(ofId: user.id) == nil { directory.include(user) }
            named = Set(found.map(\.id))
        }
        let store = directory.store
        var rows = try filter.selectedRows(in: store, now: Date())
        if let named { rows = rows.filter { named.contains(store.id(at: $0)) } }
        context.logger.info(
            "listed users",
            metadata: ["org": "\(orgId)", "shown": "\(rows.count)", "loaded": "\(directory.store.count)"])
        // Each user is rebuilt from the store as it is printed, and the text goes out in pieces:
        // neither the users nor the output exist whole.
        let shown = rows.lazy.map { store[$0] }
        var writer = ChunkedWriter(emit: context.console.write)
        switch output {
        case .table: UserTableRenderer.write(shown, to: &writer)
        case .json: UserJSONRenderer.write(shown, to: &writer)
        case .csv: UserCSVRenderer.write(shown, to: &writer)
        }
        writer.flush()
        return .success
    }

    /// Every user, with the load's progress and the service's waits on a terminal's standard error.
    private static func load(from service: any AtlasService, orgId: String, console: any Console) async throws
        -> UserDirectory
    {
        let progress = ListProgress(console: console)
        let events = service.events()
        let watcher = Task {
            for await event in events { progress.serviceEvent(event) }
        }
        defer {
            watcher.cancel()
            progress.finish()
        }
        progress.started()
        return try await UserDirectory.load(from: service, orgId: orgId, onPage: progress.loaded)
    }
}
