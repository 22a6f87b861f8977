import AtlasAPI

/// The view-model's pure rules, public for `atlas-roles set`, so a change made from a script is checked
/// exactly as one made on screen before its diff is confirmed (the apply itself runs them again, on the
/// screen's own path).
///
/// ```swift
/// let findings = ScriptedEditRules.findings(for: edits, users: allUsers)  // empty → may apply
/// ```
public enum ScriptedEditRules {
    /// Findings for applying `edits` when `users` is the organization's complete user list.
    public static func findings(for edits: [PendingEdit], users: [OrgUser]) -> [RuleFinding] {
        findings(for: edits, users: UserStore(users))
    }

    /// Findings for applying `edits` when `users` holds the organization's complete user list (a
    /// command that already keeps its users in a store checks them there, without a second copy).
    public static func findings(for edits: [PendingEdit], users: UserStore) -> [RuleFinding] {
        var complete = LoadProgress()
        complete.loaded = users.count
        complete.total = users.count
        complete.isComplete = true
        return RoleRules.findings(for: edits, users: users, progress: complete)
    }
}
