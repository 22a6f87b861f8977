import AtlasAPI
import RoleEditor

/// The words `set` prints: one user's diff and the run's summary.
enum RoleChangeText {
    /// ```text
    /// ada@example.com: ORG_MEMBER, ORG_READ_ONLY -> ORG_BILLING_ADMIN, ORG_MEMBER
    ///   +ORG_BILLING_ADMIN
    ///   -ORG_READ_ONLY
    ///   via PUT /orgs/…/users/…/roles (2023-01-01)
    /// ```
    static func diff(_ edit: PendingEdit, call: APICall) -> String {
        var text = "\(SafeText.sanitized(edit.username)): \(names(edit.base)) -> \(names(edit.target))\n"
        for line in RoleText.diffLines(edit) { text += "  \(line)\n" }
        text += "  via \(call)\n"
        return text
    }

    static func names(_ roles: Set<OrgRole>) -> String {
        roles.isEmpty ? "(no roles)" : roles.sorted().map { SafeText.sanitized($0.rawValue) }.joined(separator: ", ")
    }

    /// "applied 2 of 3: 1 conflict" — one line for the end of the run.
    static func summary(_ outcomes: [ApplyOutcome]) -> String {
        var applied = 0
        var conflicts = 0
        var refused = 0
        var failed = 0
        var notSent = 0
        for outcome in outcomes {
            switch outcome {
            case .applied: applied += 1
            case .conflict: conflicts += 1
            case .refused: refused += 1
            case .failed: failed += 1
            case .notSent: notSent += 1
            }
        }
        var parts: [String] = []
        if conflicts > 0 {
            parts.append("\(conflicts) conflict\(conflicts == 1 ? "" : "s") (changed on the server; nothing written)")
        }
        if refused > 0 { parts.append("\(refused) refused") }
        if failed > 0 { parts.append("\(failed) failed") }
        if notSent > 0 { parts.append("\(notSent) not sent (the run stopped at a refusal every write shares)") }
        return "applied \(applied) of \(outcomes.count)" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
            + "\n"
    }
}
