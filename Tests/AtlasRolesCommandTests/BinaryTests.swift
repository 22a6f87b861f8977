import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

/// The built `atlas-roles` binary as a subprocess: exit statuses, streams, the log file, completion.
@Suite struct BinaryTests {
    /// `$ATLAS_ROLES_BIN`, else the binary next to this test bundle (both live in `.build/<config>/`).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["ATLAS_ROLES_BIN"] { return URL(fileURLWithPath: path) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("atlas-roles")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/atlas-roles")
    }

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs the binary to completion on a thread of its own: blocking reads on the test's cooperative
    /// threads would starve the in-process sandbox (an actor) that the binary is talking to.
    func run(_ arguments: [String], environment: [String: String]) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.runBlocking(arguments, environment: environment) })
            }
        }
    }

    static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment.merging(sanitizerEnvironment) { own, _ in own }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Drain stderr concurrently so a chatty stderr cannot fill its pipe while stdout is read.
        let errorText = LockedText()
        let errorReader = Thread {
            errorText.set(String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        errorReader.start()
        let outData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: errorText.waitForValue())
    }

    /// The process that will hold a private key writes no core file (and cannot be attached to).
    @Test func theProcessCannotDumpCore() async throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["sandbox", "--port", "0", "--users", "5"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let limits = "/proc/\(process.processIdentifier)/limits"
        let noCore = await eventually {
            guard let text = try? String(contentsOfFile: limits, encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") })
            else { return false }
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"]
        }
        #expect(noCore)
    }

    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build it: swift build")
    }

    @Test func usageErrorsExitTwo() async throws {
        let env = ["HOME": NSTemporaryDirectory()]
        let badFormat = try await run(["list", "--output", "xml"], environment: env)
        #expect(badFormat.status == 2)
        #expect(badFormat.err.contains("xml"))
        let badFlags = try await run(["set", "a@b.c", "--role", "ORG_MEMBER", "--add", "ORG_OWNER"], environment: env)
        #expect(badFlags.status == 2)
        #expect(badFlags.err.contains("--role"))
    }

    @Test func versionAndCompletion() async throws {
        let env = ["HOME": NSTemporaryDirectory()]
        let version = try await run(["--version"], environment: env)
        #expect(version.status == 0)
        // The version stamped at build time, then the libcurl and ncurses this host loaded.
        let lines = version.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(version.out)")
        let stamped = try #require(lines.first?.split(separator: " ").map(String.init))
        #expect(stamped.count == 2 && stamped[0] == "atlas-roles" && stamped[1].first?.isNumber == true)
        #expect(lines.dropFirst().first?.hasPrefix("libcurl ") == true)
        #expect(lines.last?.hasPrefix("ncurses ") == true)
        let completion = try await run(["--generate-completion-script", "bash"], environment: env)
        #expect(completion.status == 0)
        #expect(completion.out.contains("list"))
        #expect(completion.out.contains("--dry-run"))
    }

    @Test func malformedConfigFileExitsTwoNamingTheFile() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ar-bin-\(UUID().uuidString)")
        let config = home.appendingPathComponent(".config/atlascli")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let file = config.appendingPathComponent("config.toml")
        try "[default\norg_id = 1\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try await run(["list"], environment: ["HOME": home.path])
        #expect(result.status == 2)
        #expect(result.err.contains(file.path))
        #expect(result.err.contains("line 1"))
    }

    @Test func listsFromTheSandboxAndLogsWithoutSecrets() async throws {
        try await withHarness { harness in
            let env = harness.environment()
            let result = try await run(["list", "--output", "csv", "--log-level", "debug"], environment: env)
            #expect(result.status == 0, "\(result.err)")
            #expect(result.out.hasPrefix("id,username,"))
            #expect(result.out.components(separatedBy: "\r\n").count == (await harness.users()).count + 2)
            #expect(result.err.isEmpty)
            let log = harness.directory.appendingPathComponent("state/atlas-roles/atlas-roles.log")
            let text = try String(contentsOf: log, encoding: .utf8)
            #expect(text.contains("configuration resolved"))
            #expect(text.contains("MONGODB_ATLAS_PUBLIC_API_KEY"))
            #expect(!text.contains(env["MONGODB_ATLAS_PRIVATE_API_KEY"] ?? "?"))
            let mode = try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
        }
    }

    @Test func setFromAPipeAppliesWithoutAskingAndReportsPartlyApplied() async throws {
        try await withHarness { harness in
            let users = await harness.users().filter {
                $0.orgMembershipStatus == "ACTIVE" && !$0.orgRoles.contains("ORG_OWNER")
                    && !$0.orgRoles.contains("ORG_GROUP_CREATOR")
            }
            let user = try #require(users.first)
            let applied = try await run(
                ["set", user.username, "--add", "group_creator", "--yes"], environment: harness.environment())
            #expect(applied.status == 0, "\(applied.err)")
            #expect(applied.out.contains("+ORG_GROUP_CREATOR"))
            let roles = try #require(await harness.sandbox.orgUserRoles(orgId: harness.orgId, userId: user.id))
            #expect(roles.contains("ORG_GROUP_CREATOR"))

            let refused = try await run(
                ["set", user.username, "--remove", "group_creator", "--yes"],
                environment: harness.environment(memberOnly: true))
            #expect(refused.status == 1)
            #expect(refused.err.contains("errorCode"))
        }
    }
}

/// A string set once by one thread and awaited by another.
final class LockedText: @unchecked Sendable {  // `value` is only touched under `condition`.
    private let condition = NSCondition()
    private var value: String?

    func set(_ text: String) {
        condition.lock()
        value = text
        condition.broadcast()
        condition.unlock()
    }

    func waitForValue() -> String {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value ?? ""
    }
}
