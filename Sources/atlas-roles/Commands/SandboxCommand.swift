import ArgumentParser
import Glibc

/// `atlas-roles sandbox`: runs the `atlas-roles-sandbox` program (see ``SandboxProgram``) in this
/// process's place with the arguments given after `sandbox`, so its options and help are the
/// sandbox's own and a script's signals reach the server directly.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local Atlas Administration API sandbox (see docs/sandbox.md).",
        discussion: """
            Runs the atlas-roles-sandbox program installed with atlas-roles; 'atlas-roles sandbox --help' lists \
            its options (--port, --users, --seed, --latency-ms, --rate-limit, --tls, --ready-file and more).
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "The sandbox's options.")
    var options: [String] = []

    func run() async throws {
        do throws(CommandFailure) {
            try SandboxProgram.exec(SandboxProgram.locate(purpose: "atlas-roles sandbox"), arguments: options)
        } catch {
            StandardConsole().writeError("atlas-roles: \(error.message)\n")
            Glibc.exit(error.status.rawValue)
        }
    }
}
