import ArgumentParser
import AtlasSandbox
import Dispatch
import Glibc

import enum AtlasAPI.SafeText

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `atlas-roles sandbox`: runs the local Atlas-compatible server in the foreground until SIGINT/SIGTERM.
///
/// It prints the base URL, the credentials and the organizations, and with `--ready-file` writes
/// them as JSON once it is listening, so scripts can poll for the file instead of parsing text.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local Atlas Administration API sandbox (see docs/sandbox.md).",
        discussion: """
            Credentials are random unless given: --public-key K --private-key K fix the Organization Owner \
            API key, --client-id ID --client-secret S the service account.
            """
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
    @Option(name: .customLong("ready-file"), help: "Write the base URL, credentials and organizations here as JSON.")
    var readyFile: String?
    /// `--public-key`/`--private-key` and `--client-id`/`--client-secret`: fixed credentials instead of
    /// random ones. The root command declares these flags for every command and takes them wherever they
    /// appear on the line, so the sandbox reads them from the same group (options of its own by these
    /// names would never receive a value).
    @OptionGroup(visibility: .hidden) var connection: ConnectionOptions
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
        let (publicKey, privateKey) = (connection.publicKey, connection.privateKey)
        let (clientId, clientSecret) = (connection.clientId, connection.clientSecret)
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

    /// Random credentials, with the key and the service account the command line fixes.
    var credentials: SandboxCredentials {
        var credentials = SandboxCredentials.random()
        if let publicKey = connection.publicKey, let privateKey = connection.privateKey {
            credentials.apiKey = .init(publicKey: publicKey, privateKey: privateKey)
        }
        if let clientId = connection.clientId, let clientSecret = connection.clientSecret {
            credentials.serviceAccount = .init(clientId: clientId, clientSecret: clientSecret)
        }
        return credentials
    }

    func run() async throws {
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
        let stopRequests = SignalWatcher(signals: [SIGINT, SIGTERM])
        let sandbox = try await AtlasSandbox.start(configuration)
        print(SandboxAnnouncement.text(sandbox), terminator: "")
        // Scripts reading a pipe must see the announcement now, not when the buffer fills (nil: every stream).
        fflush(nil)
        if let readyFile {
            try SandboxAnnouncement.writeReadyFile(sandbox, to: readyFile)
        }
        for await _ in stopRequests.stream { break }
        try await sandbox.stop()
        if let readyFile { try? FileManager.default.removeItem(atPath: readyFile) }
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
        return lines.map { SafeText.sanitized($0) }.joined(separator: "\n") + "\n"
    }

    /// Writes the ready JSON to a temporary file and renames it, so a poller never reads half of it.
    static func writeReadyFile(_ sandbox: AtlasSandbox, to path: String) throws {
        let credentials = sandbox.credentials
        let document: JSONValue = .object([
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
}

/// Waits for the first of some signals, with the default handlers switched off so the process
/// can stop the sandbox before exiting.
struct SignalWatcher {
    /// Kept so the sources live as long as the watcher.
    private let sources: [any DispatchSourceSignal]
    /// Yields once per signal received.
    let stream: AsyncStream<Void>

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        self.stream = stream
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
    }

}
