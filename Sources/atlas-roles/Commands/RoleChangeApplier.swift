import AtlasAPI
import Logging
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Applies `set`'s edits, a bounded number of users at a time: re-read, compare, write, journal, report.
struct RoleChangeApplier: Sendable {
    /// One user's edit and what became of it.
    struct Result: Sendable {
        var edit: PendingEdit
        var outcome: ApplyOutcome
    }

    /// Users whose re-read and write are out at once: the screen's bound (`EffectRunner`), which hides
    /// the API's latency (1,000 users at 100 ms take seconds, not minutes) without flooding its rate limit.
    static let maxConcurrentWrites = 8

    var service: any AtlasService
    var orgId: String
    var methods: EditorState
    var context: CommandContext

    /// Applies `edits` and returns their outcomes in the same order.
    ///
    /// Each outcome is journaled as soon as its write ends (a kill loses no record of a write that
    /// happened), but printed in the order of `edits`, the order of the diff above it, however the
    /// writes finish.
    func apply(_ edits: [PendingEdit]) async -> [Result] {
        let journal = openJournal()
        let batch = UUID().uuidString
        var outcomes = [ApplyOutcome?](repeating: nil, count: edits.count)
        var reported = 0
        await withTaskGroup(of: (index: Int, outcome: ApplyOutcome).self) { group in
            var next = 0
            func startNext() {
                let index = next
                next += 1
                let edit = edits[index]
                group.addTask { (index, await applyOne(edit, method: methods.writeMethod(for: edit.status))) }
            }
            while next < edits.count && next < Self.maxConcurrentWrites { startNext() }
            while let finished = await group.next() {
                if next < edits.count { startNext() }
                let edit = edits[finished.index]
                outcomes[finished.index] = finished.outcome
                let call = methods.writeMethod(for: edit.status).call(orgId: orgId, userId: edit.userId)
                record(edit, finished.outcome, call: call, batch: batch, in: journal)
                while reported < edits.count, let outcome = outcomes[reported] {
                    report(edits[reported], outcome)
                    reported += 1
                }
            }
        }
        return zip(edits, outcomes).map { edit, outcome in
            // Every task ran to the end (they never throw), so every outcome is there.
            Result(edit: edit, outcome: outcome!)
        }
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
