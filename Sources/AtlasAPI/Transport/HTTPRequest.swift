#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How a request proves who it is; applied by the easy handle per transfer.
enum HTTPAuthentication: Sendable, Equatable {
    case none
    /// HTTP Digest (RFC 7616), answered by the transfer pool's one ``DigestSession``.
    case digest(username: String, password: String)
    /// Sent up front; only for the OAuth token endpoint, over the connection the base URL names.
    case basic(username: String, password: String)
    /// `Authorization: Bearer <token>` for service accounts.
    case bearer(token: String)
}

/// One HTTP request as the transport performs it: everything libcurl needs, nothing Atlas-specific.
struct HTTPRequest: Sendable {
    var method: String
    var url: String
    var headers: [(name: String, value: String)]
    var body: Data?
    var authentication: HTTPAuthentication
    /// Seconds allowed to establish the connection.
    var connectTimeout: Double
    /// Seconds allowed for the whole transfer, body included (a trickling body hits this).
    var totalTimeout: Double
}

/// A response with its headers (of the final answer, after any Digest challenge) and body.
struct HTTPResponse: Sendable {
    var status: Int
    /// Header lines in arrival order; look-ups are case-insensitive.
    var headers: [(name: String, value: String)]
    var body: Data
    /// The HTTP version spoken, as libcurl reports it ("1.1", "2").
    var httpVersion: String

    /// The first header named `name`, ignoring case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Why a transfer did not produce a response.
enum TransportFailure: Error, Sendable, Equatable {
    /// libcurl gave up: its code (`CURLE_*`) and the message from its error buffer.
    case curl(code: Int, message: String)
    /// The task waiting for it was cancelled and the transfer was aborted.
    case cancelled
}
