import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Logging
import Testing

@testable import atlas_roles

/// A console that records what a command writes and answers prompts from a script.
final class RecordingConsole: Console, @unchecked Sendable {  // Every field is guarded by `lock`.
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""
    private var answers: [String]
    private var input: [UInt8]
    let inputIsInteractive: Bool

    /// `input` is standard input as `-` reads it; `answers` are the lines read at a prompt.
    init(interactive: Bool = false, answers: [String] = [], input: String = "") {
        self.inputIsInteractive = interactive
        self.answers = answers
        self.input = Array(input.utf8)
    }

    var out: String { lock.withLock { outText } }
    var err: String { lock.withLock { errText } }

    func write(_ text: String) { lock.withLock { outText += text } }
    func writeError(_ text: String) { lock.withLock { errText += text } }

    func readLine() -> String? {
        lock.withLock { answers.isEmpty ? nil : answers.removeFirst() }
    }

    func readInput(limit: Int) throws(InputError) -> [UInt8] {
        lock.withLock {
            defer { input.removeFirst(min(limit, input.count)) }
            return Array(input.prefix(limit))
        }
    }
}

/// One sandbox on loopback, a private HOME/XDG tree, and a way to run a command in-process against them.
struct CommandHarness {
    let sandbox: AtlasSandbox
    let directory: URL
    var orgId: String { sandbox.organizations[0].id }

    static func start(users: Int = 40, organizations: Int = 2, transport: SandboxTransport = .standard) async throws
        -> CommandHarness
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "atlas-roles-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sandbox = try await AtlasSandbox.start(
            transport.applied(
                to: SandboxConfiguration(seed: 11, organizations: organizations, usersPerOrganization: users),
                directory: directory.appendingPathComponent("ca")))
        return CommandHarness(sandbox: sandbox, directory: directory)
    }

    func stop() async throws {
        try await sandbox.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The environment of a user with only `MONGODB_ATLAS_*` variables set, pointing at the sandbox.
    func environment(memberOnly: Bool = false, org: Bool = true) -> [String: String] {
        let key = memberOnly ? sandbox.credentials.memberOnlyApiKey : sandbox.credentials.apiKey
        var env = [
            "HOME": directory.path,
            "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path,
            "XDG_STATE_HOME": directory.appendingPathComponent("state").path,
            "MONGODB_ATLAS_OPS_MANAGER_URL": sandbox.baseURL + "/",
            "MONGODB_ATLAS_PUBLIC_API_KEY": key.publicKey,
            "MONGODB_ATLAS_PRIVATE_API_KEY": key.privateKey,
        ]
        if org { env["MONGODB_ATLAS_ORG_ID"] = orgId }
        return env.merging(trustEnvironment) { $1 }
    }

    /// Over HTTPS the sandbox's CA, trusted the way a user trusts a TLS-inspecting proxy's.
    var trustEnvironment: [String: String] {
        sandbox.caCertificatePath.map { ["SSL_CERT_FILE": $0] } ?? [:]
    }

    /// Parses `arguments` as the program would and runs the command in-process.
    func run(
        _ arguments: [String], environment: [String: String]? = nil, console: RecordingConsole = RecordingConsole(),
        makeService: (@Sendable (AtlasClientConfiguration) throws -> any AtlasService)? = nil
    ) async throws -> (status: atlas_roles.ExitStatus, out: String, err: String) {
        let parsed = try AtlasRoles.parseAsRoot(arguments)
        let command = try #require(parsed as? any AtlasRolesCommand)
        let context = CommandContext(
            environment: environment ?? self.environment(), console: console,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, redactor: LogRedactor(),
            makeService: makeService ?? ServiceFactory.makeClient)
        let status = await CommandRunner.execute(command, in: context)
        return (status, console.out, console.err)
    }

    /// Every user of the first organization as the sandbox holds them now.
    func users() async -> [SandboxUserSummary] {
        var result: [SandboxUserSummary] = []
        for id in await sandbox.userIds(orgId: orgId) {
            if let user = await sandbox.user(orgId: orgId, userId: id) { result.append(user) }
        }
        return result
    }

    /// Requests that changed roles (PUT or PATCH), from the sandbox's journal. A Digest challenge (a 401
    /// to a request sent without credentials, as every new connection's first is) is a handshake, not
    /// a write: which requests meet one depends on which go out first.
    func writes() async -> [SandboxJournalEntry] {
        await sandbox.journal().filter { ($0.method == "PUT" || $0.method == "PATCH") && $0.status != 401 }
    }
}

/// Runs `body` with a started harness and always stops it.
func withHarness(
    users: Int = 40, organizations: Int = 2, transport: SandboxTransport = .standard,
    _ body: (CommandHarness) async throws -> Void
) async throws {
    let harness = try await CommandHarness.start(users: users, organizations: organizations, transport: transport)
    do {
        try await body(harness)
    } catch {
        try await harness.stop()
        throw error
    }
    try await harness.stop()
}
