import AtlasRolesTesting
import Foundation
import Logging
import Testing

@testable import atlas_roles

/// The sandbox as a program of its own, which the packaged atlas-roles starts for `--demo` (it carries
/// no server): found beside the executable and nowhere else, announced, served through the real client,
/// and never left running. The test bundle lives in `.build/<config>/` beside the built program.
@Suite(.timeLimit(.minutes(2 * Int(Patience.factor.rounded(.up))))) struct SandboxProgramTests {
    struct ListedUser: Decodable {
        var id: String
    }

    @Test func aLaunchedSandboxServesTheDemoThroughTheRealClientAndStopsWithIt() async throws {
        let sandbox = try DemoSandbox.launch(organizations: 2, users: 25, stateDirectory: nil)
        var stopped = false
        defer { if !stopped { Task { try? await sandbox.stop() } } }
        #expect(sandbox.organizationIDs.count == 2)
        #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))

        let home = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-roles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let console = RecordingConsole()
        let context = CommandContext(
            environment: [
                "HOME": home.path, "MONGODB_ATLAS_OPS_MANAGER_URL": sandbox.baseURL + "/",
                "MONGODB_ATLAS_PUBLIC_API_KEY": sandbox.publicKey, "MONGODB_ATLAS_PRIVATE_API_KEY": sandbox.privateKey,
                "MONGODB_ATLAS_ORG_ID": sandbox.organizationIDs[0],
            ], console: console, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            redactor: LogRedactor())
        let list = try #require(try AtlasRoles.parseAsRoot(["list", "--output", "json"]) as? any AtlasRolesCommand)
        let status = await CommandRunner.execute(list, in: context)
        #expect(status == .success, "\(console.err)")
        // One record per user of the first organization, each with its own id.
        let users = try JSONDecoder().decode([ListedUser].self, from: Data(console.out.utf8))
        #expect(Set(users.map(\.id)).count == 25)

        try await sandbox.stop()
        stopped = true
        // Nothing listens on the port any more: the same list now fails to connect.
        let afterStop = await CommandRunner.execute(list, in: context)
        #expect(afterStop != .success)
    }

    @Test func theSandboxStopsWhenItsStarterIsGone() throws {
        // Standard input at its end from the start, as when the process that held the pipe has died.
        let directory = try #require(SandboxProgram.executableDirectory())
        let executable = try SandboxProgram.locate(besideExecutableIn: directory, purpose: "the test")
        let result = try CleanSpawn.run(
            [executable, "--port", "0", "--users", "3", "--ready-file", "-", "--stop-at-end-of-input"],
            captureOutput: true)
        #expect(result.status == 0)
        let ready = try JSONDecoder().decode(SandboxProcess.Ready.self, from: Data(result.output.utf8))
        #expect(ready.organizations.first?.userCount == 3)
    }

    @Test func aMissingProgramIsAUsageErrorNamingWhereItWasLookedFor() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-roles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        do {
            _ = try DemoSandbox.launch(
                organizations: 1, users: 1, stateDirectory: nil, executableDirectory: empty.path)
            Issue.record("launched a program that is not there")
        } catch let failure as CommandFailure {
            #expect(failure.status == .usageOrConfiguration)
            #expect(failure.message.contains("--demo needs the atlas-roles-sandbox program"))
            #expect(failure.message.contains(empty.path + "/atlas-roles-sandbox"))
            #expect(failure.message.contains(empty.path + "/../lib/atlas-roles/atlas-roles-sandbox"))
        }
    }

    @Test func theInstalledLayoutIsFoundFromTheBinDirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-roles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let libexec = root.appendingPathComponent("lib/atlas-roles")
        try FileManager.default.createDirectory(at: libexec, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        let program = libexec.appendingPathComponent("atlas-roles-sandbox")
        try Data("#!/bin/sh\n".utf8).write(to: program)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        let found = try SandboxProgram.locate(besideExecutableIn: root.path + "/bin", purpose: "the test")
        #expect(URL(fileURLWithPath: found).standardizedFileURL.path == program.standardizedFileURL.path)
    }
}
