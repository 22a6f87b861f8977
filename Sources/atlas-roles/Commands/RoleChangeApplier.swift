import AtlasAPI
import Foundation
import RoleEditor

/// Applies `set`'s edits one user at a time: re-read, compare, write, journal, report.
struct RoleChangeApplier: Sendable {
    /// One user's edit and what became of it.
    struct Result: Sendable {
        var edit: PendingEdit
        var outcome: ApplyOutcome
    }

    var service: any AtlasService
    var orgId: String
    var methods: EditorState
    var context: CommandContext

    func apply(_ edits: [PendingEdit]) async -> [Result] {
        let journal = openJournal()
        let batch = UUID().uuidString
        var results: [Result] = []
        for edit in edits {
            let method = methods.writeMethod(for: edit.status)
            let outcome = await applyOne(edit, method: method)
            results.append(Result(edit: edit, outcome: outcome))
            report(edit, outcome)
            record(edit, outcome, call: method.call(orgId: orgId, userId: edit.userId), batch: batch, in: journal)
        }
        return results
    }

    private func applyOne(_ edit: PendingEdit, method: RoleWriteMethod) async -> ApplyOutcome {
        do {
            // The same conflict check as the review pane: write only while the server still holds
            // the roles the diff was computed from.
            let current = try await service.orgUser(orgId: orgId, userId: edit.userId)
            guard current.orgRoles == edit.base else { return .conflict(server: current.orgRoles) }
            let written = try await service.writeOrgRoles(
                orgId: orgId, userId: edit.userId, roles: edit.target, method: method)
            return .applied(call: written.call, roles: written.orgRoles)
        } catch let error as AtlasError {
            return ScriptedEditRules.outcome(for: error)
        } catch {
            return .failed(AtlasError(.transport(curlCode: -1, message: "\(error)")))
        }
    }

    private func report(_ edit: PendingEdit, _ outcome: ApplyOutcome) {
        let name = SafeText.sanitized(edit.username)
        let console = context.console
        let details = OutcomeText.detailLines(outcome, edit: edit).map { "  \($0)\n" }.joined()
        if outcome.isApplied {
            console.write("\(name): \(OutcomeText.label(outcome))\n\(details)")
            context.logger.info(
                "roles written", metadata: ["user": "\(edit.userId)", "outcome": "\(OutcomeText.label(outcome))"])
        } else {
            console.writeError("atlas-roles: \(name): \(OutcomeText.label(outcome))\n\(details)")
            context.logger.warning(
                "roles not written", metadata: ["user": "\(edit.userId)", "outcome": "\(OutcomeText.label(outcome))"])
        }
    }

    private func openJournal() -> StateStore? {
        do {
            return try StateStore(directory: StateStore.defaultDirectory(environment: context.environment))
        } catch {
            context.console.writeError("atlas-roles: warning: changes will not be journaled: \(error)\n")
            return nil
        }
    }

    /// Journals every attempted write, so a change made from a script can be reviewed and reverted in the UI.
    private func record(
        _ edit: PendingEdit, _ outcome: ApplyOutcome, call: APICall, batch: String, in store: StateStore?
    ) {
        let entryOutcome: JournalEntry.Outcome
        var message: String?
        var call = call
        switch outcome {
        case .applied(let written, _):
            entryOutcome = .applied
            call = written
        case .refused(let error):
            entryOutcome = .refused
            message = error.description
        case .failed(let error):
            entryOutcome = .failed
            message = error.description
        case .conflict:
            return  // Nothing was sent.
        }
        let entry = JournalEntry(
            time: Date(), batch: batch, orgId: orgId, userId: edit.userId, username: edit.username,
            before: edit.base.sorted(), after: edit.target.sorted(), call: call, outcome: entryOutcome, error: message)
        do {
            try store?.appendJournal([entry])
        } catch {
            context.console.writeError("atlas-roles: warning: journal not written: \(error)\n")
        }
    }
}
