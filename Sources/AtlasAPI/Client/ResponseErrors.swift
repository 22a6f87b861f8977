#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns an unsuccessful response into an ``AtlasError``: the envelope when the body is one, else a
/// short, sanitized excerpt of whatever came (a proxy's HTML page, a cut-off body).
enum ResponseErrors {
    /// How much of a non-JSON body an error keeps: enough to recognise the page, not to flood a pane.
    static let excerptLength = 240

    static func error(for response: HTTPResponse, call: APICall, redactor: SecretRedactor) -> AtlasError {
        if let envelope = try? JSONDecoder().decode(APIErrorEnvelope.self, from: response.body) {
            return AtlasError(.api(status: response.status, envelope: redactor.redact(envelope)), call: call)
        }
        return AtlasError(
            .httpStatus(status: response.status, bodyExcerpt: excerpt(response.body, redactor: redactor)), call: call)
    }

    /// The body's first bytes as safe, secret-free text; "(empty body)" when there were none.
    static func excerpt(_ body: Data, redactor: SecretRedactor) -> String {
        guard !body.isEmpty else { return "(empty body)" }
        // Redact the whole body before cutting, so a secret straddling the cut cannot leave a prefix behind.
        let text = redactor.redact(String(decoding: body, as: UTF8.self))
        let cut = text.count > excerptLength ? String(text.prefix(excerptLength)) + "…" : text
        return SafeText.sanitized(cut)
    }

    /// A decoding error as one line a person can use ("the data was cut off", "missing key 'id'").
    static func describe(decodingError error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
            // A value the decoder read and refused (an id that is not an id): say which and why.
            return SafeText.sanitized(context.debugDescription) + path(context.codingPath)
        case DecodingError.dataCorrupted(let context):
            return "not valid JSON" + path(context.codingPath)
        case DecodingError.keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\"" + path(context.codingPath)
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "unexpected value" + path(context.codingPath)
        default:
            return "unreadable JSON"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "" }
        return " at " + codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
