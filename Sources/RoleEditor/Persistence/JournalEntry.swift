import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One line of the journal: a write that was attempted, what it changed and how it ended.
public struct JournalEntry: Hashable, Sendable, Codable {
    /// The outcome recorded for a write.
    public enum Outcome: String, Hashable, Sendable, Codable {
        case applied, refused, failed
    }

    public var time: Date
    /// The apply run this write belonged to: a revert takes back one run.
    public var batch: String
    public var orgId: String
    public var userId: String
    public var username: String
    public var before: [OrgRole]
    public var after: [OrgRole]
    public var call: APICall
    public var outcome: Outcome
    /// The error as text for refused and failed writes (no secrets: AtlasError's text holds none).
    public var error: String?

    public init(
        time: Date, batch: String, orgId: String, userId: String, username: String, before: [OrgRole],
        after: [OrgRole], call: APICall, outcome: Outcome, error: String? = nil
    ) {
        self.time = time
        self.batch = batch
        self.orgId = orgId
        self.userId = userId
        self.username = username
        self.before = before
        self.after = after
        self.call = call
        self.outcome = outcome
        self.error = error
    }
}

/// The entries of one apply run, as the journal pane lists them.
public struct JournalBatch: Hashable, Sendable {
    public var id: String
    /// Time of the first entry.
    public var time: Date
    public var entries: [JournalEntry]

    public init(id: String, time: Date, entries: [JournalEntry]) {
        self.id = id
        self.time = time
        self.entries = entries
    }

    /// The changes that were written, which a revert takes back.
    public var applied: [JournalEntry] { entries.filter { $0.outcome == .applied } }

    /// Groups entries by batch, newest run first, keeping each run's entries in file order.
    public static func grouping(_ entries: [JournalEntry]) -> [JournalBatch] {
        var order: [String] = []
        var byId: [String: [JournalEntry]] = [:]
        for entry in entries {
            if byId[entry.batch] == nil { order.append(entry.batch) }
            byId[entry.batch, default: []].append(entry)
        }
        return order.map { JournalBatch(id: $0, time: byId[$0]![0].time, entries: byId[$0]!) }
            .sorted { $0.time > $1.time }
    }
}
