/// The one error every AtlasAPI call throws: what failed, and everything a person needs to act on it.
///
/// Its text never holds a key, secret or token: only the call, the status, the envelope's fields,
/// a sanitized excerpt of a non-JSON body, or libcurl's code and message.
public struct AtlasError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The server refused with an error envelope.
        case api(status: Int, envelope: APIErrorEnvelope)
        /// The server answered with an error status whose body is not an envelope (a proxy's HTML page).
        case httpStatus(status: Int, bodyExcerpt: String)
        /// A successful status whose body could not be decoded (truncated or malformed JSON).
        case malformedResponse(status: Int, message: String, bodyExcerpt: String)
        /// The request never completed: libcurl's code and message (timeout, reset, DNS, TLS).
        case transport(curlCode: Int, message: String)
        /// The task was cancelled while the call was under way.
        case cancelled
        /// The client was set up wrongly (missing credentials, bad base URL).
        case configuration(String)
    }

    public var kind: Kind
    /// The call that failed, as a person would name it.
    public var call: APICall?

    public init(_ kind: Kind, call: APICall? = nil) {
        self.kind = kind
        self.call = call
    }

    /// The HTTP status, when the server answered at all.
    public var status: Int? {
        switch kind {
        case .api(let status, _), .httpStatus(let status, _), .malformedResponse(let status, _, _): status
        case .transport, .cancelled, .configuration: nil
        }
    }

    public var envelope: APIErrorEnvelope? {
        if case .api(_, let envelope) = kind { return envelope }
        return nil
    }

    /// True for failures where sending the same idempotent request again may succeed.
    public var isTransient: Bool {
        switch kind {
        case .api(let status, _), .httpStatus(let status, _): [429, 500, 502, 503, 504].contains(status)
        case .transport, .malformedResponse: true
        case .cancelled, .configuration: false
        }
    }

    /// True when the call stopped because its task was cancelled, not because anything failed.
    public var isCancellation: Bool { kind == .cancelled }

    /// What a person needs to act, safe for a terminal: the server's text is sanitized here too, so a
    /// caller printing the error cannot be tricked by escape sequences in an error detail.
    public var description: String { SafeText.sanitized(unsanitizedDescription, keepNewlines: true) }

    private var unsanitizedDescription: String {
        let prefix = call.map { "\($0): " } ?? ""
        switch kind {
        case .api(let status, let envelope):
            var text = "\(prefix)\(status) \(envelope.errorCode)"
            if let detail = envelope.detail, !detail.isEmpty { text += " — \(detail)" }
            if let reason = envelope.reason, !reason.isEmpty { text += " (\(reason))" }
            for field in envelope.badRequestDetail?.fields ?? [] {
                text += "; \(field.field): \(field.description)"
            }
            return text
        case .httpStatus(let status, let excerpt):
            return "\(prefix)HTTP \(status), not an Atlas error envelope: \(excerpt)"
        case .malformedResponse(let status, let message, let excerpt):
            return "\(prefix)HTTP \(status) with an unreadable body (\(message)): \(excerpt)"
        case .transport(let code, let message):
            return "\(prefix)network error (curl \(code)): \(message)"
        case .cancelled:
            return "\(prefix)cancelled"
        case .configuration(let message):
            return "\(prefix)\(message)"
        }
    }
}
