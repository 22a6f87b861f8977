import ArgumentParser
import AtlasSandbox
import Dispatch
import Glibc

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `atlas-roles-sandbox` (also run as `atlas-roles sandbox`): the local Atlas-compatible server in the
/// foreground until SIGINT/SIGTERM.
///
/// It prints the base URL, the credentials and the organizations, and with `--ready-file` writes
/// them as JSON once it is listening, so scripts can poll for the file instead of parsing text.
/// A program of its own so that the admin's binary need not carry a server.
@main
struct AtlasRolesSandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atlas-roles-sandbox",
        abstract: "Run a local Atlas Administration API sandbox (see docs/sandbox.md).",
        discussion: "Also run as 'atlas-roles sandbox', and by 'atlas-roles --demo' in the packaged program."
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free port).") var port = 8080
    @Option(help: "Number of organizations.") var orgs = 3
    @Option(help: "Users in the first organization (the others are smaller).") var users = 60
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 7
    @Option(name: .customLong("latency-ms"), help: "Milliseconds added to every answer.") var latencyMs = 0
    @Option(name: .customLong("jitter-ms"), help: "Up to this many more milliseconds, at random.") var jitterMs = 0
    @Option(
        name: .customLong("rate-limit"),
        help: "Token bucket CAPACITY/REFILL_PER_SECOND, e.g. 10/5 (429 RATE_LIMITED_TOKEN_BUCKET when empty).")
    var rateLimit: String?
    @Option(name: .customLong("error-rate"), help: "Fraction of requests answered 500 or 503.") var errorRate = 0.0
    @Option(name: .customLong("reset-rate"), help: "Fraction of connections reset with no answer.") var resetRate = 0.0
    @Option(name: .customLong("truncate-rate"), help: "Fraction of 200 bodies cut in half.") var truncateRate = 0.0
    @Option(name: .customLong("malformed-rate"), help: "Fraction of 200 bodies replaced by HTML.") var malformedRate =
        0.0
    @Option(name: .customLong("trickle-bps"), help: "Send bodies at this many bytes a second (0 = off).")
    var trickleBps = 0
    @Flag(name: .customLong("put-gone"), help: "PUT .../roles answers 410 VERSION_GONE.") var putGone = false
    @Flag(help: "Add terminal escapes, control characters and bidi overrides to names and errors.") var hostile = false
    @Option(name: .customLong("token-lifetime"), help: "Service-account token lifetime in seconds.")
    var tokenLifetime = 3600
    @Option(help: "Keep the role state in this JSON file across restarts.") var state: String?
    @Option(help: "Append the request journal to this file as JSON lines.") var journal: String?
    @Option(
        name: .customLong("ready-file"),
        help: ArgumentHelp(
            "Write the base URL, credentials and organizations here as JSON ('-': one line on standard output, "
                + "instead of the text)."))
    var readyFile: String?
    @Flag(
        name: .customLong("stop-at-end-of-input"),
        help: "Also stop when standard input reaches its end (a pipe from the process that started the sandbox).")
    var stopAtEndOfInput = false
    @Option(name: .customLong("public-key"), help: "Fixed API public key (with --private-key).") var publicKey: String?
    @Option(name: .customLong("private-key"), help: "Fixed API private key.") var privateKey: String?
    @Option(name: .customLong("client-id"), help: "Fixed service-account client id (with --client-secret).")
    var clientId: String?
    @Option(name: .customLong("client-secret"), help: "Fixed service-account client secret.") var clientSecret: String?
    @Option(
        name: .customLong("tls"),
        help: "Serve HTTPS (HTTP/2 and HTTP/1.1) with a CA made at start-up, written as ca.pem into this directory.")
    var tlsDirectory: String?
    @Flag(name: .customLong("http1-only"), help: "With --tls, offer HTTP/1.1 only.") var http1Only = false
    @Flag(
        name: .customLong("single-use-nonces"),
        help: "A reused Digest nonce gets a fresh challenge with stale=false, as Atlas may answer.")
    var singleUseNonces = false

    func validate() throws {
        if (publicKey == nil) != (privateKey == nil) {
            throw ValidationError("--public-key and --private-key go together.")
        }
        if (clientId == nil) != (clientSecret == nil) {
            throw ValidationError("--client-id and --client-secret go together.")
        }
        for (name, rate) in [
            ("--error-rate", errorRate), ("--reset-rate", resetRate), ("--truncate-rate", truncateRate),
            ("--malformed-rate", malformedRate),
        ] where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1.")
        }
        _ = try parsedRateLimit()
    }

    private func parsedRateLimit() throws -> SandboxRateLimit? {
        guard let rateLimit else { return nil }
        let parts = rateLimit.split(separator: "/")
        guard parts.count == 2, let capacity = Int(parts[0]), capacity >= 1, let refill = Double(parts[1]), refill >= 0
        else {
            throw ValidationError("--rate-limit must be CAPACITY/REFILL_PER_SECOND, e.g. 10/5.")
        }
        return SandboxRateLimit(capacity: capacity, refillPerSecond: refill)
    }

    func run() async throws {
        var credentials = SandboxCredentials.random()
        if let publicKey, let privateKey {
            credentials.apiKey = .init(publicKey: publicKey, privateKey: privateKey)
        }
        if let clientId, let clientSecret {
            credentials.serviceAccount = .init(clientId: clientId, clientSecret: clientSecret)
        }
        let faults = SandboxFaults(
            latencyMs: latencyMs, jitterMs: jitterMs, rateLimit: try parsedRateLimit(), serverErrorRate: errorRate,
            resetRate: resetRate, truncatedBodyRate: truncateRate, malformedBodyRate: malformedRate,
            trickleBytesPerSecond: trickleBps, putVersionGone: putGone)
        var configuration = SandboxConfiguration(
            host: host, port: port, seed: seed, organizations: orgs, usersPerOrganization: users, hostileText: hostile,
            faults: faults, tokenLifetimeSeconds: tokenLifetime, putVersionGone: putGone, statePath: state,
            journalPath: journal, fixedCredentials: credentials)
        configuration.tlsDirectory = tlsDirectory
        configuration.http2 = !http1Only
        configuration.singleUseNonces = singleUseNonces

        // Signals are caught before the server starts so an early Ctrl-C still stops it cleanly.
        let stopRequests = StopRequests(signals: [SIGINT, SIGTERM], endOfInput: stopAtEndOfInput)
        let sandbox = try await AtlasSandbox.start(configuration)
        let readyOnStandardOutput = readyFile == "-"
        if readyOnStandardOutput {
            print(SandboxAnnouncement.readyDocument(sandbox).serialized(pretty: false))
        } else {
            print(SandboxAnnouncement.text(sandbox), terminator: "")
        }
        // Scripts reading a pipe must see the announcement now, not when the buffer fills (nil: every stream).
        fflush(nil)
        if let readyFile, !readyOnStandardOutput {
            try SandboxAnnouncement.writeReadyFile(sandbox, to: readyFile)
        }
        for await _ in stopRequests.stream { break }
        try await sandbox.stop()
        if let readyFile, !readyOnStandardOutput { try? FileManager.default.removeItem(atPath: readyFile) }
    }

    /// Parses and runs; a usage error exits 2, as every usage error of atlas-roles does.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = Array((fullMessage(for: error) + "\n").utf8)
                _ = write(STDERR_FILENO, message, message.count)
                Glibc.exit(2)
            }
            exit(withError: error)
        }
        Glibc.exit(0)
    }
}

/// What the command prints on start and writes to the ready file.
enum SandboxAnnouncement {
    static func text(_ sandbox: AtlasSandbox) -> String {
        let credentials = sandbox.credentials
        var lines = [
            "Atlas sandbox listening on \(sandbox.baseURL) (API under /api/atlas/v2)",
            "API key (Organization Owner): public \(credentials.apiKey.publicKey) private \(credentials.apiKey.privateKey)",
            "API key (member only):        public \(credentials.memberOnlyApiKey.publicKey) private "
                + credentials.memberOnlyApiKey.privateKey,
            "Service account: client id \(credentials.serviceAccount.clientId) secret \(credentials.serviceAccount.clientSecret)",
            "Organizations:",
        ]
        lines += sandbox.organizations.map { "  \($0.id)  \($0.userCount) users  \($0.name)" }
        var trust = ""
        if let caCertificatePath = sandbox.caCertificatePath {
            lines.append("CA certificate: \(caCertificatePath) (export SSL_CERT_FILE=\(caCertificatePath))")
            trust = "--cacert '\(caCertificatePath)' "
        }
        lines.append(
            "Try: curl \(trust)--digest -u '\(credentials.apiKey.publicKey):\(credentials.apiKey.privateKey)' "
                + "-H 'Accept: application/vnd.atlas.2023-01-01+json' '\(sandbox.baseURL)/api/atlas/v2/orgs?pretty=true'"
        )
        // Names (generated with --hostile, or read back from --state) and fixed credentials are text the
        // sandbox did not choose: a terminal shows them, it does not act on them.
        return lines.map(inert).joined(separator: "\n") + "\n"
    }

    /// `text` with every control character shown as its picture (ESC as ␛) and C1 controls and
    /// bidirectional overrides as U+FFFD, so a printed name cannot move the cursor, retitle the
    /// terminal or reorder the line.
    static func inert(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F: result.append(Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}")
            case 0x7F: result.append("\u{2421}")
            case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// Writes the ready JSON to a temporary file and renames it, so a poller never reads half of it.
    static func writeReadyFile(_ sandbox: AtlasSandbox, to path: String) throws {
        let document = readyDocument(sandbox)
        let temporary = path + ".tmp"
        // The file holds secrets: owner-only, like every other credential file of the project.
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(document.serialized(pretty: true).utf8),
                attributes: [.posixPermissions: 0o600])
        else {
            throw ValidationError("cannot write the ready file \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            throw ValidationError("cannot rename \(temporary) to \(path)")
        }
    }

    /// The base URL, CA certificate, credentials and organizations, as the ready file holds them.
    static func readyDocument(_ sandbox: AtlasSandbox) -> JSONValue {
        let credentials = sandbox.credentials
        return .object([
            ("baseURL", .string(sandbox.baseURL)),
            ("caCertificate", sandbox.caCertificatePath.map(JSONValue.string) ?? .null),
            (
                "apiKey",
                .object([
                    ("publicKey", .string(credentials.apiKey.publicKey)),
                    ("privateKey", .string(credentials.apiKey.privateKey)),
                ])
            ),
            (
                "memberOnlyApiKey",
                .object([
                    ("publicKey", .string(credentials.memberOnlyApiKey.publicKey)),
                    ("privateKey", .string(credentials.memberOnlyApiKey.privateKey)),
                ])
            ),
            (
                "serviceAccount",
                .object([
                    ("clientId", .string(credentials.serviceAccount.clientId)),
                    ("clientSecret", .string(credentials.serviceAccount.clientSecret)),
                ])
            ),
            (
                "organizations",
                .array(
                    sandbox.organizations.map {
                        .object([("id", .string($0.id)), ("name", .string($0.name)), ("userCount", .int($0.userCount))])
                    })
            ),
        ])
    }
}

/// Waits for the first of some signals, with the default handlers switched off so the process
/// can stop the sandbox before exiting, and, when asked, for the end of standard input: the program
/// that started the sandbox through a pipe has exited, however it exited.
struct StopRequests {
    /// Kept so the sources live as long as the watcher.
    private let sources: [any DispatchSourceSignal]
    /// Yields once per request.
    let stream: AsyncStream<Void>

    init(signals: [Int32], endOfInput: Bool) {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        self.stream = stream
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        if endOfInput {
            // A blocking read on a serial queue of its own (which gets a thread of its own): a read source
            // would need epoll, which refuses /dev/null and regular files.
            DispatchQueue(label: "atlas-roles-sandbox.end-of-input").async {
                var buffer = [UInt8](repeating: 0, count: 512)
                while true {
                    let count = read(STDIN_FILENO, &buffer, buffer.count)
                    if count > 0 || (count < 0 && errno == EINTR) { continue }
                    break
                }
                continuation.yield()
            }
        }
    }
}
