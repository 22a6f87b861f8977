#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Removes every secret the client knows from text before it can reach an error or a log.
///
/// Secrets never go into error text on purpose; this is the second line of defence for text the
/// client does not write itself: a server or proxy that echoes a request header or form body back in
/// an error page would otherwise put a token or the Basic credentials on screen.
final class SecretRedactor: Sendable {
    private let secrets = LockedValue<Set<String>>([])

    /// Adds a secret; very short strings are ignored (they would blank out ordinary words).
    func register(_ secret: String) {
        guard secret.count >= 6 else { return }
        secrets.withLock { _ = $0.insert(secret) }
    }

    func redact(_ text: String) -> String {
        var result = text
        for secret in secrets.current where result.contains(secret) {
            result = result.replacing(secret, with: "[redacted]")
        }
        // A Digest answer is computed per request, so it cannot be registered; its `response` is a
        // hash of the private key that a dictionary could be run against.
        // Quoted, unquoted, or with the quotes escaped as a JSON body echoes them.
        if result.contains("response=") {
            result = result.replacing(#/(?i)response=(\\?")?[0-9a-f]{32,128}(\\?")?/#, with: "response=[redacted]")
        }
        return result
    }

    func redact(_ envelope: APIErrorEnvelope) -> APIErrorEnvelope {
        var copy = envelope
        copy.errorCode = redact(envelope.errorCode)
        copy.detail = envelope.detail.map(redact)
        copy.reason = envelope.reason.map(redact)
        copy.parameters = envelope.parameters.map(redact)
        copy.badRequestDetail = envelope.badRequestDetail.map { detail in
            BadRequestDetail(
                fields: detail.fields.map {
                    BadRequestDetail.Field(field: redact($0.field), description: redact($0.description))
                })
        }
        return copy
    }

    private func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(redact(text))
        case .array(let values): .array(values.map(redact))
        case .object(let members): .object(members.mapValues(redact))
        case .number, .bool, .null: value
        }
    }
}
