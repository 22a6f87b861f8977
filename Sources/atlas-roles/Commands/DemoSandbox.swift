import AtlasAPI
import Glibc

#if EmbeddedSandbox
    import AtlasSandbox
#endif

/// The sandbox `--demo` runs against, on loopback with fresh credentials: started in this process
/// when atlas-roles is built with the EmbeddedSandbox trait (development builds, the tests), else the
/// `atlas-roles-sandbox` program installed beside it (the packaged admin binary carries no server).
/// Either way the demo then goes through the ordinary configuration → AtlasClient → HTTP Digest path.
struct DemoSandbox: Sendable {
    var baseURL: String
    var publicKey: String
    var privateKey: String
    /// The ids of the generated organizations, the first with the requested number of users.
    var organizationIDs: [String]
    private var stopServer: @Sendable () async throws -> Void

    /// Starts a sandbox with `organizations` organizations and `users` users in the first; a launched
    /// program's errors go to `sandbox.log` in `stateDirectory` when given.
    static func start(organizations: Int, users: Int, stateDirectory: String?) async throws -> DemoSandbox {
        #if EmbeddedSandbox
            let sandbox = try await AtlasSandbox.start(
                SandboxConfiguration(organizations: organizations, usersPerOrganization: users))
            let key = sandbox.credentials.apiKey
            return DemoSandbox(
                baseURL: sandbox.baseURL, publicKey: key.publicKey, privateKey: key.privateKey,
                organizationIDs: sandbox.organizations.map(\.id), stopServer: { try await sandbox.stop() })
        #else
            return try launch(organizations: organizations, users: users, stateDirectory: stateDirectory)
        #endif
    }

    /// Starts the `atlas-roles-sandbox` program found beside this executable (see ``SandboxProgram``).
    static func launch(
        organizations: Int, users: Int, stateDirectory: String?,
        executableDirectory: String? = SandboxProgram.executableDirectory()
    ) throws -> DemoSandbox {
        let executable = try SandboxProgram.locate(besideExecutableIn: executableDirectory, purpose: "--demo")
        // Opened here, in the private state directory (no link followed), and handed to the program open.
        let errorLog = stateDirectory.flatMap {
            try? PrivateDirectory(path: $0).open("sandbox.log", flags: O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC)
        }
        defer { if let errorLog { close(errorLog) } }
        let process = try SandboxProcess.launch(
            executable, arguments: ["--orgs", "\(organizations)", "--users", "\(users)"], errorLog: errorLog,
            errorLogName: stateDirectory.map { $0 + "/sandbox.log" })
        let ready = process.ready
        return DemoSandbox(
            baseURL: ready.baseURL, publicKey: ready.apiKey.publicKey, privateKey: ready.apiKey.privateKey,
            organizationIDs: ready.organizations.map(\.id), stopServer: { process.stop() })
    }

    /// Stops the server and waits until it has; call once.
    func stop() async throws {
        try await stopServer()
    }
}
