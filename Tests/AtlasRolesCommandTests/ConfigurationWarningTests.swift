import Foundation
import Testing

@testable import atlas_roles

/// Warnings found while resolving the configuration survive a resolution that then fails, and are
/// printed before its error.
@Suite struct ConfigurationWarningTests {
    static let path = ConfigurationResolverTests.path

    func failure(_ flags: ConfigurationFlags, env: [String: String] = [:], permissions: UInt16) throws
        -> ConfigurationError
    {
        let file = try AtlasCLIConfigFile.parse(
            ConfigurationResolverTests.twoProfiles, path: Self.path, permissions: permissions)
        do {
            _ = try ConfigurationResolver.resolve(flags: flags, environment: env, file: file, filePath: Self.path)
        } catch {
            return error
        }
        Issue.record("resolution did not fail")
        return ConfigurationError("")
    }

    @Test func aFailureCarriesTheWarningsFoundBeforeIt() throws {
        let missingProfile = try failure(ConfigurationFlags(profile: "nope"), permissions: 0o644)
        #expect(missingProfile.message.contains("no profile 'nope'"))
        #expect(missingProfile.warnings.count == 1)
        #expect(missingProfile.warnings.first?.contains("chmod 600") == true)

        let badURL = try failure(
            ConfigurationFlags(baseURL: "ftp://x", privateKey: "s3cr3t-value"),
            env: ["MCLI_ORG_ID": ConfigurationResolverTests.orgA, "MONGODB_ATLAS_ORG_ID": "x"], permissions: 0o604)
        #expect(badURL.message.contains("ftp://x"))
        #expect(badURL.warnings.count == 3)
        #expect(badURL.warnings[0].contains("MCLI_"))
        #expect(badURL.warnings[1].contains("604"))
        #expect(badURL.warnings[2].contains("--private-key"))
        #expect(!badURL.warnings.joined().contains("s3cr3t-value"))
    }

    @Test func aPrivateFileAndNoFlagsFailWithoutWarnings() throws {
        #expect(try failure(ConfigurationFlags(profile: "nope"), permissions: 0o600).warnings.isEmpty)
    }

    @Test func anUnreadableFileStillWarnsAboutTheFlags() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        let atlascli = directory.appendingPathComponent("atlascli")
        try FileManager.default.createDirectory(at: atlascli, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "[default\n".write(
            to: atlascli.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        #expect {
            try ConfigurationResolver.resolveFromDisk(
                flags: ConfigurationFlags(clientSecret: "s"), environment: ["XDG_CONFIG_HOME": directory.path])
        } throws: { error in
            let error = try #require(error as? ConfigurationError)
            return error.message.contains("not valid TOML") && error.warnings.count == 1
                && error.warnings[0].contains("--client-secret")
        }
    }

    /// The whole command: the readable file's warning, then the error, then exit status 2.
    @Test func theCommandPrintsTheWarningBeforeTheError() async throws {
        try await withHarness(users: 5) { harness in
            let folder = harness.directory.appendingPathComponent("config/atlascli")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try ConfigurationResolverTests.twoProfiles.write(
                to: folder.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o644], ofItemAtPath: folder.appendingPathComponent("config.toml").path)
            let env = [
                "HOME": harness.directory.path,
                "XDG_CONFIG_HOME": harness.directory.appendingPathComponent("config").path,
            ]
            for arguments in [["list", "-P", "nope"], ["set", "a@b.c", "--add", "owner", "-P", "nope", "--yes"]] {
                let result = try await harness.run(arguments, environment: env)
                #expect(result.status == .usageOrConfiguration)
                #expect(result.out.isEmpty)
                let warning = try #require(result.err.range(of: "atlas-roles: warning: "))
                let error = try #require(result.err.range(of: "atlas-roles: error: "))
                #expect(warning.lowerBound < error.lowerBound)
                #expect(result.err.contains("chmod 600"))
                #expect(result.err.contains("no profile 'nope'"))
                #expect(!result.err.contains("defpriv"))
            }
        }
    }
}
