import Foundation
import Logging
import Testing

@testable import atlas_roles

/// The log file: where it goes, its permissions, and that secrets never reach it.
@Suite struct LoggingTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-roles-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func defaultPathFollowsXDGState() {
        #expect(
            LogFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/atlas-roles/atlas-roles.log"
        )
        #expect(LogFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/atlas-roles/atlas-roles.log")
        #expect(LogFile.defaultPath(environment: [:]) == nil)
    }

    @Test func aSymlinkedLogFileOrASharedDirectoryIsRefusedAndTheTargetUntouched() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let victim = directory.appendingPathComponent("victim")
        try Data("mine\n".utf8).write(to: victim)
        chmod(victim.path, 0o644)
        let link = directory.appendingPathComponent("atlas-roles.log")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: victim)
        #expect(throws: ConfigurationError.self) { try LogFile(path: link.path) }
        #expect(try String(contentsOf: victim, encoding: .utf8) == "mine\n")
        let mode = try FileManager.default.attributesOfItem(atPath: victim.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o644)

        let shared = directory.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        chmod(shared.path, 0o1777)
        let error = #expect(throws: ConfigurationError.self) {
            try LogFile(path: shared.appendingPathComponent("x.log").path)
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("other users"))
    }

    @Test func fileIsPrivateAndSecretsAreRedacted() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested/atlas-roles.log").path
        let redactor = LogRedactor()
        var options = LoggingOptions()
        options.logFile = path
        options.logLevel = .debug
        let file = try #require(try? LoggingSetup.openFile(options: options, environment: [:]).get())
        let logger = Logger(label: "t") { FileLogHandler(label: $0, file: file, level: .debug, redactor: redactor) }
        redactor.register(["9f8e7d6c-aaaa-bbbb-cccc-1234567890ab"])
        logger.info("key is 9f8e7d6c-aaaa-bbbb-cccc-1234567890ab", metadata: ["body": "client_secret=hunter22&x=1"])
        logger.debug("Authorization: Basic dXNlcjpwYXNz")
        logger.trace("not written at debug level")
        logger.info("two\nlines")

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("9f8e7d6c-aaaa"))
        #expect(!text.contains("hunter22"))
        #expect(!text.contains("dXNlcjpwYXNz"))
        #expect(text.contains("[redacted]"))
        #expect(text.contains("x=1"))
        #expect(!text.contains("not written"))
        #expect(text.contains("two\\nlines"))
        #expect(text.split(separator: "\n").count == 3)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        let dirMode =
            try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("nested").path)[
                .posixPermissions] as? NSNumber
        #expect(dirMode?.intValue == 0o700)
    }

    @Test func existingLooseFileIsTightened() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("x.log").path
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644]))
        _ = try LogFile(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test(arguments: [
        ("Authorization: Digest username=\"abc\", response=\"ff\"", "Authorization: [redacted]"),
        (
            "{\"access_token\": \"eyJhbGc.x.y\", \"expires_in\": 3600}",
            "{\"access_token\": \"[redacted]\", \"expires_in\": 3600}"
        ),
        (
            "grant_type=client_credentials&client_secret=abc&z=1",
            "grant_type=client_credentials&client_secret=[redacted]&z=1"
        ),
        ("header Bearer abc.def.ghi end", "header Bearer [redacted] end"),
        ("nothing secret here: ada@example.com", "nothing secret here: ada@example.com"),
    ])
    func patternsAreRedacted(input: String, expected: String) {
        #expect(LogRedactor().redact(input) == expected)
    }

    @Test func shortSecretsAreNotMatchedAsText() {
        let redactor = LogRedactor(secrets: ["abc"])
        #expect(redactor.redact("abcdef") == "abcdef")
    }
}
