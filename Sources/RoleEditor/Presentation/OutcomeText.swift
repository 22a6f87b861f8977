import AtlasAPI

/// The words for an outcome, and the error envelope laid out line by line for the review pane.
public enum OutcomeText {
    /// One short label: "applied", "conflict", "refused 400 VALIDATION_ERROR", "failed: network error…".
    public static func label(_ outcome: ApplyOutcome) -> String {
        switch outcome {
        case .applied(let call, _): "applied (\(call.method))"
        case .conflict: "conflict: changed on the server"
        case .refused(let error):
            if let envelope = error.envelope {
                "refused \(envelope.error) \(SafeText.sanitized(envelope.errorCode))"
            } else {
                "refused: " + SafeText.sanitized(error.description)
            }
        case .failed(let error): "failed: " + SafeText.sanitized(error.description)
        case .notSent(let error): "not sent: the run stopped at " + brief(error)
        }
    }

    /// The error in a few words, for a status line whose pane shows the details: the status and
    /// errorCode of an envelope, else what went wrong, without the call.
    public static func brief(_ error: AtlasError) -> String {
        switch error.kind {
        case .api(let status, let envelope): "\(status) " + SafeText.sanitized(envelope.errorCode)
        case .httpStatus(let status, _): "HTTP \(status), not an Atlas answer"
        case .malformedResponse(let status, _, _): "HTTP \(status) with an unreadable body"
        case .transport(let code, let message): "network error (curl \(code)): " + SafeText.sanitized(message)
        case .cancelled: "cancelled"
        case .configuration(let message): SafeText.sanitized(message)
        }
    }

    /// Every detail a person needs to act, one line each, sanitized: for a refusal the whole envelope
    /// (status, errorCode, detail, reason, parameters, badRequestDetail fields) and the call; for a
    /// conflict both role sets.
    public static func detailLines(_ outcome: ApplyOutcome, edit: PendingEdit, naming: RoleNaming = .api) -> [String] {
        switch outcome {
        case .applied(let call, let roles):
            return ["call: \(call)", "now: " + RoleText.list(roles, naming: naming)]
        case .conflict(let server):
            return [
                "loaded: " + RoleText.list(edit.base, naming: naming),
                "server: " + RoleText.list(server, naming: naming),
                "wanted: " + RoleText.list(edit.target, naming: naming),
            ]
        case .refused(let error), .failed(let error):
            return errorLines(error)
        case .notSent:
            // The reason is said once, for the whole run, not under each user.
            return []
        }
    }

    /// An error laid out for display: the envelope's fields when there is one, else its description.
    /// A hint on what to do follows when the error says enough (``AtlasError/remedy``).
    public static func errorLines(_ error: AtlasError) -> [String] {
        var lines = serverLines(error)
        if let remedy = error.remedy { lines.append("hint: " + RemedyText.sentence(remedy)) }
        return lines
    }

    private static func serverLines(_ error: AtlasError) -> [String] {
        var lines: [String] = []
        if let call = error.call { lines.append("call: \(call)") }
        guard let envelope = error.envelope else {
            lines.append(SafeText.sanitized(error.description))
            return lines
        }
        lines.append("status: \(envelope.error)")
        lines.append("errorCode: " + SafeText.sanitized(envelope.errorCode))
        if let detail = envelope.detail { lines.append("detail: " + SafeText.sanitized(detail)) }
        if let reason = envelope.reason { lines.append("reason: " + SafeText.sanitized(reason)) }
        if !envelope.parameters.isEmpty {
            lines.append(
                "parameters: " + SafeText.sanitized(envelope.parameters.map(\.description).joined(separator: ", ")))
        }
        for field in envelope.badRequestDetail?.fields ?? [] {
            lines.append("field \(SafeText.sanitized(field.field)): " + SafeText.sanitized(field.description))
        }
        return lines
    }

}
