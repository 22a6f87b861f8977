import AtlasAPI

/// The view-model's pure rules and outcome classification, public for `atlas-roles set`, so a change made
/// from a script is checked exactly as one made on screen.
///
/// Added by the command's engineer (issue 6) as a thin wrapper; the logic stays in ``RoleRules`` and
/// ``ApplyOutcome``.
///
/// ```swift
/// let findings = ScriptedEditRules.findings(for: edits, users: allUsers)  // empty → may apply
/// ```
public enum ScriptedEditRules {
    /// Findings for applying `edits` when `users` is the organization's complete user list.
    public static func findings(for edits: [PendingEdit], users: [OrgUser]) -> [RuleFinding] {
        var list = UserListState()
        list.ingest(users)
        list.progress.loaded = users.count
        list.progress.total = users.count
        list.progress.isComplete = true
        return RoleRules.findings(for: edits, pending: PendingEdits(), list: list)
    }

    /// What a failed re-read or write comes to: a refusal (the server said no) or a failure (transient).
    public static func outcome(for error: AtlasError) -> ApplyOutcome {
        ApplyOutcome.forError(error)
    }
}
