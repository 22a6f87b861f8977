import AtlasAPI
import Logging
import RoleEditor
import RoleEditorRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What `set`, `remove` and `invite` share once their edits are known: the users named (every
/// reference must match), the rules, the confirmation, the run through ``ScriptedApply`` with each
/// outcome reported as it is known, and the exit status.
struct ScriptedRun {
    var context: CommandContext
    var orgId: String
    var service: any AtlasService
    var preferredMethod: RoleWriteMethod
    /// Where drafts and the journal go: the context's, or the demo's apart from real organizations.
    var directories: AppDirectories
    /// Off only to measure what the write-ahead journal costs (scripts/bench).
    var keepsJournal = true

    /// Prints the review text (each edit's diff and call, then the summary of a change of several
    /// users), checks the rules, and asks. Returns nil to go on, or the status to end with.
    func review(_ edits: [PendingEdit], users: UserStore, dryRun: Bool, confirmation: Confirmation) async throws
        -> ExitStatus?
    {
        let console = context.console
        let writeChoice = RoleWriteChoice(preferred: preferredMethod)
        for edit in edits {
            let call: APICall =
                switch edit.membership {
                case .removal: .removeOrgUser(orgId: orgId, userId: edit.userId)
                case .invitation: .createOrgUser(orgId: orgId)
                case nil: writeChoice.method(for: edit.status).call(orgId: orgId, userId: edit.userId)
                }
            console.write(RoleChangeText.diff(edit, call: call))
        }
        if edits.count > 1 {
            for line in ReviewSummary(edits: edits, users: users).lines { console.write("summary: \(line)\n") }
        }
        let findings = ScriptedEditRules.findings(for: edits, users: users)
        if !findings.isEmpty {
            for finding in findings { console.writeError("atlas-roles: \(finding.message)\n") }
            context.logger.notice("refused by a rule", metadata: ["org": "\(orgId)", "findings": "\(findings)"])
            return .refused
        }
        if dryRun {
            console.write("dry run: nothing was changed\n")
            return .success
        }
        let verb: String
        switch confirmation {
        case .none: return nil
        case .ask(let text), .typed(let text): verb = text
        }
        // No one to ask: a pipe or a job applies only when told to (as `terraform apply -auto-approve`).
        guard console.inputIsInteractive else {
            throw CommandFailure(
                .usageOrConfiguration,
                "standard input is not a terminal, so nothing was changed: add --yes to apply without asking")
        }
        // Named as well as numbered, so prod and staging are not told apart by id alone.
        let name = try? await service.organization(id: orgId).name
        let organization = name.map { "\(SafeText.sanitized($0)) (\(orgId))" } ?? orgId
        let confirmed: Bool
        if case .typed = confirmation {
            // A removal cannot be taken back by a write: the number is typed, not a `y`.
            console.writeError("\(verb) \(edits.count) user(s) of organization \(organization)? Type \(edits.count): ")
            confirmed = console.readLine()?.trimmingWhitespace() == String(edits.count)
        } else {
            let count = edits.count == 1 ? "1 change" : "\(edits.count) changes"
            confirmed = console.confirm("\(verb) \(count) to organization \(organization)?")
        }
        guard confirmed else {
            console.writeError("not applied\n")
            return .refused
        }
        return nil
    }

    /// How a command is confirmed: not at all (`--yes`), a `y`, or the typed number of users.
    enum Confirmation {
        case none
        case ask(String)
        case typed(String)
    }

    /// Applies `edits` through the screen's own path, reporting each outcome, and answers the exit status.
    func apply(_ edits: [PendingEdit], users: UserStore) async throws -> ExitStatus {
        let console = context.console
        let runtime: EditorRuntime
        do { runtime = try EditorRuntime(directories: directories) } catch {
            throw CommandFailure(.usageOrConfiguration, "error: cannot keep the journal: \(error)")
        }
        var apply = ScriptedApply(orgId: orgId, preferredMethod: preferredMethod, service: service, runtime: runtime)
        apply.keepsJournal = keepsJournal
        let result = await apply.run(
            edits, users: users, onOutcome: { edit, outcome in report(edit, outcome) },
            onNotice: { notice in console.writeError("atlas-roles: notice: \(notice)\n") })
        if let refusal = result.refusal {
            console.writeError("atlas-roles: \(refusal)\n")
            return .refused
        }
        for error in result.persistenceErrors {
            console.writeError("atlas-roles: warning: journal not written: \(error)\n")
        }
        let outcomes = result.outcomes.compactMap { $0 }
        let applied = outcomes.filter(\.isApplied).count
        console.write(RoleChangeText.summary(outcomes))
        if applied == edits.count { return .success }
        return applied == 0 ? .refused : .partlyApplied
    }

    /// Prints one user's outcome as soon as it is known (outcomes arrive in the order of the diff).
    private func report(_ edit: PendingEdit, _ outcome: ApplyOutcome) {
        let name = SafeText.sanitized(edit.username)
        let details = OutcomeText.detailLines(outcome, edit: edit).map { "  \($0)\n" }.joined()
        let metadata: Logger.Metadata = ["user": "\(edit.userId)", "outcome": "\(OutcomeText.label(outcome))"]
        if outcome.isApplied {
            context.console.write("\(name): \(OutcomeText.label(outcome))\n\(details)")
            context.logger.info("change written", metadata: metadata)
        } else {
            context.console.writeError("atlas-roles: \(name): \(OutcomeText.label(outcome))\n\(details)")
            context.logger.warning("change not written", metadata: metadata)
        }
    }
}
