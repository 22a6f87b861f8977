import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import atlas_roles

/// The sandbox program (`atlas-roles sandbox` runs it): the credentials its flags fix, and start-up
/// lines a terminal can show safely.
@Suite(.timeLimit(.minutes(2 * Int(Patience.factor.rounded(.up))))) struct SandboxCommandTests {
    private func sandboxProgram() throws -> String {
        let directory = try #require(SandboxProgram.executableDirectory())
        return try SandboxProgram.locate(besideExecutableIn: directory, purpose: "the test")
    }

    @Test func theCredentialFlagsFixTheKeyAndTheServiceAccount() throws {
        let result = try CleanSpawn.run(
            [
                try sandboxProgram(), "--port", "0", "--users", "3", "--ready-file", "-", "--stop-at-end-of-input",
                "--public-key", "fixedpub", "--private-key", "fixed-private", "--client-id", "mdb_sa_id_fixed",
                "--client-secret", "mdb_sa_sk_fixed",
            ], captureOutput: true)
        #expect(result.status == 0)
        let ready = try JSONDecoder().decode(SandboxProcess.Ready.self, from: Data(result.output.utf8))
        #expect(ready.apiKey.publicKey == "fixedpub")
        #expect(ready.apiKey.privateKey == "fixed-private")
        #expect(result.output.contains("mdb_sa_id_fixed") && result.output.contains("mdb_sa_sk_fixed"))
    }

    @Test func aKeyWithoutItsSecretIsRefused() throws {
        for flags in [["--public-key", "alone"], ["--client-secret", "alone"]] {
            let result = try CleanSpawn.run(
                [try sandboxProgram(), "--port", "0", "--stop-at-end-of-input"] + flags, captureOutput: true)
            #expect(result.status == 2)
        }
    }

    @Test func hostileNamesAndCredentialsArePrintedInert() throws {
        let result = try CleanSpawn.run(
            [
                try sandboxProgram(), "--port", "0", "--orgs", "3", "--users", "5", "--hostile",
                "--stop-at-end-of-input",
                "--public-key", "pub\u{1B}]0;pwned\u{07}", "--private-key", "private", "--client-id",
                "mdb_sa_id_\u{9B}2J", "--client-secret", "secret\u{202E}",
            ], captureOutput: true)
        #expect(result.status == 0)
        let text = result.output
        // The generator puts terminal escapes into the second organization's name: shown, not acted on.
        let unsafe = text.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                || (0x2066...0x2069).contains($0.value)
        }
        #expect(unsafe.isEmpty, "\(unsafe.map { String($0.value, radix: 16) })")
        #expect(text.contains("pub␛]0;pwned␇"))
        #expect(text.contains("Organizations:"))
    }
}
