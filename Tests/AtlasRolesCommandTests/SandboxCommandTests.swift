import AtlasSandbox
import Foundation
import Testing

@testable import atlas_roles

/// `atlas-roles sandbox`: the credentials its flags fix, and start-up lines a terminal can show safely.
@Suite struct SandboxCommandTests {
    @Test func theCredentialFlagsFixTheKeyAndTheServiceAccount() throws {
        let parsed = try AtlasRoles.parseAsRoot([
            "sandbox", "--port", "0", "--public-key", "fixedpub", "--private-key", "fixed-private",
            "--client-id", "mdb_sa_id_fixed", "--client-secret", "mdb_sa_sk_fixed",
        ])
        let command = try #require(parsed as? SandboxCommand)
        let credentials = command.credentials
        #expect(credentials.apiKey == .init(publicKey: "fixedpub", privateKey: "fixed-private"))
        #expect(credentials.serviceAccount == .init(clientId: "mdb_sa_id_fixed", clientSecret: "mdb_sa_sk_fixed"))
        // Given before the subcommand, as the root's other flags may be, they count the same.
        let before = try #require(
            try AtlasRoles.parseAsRoot(["--public-key", "early", "--private-key", "early-private", "sandbox"])
                as? SandboxCommand)
        #expect(before.credentials.apiKey.publicKey == "early")
    }

    @Test func aKeyWithoutItsSecretIsRefused() {
        #expect(throws: (any Error).self) { try AtlasRoles.parseAsRoot(["sandbox", "--public-key", "alone"]) }
        #expect(throws: (any Error).self) { try AtlasRoles.parseAsRoot(["sandbox", "--client-secret", "alone"]) }
    }

    @Test func hostileNamesAndCredentialsArePrintedInert() async throws {
        let credentials = SandboxCredentials(
            apiKey: .init(publicKey: "pub\u{1B}]0;pwned\u{07}", privateKey: "private"),
            memberOnlyApiKey: .init(publicKey: "member", privateKey: "member-private"),
            serviceAccount: .init(clientId: "mdb_sa_id_\u{9B}2J", clientSecret: "secret\u{202E}"))
        let sandbox = try await AtlasSandbox.start(
            SandboxConfiguration(
                port: 0, organizations: 3, usersPerOrganization: 5, hostileText: true, fixedCredentials: credentials))
        let text = SandboxAnnouncement.text(sandbox)
        try await sandbox.stop()
        // The generator puts terminal escapes into the second organization's name: shown, not acted on.
        #expect(sandbox.organizations.contains { $0.name.unicodeScalars.contains("\u{1B}") })
        let unsafe = text.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                || (0x2066...0x2069).contains($0.value)
        }
        #expect(unsafe.isEmpty, "\(unsafe.map { String($0.value, radix: 16) })")
        #expect(text.contains("␛"))
        #expect(text.split(separator: "\n").count == text.filter { $0 == "\n" }.count)
    }
}
