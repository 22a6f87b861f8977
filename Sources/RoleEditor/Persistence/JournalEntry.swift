import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One line of the journal: a write about to be sent (an intent) or how one ended (an outcome).
///
/// The journal is written ahead: every write of a run has its intent on disk (fsynced, one append
/// for the whole run) before the first is sent, and its outcome after. An intent without an outcome
/// is a write a crash or a hang-up interrupted; the next start reads the user again and appends the
/// outcome the server shows (``confirmedByReread``), so the journal ends listing what the server got.
public struct JournalEntry: Hashable, Sendable, Codable {
    /// The outcome recorded for a write, or `intent` for a write about to be sent.
    public enum Outcome: String, Hashable, Sendable, Codable {
        case intent, applied, refused, failed
        /// Planned (an intent) but never sent: the run stopped at a refusal every write shared.
        case notSent
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
    /// True for an outcome found after a restart by reading the user again, not by the write's answer.
    public var confirmedByReread: Bool?
    /// The run this write took back, for a revert's writes.
    public var revertOf: String?
    /// For a removal, the teams the user was in; for an invitation, the teams it joins: what a revert
    /// of the removal invites the user back into.
    public var teamIds: [String]?
    /// For an invitation (whose `userId` is the edit's key, an address), the id the server gave the
    /// new user: what a revert of the invitation removes.
    public var invitedUserId: String?

    public init(
        time: Date, batch: String, orgId: String, userId: String, username: String, before: [OrgRole],
        after: [OrgRole], call: APICall, outcome: Outcome, error: String? = nil, confirmedByReread: Bool? = nil,
        revertOf: String? = nil, teamIds: [String]? = nil, invitedUserId: String? = nil
    ) {
        self.teamIds = teamIds
        self.invitedUserId = invitedUserId
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
        self.confirmedByReread = confirmedByReread
        self.revertOf = revertOf
    }

    /// The intents of `entries` that no outcome of the same run and user follows: writes whose fate the
    /// journal does not know. The latest per user.
    public static func unresolvedIntents(_ entries: [JournalEntry]) -> [JournalEntry] {
        struct Key: Hashable {
            var batch: String
            var userId: String
        }
        var open: [Key: JournalEntry] = [:]
        for entry in entries {
            let key = Key(batch: entry.batch, userId: entry.userId)
            if entry.outcome == .intent { open[key] = entry } else { open[key] = nil }
        }
        var latest: [String: JournalEntry] = [:]
        for entry in open.values where (latest[entry.userId]?.time ?? .distantPast) <= entry.time {
            latest[entry.userId] = entry
        }
        return latest.values.sorted { ($0.time, $0.userId) < ($1.time, $1.userId) }
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

    /// The run this one took back, when it was a revert.
    public var revertOf: String? { entries.lazy.compactMap(\.revertOf).first }

    /// "2026-11-29 01:43:04 UTC": how a run is named (its first entry's time).
    public static func timeText(_ time: Date) -> String {
        // ISO 8601 in UTC ("2026-11-29T01:43:04Z"), with a space for the T and a word for the Z.
        let iso = time.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        return String(iso.map { $0 == "T" ? " " : $0 }.filter { $0 != "Z" }) + " UTC"
    }

    /// Users of the run, each once, in file order.
    public var userCount: Int { Set(entries.map(\.userId)).count }

    /// "12 users: 10 applied, 2 refused": the run's size and how it ended.
    public var outcomeCounts: String {
        var counts: [JournalEntry.Outcome: Int] = [:]
        for entry in entries { counts[entry.outcome, default: 0] += 1 }
        let parts = [JournalEntry.Outcome.applied, .refused, .failed, .notSent].compactMap { outcome in
            counts[outcome].map { "\($0) \(outcome == .notSent ? "not sent" : outcome.rawValue)" }
        }
        return (userCount == 1 ? "1 user" : "\(userCount) users") + ": " + parts.joined(separator: ", ")
    }

    /// Groups entries by batch, newest run first, keeping each run's entries in file order.
    public static func grouping(_ entries: [JournalEntry]) -> [JournalBatch] {
        var order: [String] = []
        var byId: [String: [JournalEntry]] = [:]
        // Intents are the run's plan, not what happened: the outcomes (answered or found on restart) are.
        for entry in entries where entry.outcome != .intent {
            if byId[entry.batch] == nil { order.append(entry.batch) }
            byId[entry.batch, default: []].append(entry)
        }
        // Newest first; runs of the same second in reverse file order (the later one is newer).
        return order.enumerated().map { ($0, JournalBatch(id: $1, time: byId[$1]![0].time, entries: byId[$1]!)) }
            .sorted { ($0.1.time, $0.0) > ($1.1.time, $1.0) }.map(\.1)
    }
}
