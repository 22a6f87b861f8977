#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One request the sandbox received, as a test needs it to assert what a client really sent.
///
/// Credentials never appear: `Authorization`, `Proxy-Authorization` and `Cookie` headers are left
/// out and the token of an OAuth revoke body is replaced by `[REDACTED]`.
public struct SandboxJournalEntry: Sendable, Equatable {
    /// HTTP method, e.g. `PUT`.
    public let method: String
    /// Path as received, e.g. `/api/atlas/v2/orgs/<id>/users`.
    public let path: String
    /// Raw query string without `?`; empty when there was none.
    public let query: String
    /// Header names in lowercase; repeated headers joined with `, `.
    public let headers: [String: String]
    /// The request body as UTF-8 text; nil when empty.
    public let body: String?
    /// The status answered; 0 when the connection was reset without an answer.
    public let status: Int
    /// The credentials were accepted. Tells a refusal (401 `USER_UNAUTHORIZED` to a key that lacks the
    /// role) from a Digest challenge or a wrong key, which answer 401 too.
    public let authenticated: Bool
    /// When the request arrived.
    public let time: Date
    /// The HTTP version it came over: "1.1" or "2".
    public let httpVersion: String
    /// The TCP connection it came over (the client's address and port): the number of distinct
    /// values is the number of connections, and over HTTPS of TLS handshakes, that carried requests.
    public let connection: String

    /// The JSON form served at `GET /__sandbox/journal` and written to the journal file.
    public var json: JSONValue {
        .object([
            ("method", .string(method)), ("path", .string(path)), ("query", .string(query)),
            ("headers", .object(headers.keys.sorted().map { ($0, .string(headers[$0]!)) })),
            ("body", body.map(JSONValue.string) ?? .null), ("status", .int(status)),
            ("authenticated", .bool(authenticated)),
            ("time", .string(Self.format(time))), ("httpVersion", .string(httpVersion)),
            ("connection", .string(connection)),
        ])
    }

    private static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds / 1000
        let text = Timestamp.iso8601(seconds)
        let fraction = String(milliseconds % 1000)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }

    static let strippedHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    init(request: APIRequest, status: Int, authenticated: Bool, time: Date) {
        method = request.method
        path = request.path
        query = request.rawQuery
        var headers: [String: String] = [:]
        for header in request.headers where !Self.strippedHeaders.contains(header.name) {
            headers[header.name] = headers[header.name].map { "\($0), \(header.value)" } ?? header.value
        }
        self.headers = headers
        let text = String(decoding: request.body, as: UTF8.self)
        body = request.body.isEmpty ? nil : Self.redactSecrets(text, path: request.path)
        self.status = status
        self.authenticated = authenticated
        self.time = time
        httpVersion = request.httpVersion
        connection = request.connection
    }

    /// OAuth bodies are forms that may carry tokens or secrets; every such value is replaced.
    private static func redactSecrets(_ body: String, path: String) -> String {
        guard path.hasPrefix("/api/oauth/") else { return body }
        let secretFields: Set<String> = ["token", "client_secret", "access_token", "refresh_token", "password"]
        return body.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return secretFields.contains(name) ? "\(name)=[REDACTED]" : String(pair)
        }.joined(separator: "&")
    }
}
