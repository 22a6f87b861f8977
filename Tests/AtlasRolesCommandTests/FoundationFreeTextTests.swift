import AtlasAPI
import Foundation
import Logging
import RoleEditor
import Testing

@testable import atlas_roles

/// The executable's text handling that no longer goes through full Foundation: log lines, file errors,
/// the list filter and role names.
@Suite struct FoundationFreeTextTests {
    @Test func everyKindOfLineBreakStaysInsideOneLogLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ar-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("atlas-roles.log").path
        let file = try LogFile(path: path)
        let logger = Logger(label: "t") {
            FileLogHandler(label: $0, file: file, level: .debug, redactor: LogRedactor())
        }
        // "\r\n" is one Character; it must still become the two escapes, or it would start a forged line.
        logger.info("one\r\nforged=1 two\nthree\rfour")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.contains(#"one\r\nforged=1 two\nthree\rfour"#))
    }

    @Test func fileErrorsAreWordedByTheSystem() {
        do {
            _ = try Data(contentsOf: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/config.toml"))
            Issue.record("reading a missing file succeeded")
        } catch {
            #expect(fileErrorText(error) == "No such file or directory")
        }
        #expect(throws: ConfigurationError.self) {
            try LogFile(path: "/proc/version/atlas-roles.log")
        }
    }

    @Test func listSearchIgnoresCaseAndAccentsOnEitherSide() {
        let zoe = UserStore([
            OrgUser(
                id: "5f0000000000000000000001", username: "zoe.muller@example.com", firstName: "Zoë",
                lastName: "Müller", orgRoles: [.member])
        ])
        for search in ["zoe", "ZOË", "müller", "MULLER", "zoe.mu"] {
            #expect(UserFilter(search: search).selectedRows(in: zoe, now: Date()) == [0], "\(search)")
        }
        #expect(UserFilter(search: "mueller").selectedRows(in: zoe, now: Date()).isEmpty)
    }
}
