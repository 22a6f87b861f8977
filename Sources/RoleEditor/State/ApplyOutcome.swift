import AtlasAPI

/// What applying one user's edit came to.
public enum ApplyOutcome: Hashable, Sendable {
    /// Written; the server now holds `roles`, using `call`.
    case applied(call: APICall, roles: Set<OrgRole>)
    /// Not written: the server's roles (`server`) are no longer the ones the edit was based on.
    case conflict(server: Set<OrgRole>)
    /// The server refused the write; the error keeps the API's envelope whole. The edit stays pending.
    case refused(AtlasError)
    /// The write (or the re-read before it) did not complete: network, timeout, 5xx. The edit stays pending.
    case failed(AtlasError)
    /// Not sent: an earlier write of the run was refused for a reason every write shares (`error`),
    /// so the run stopped. The edit stays pending.
    case notSent(AtlasError)

    /// Applied changes leave the pending list; every other outcome keeps the edit for a retry or a re-base.
    public var isApplied: Bool {
        if case .applied = self { return true }
        return false
    }

    /// Refused and failed edits are what `retryFailed` sends again.
    public var isRetryable: Bool {
        switch self {
        case .refused, .failed, .notSent: true
        case .applied, .conflict: false
        }
    }

    /// The outcome for a failed call: an answer from the server that is not transient is a refusal;
    /// anything else (transport, 5xx, 429 after the service's own retries) is a failure.
    /// True when a refusal would be every write's in the run: the credentials, the access list or the
    /// key's role, not the user written. Sending the rest would only repeat it.
    static func isSharedByEveryWrite(_ error: AtlasError) -> Bool {
        switch error.remedy {
        case .checkCredentials, .checkServiceAccountSecret, .addAddressToAccessList, .needsOrganizationOwner: true
        default: false
        }
    }

    static func forError(_ error: AtlasError) -> ApplyOutcome {
        if case .api = error.kind, !error.isTransient { return .refused(error) }
        if case .httpStatus = error.kind, !error.isTransient { return .refused(error) }
        return .failed(error)
    }
}

/// Where an apply run is.
public enum ApplyPhase: Hashable, Sendable {
    case idle
    /// Reading the affected users again to find conflicts.
    case rereading(count: Int)
    /// Writes are out; `done` of `total` have answered.
    case writing(done: Int, total: Int)
    /// The run is over; outcomes are in ``ReviewState/outcomes``.
    case finished
}

/// The review pane: the cursor over the review rows, the apply run and its outcomes.
public struct ReviewState: Hashable, Sendable {
    public var cursor: Int = 0
    public var phase: ApplyPhase = .idle
    /// The outcome of the last run for each user it touched.
    public var outcomes: [String: ApplyOutcome] = [:]
    /// Edits applied by the last run: they left the pending list but are still listed with their outcome.
    public var appliedEdits: [String: PendingEdit] = [:]
    /// Increases with every run, so late answers of an older run are ignored.
    public var batch: Int = 0
    /// Users of the current run whose write has not answered yet.
    var outstanding: Set<String> = []
    /// The run's writes, held until their intents are on disk, then sent a window at a time so a
    /// refusal every write shares stops the run before the rest go out.
    var queuedWrites: [Effect] = []
    /// The first of ``queuedWrites`` not sent yet.
    var nextWrite = 0
    /// The refusal every write shares that stopped the run, if one did.
    public internal(set) var stoppedBy: AtlasError?
    /// Outcomes answered but not yet appended to the journal: they go in batches, each with a draft
    /// save, so a 1,000-user run does not fsync 2,000 times. A crash loses at most a batch of them,
    /// and the next start recovers those from the intents and the server.
    var unflushedOutcomes: [JournalEntry] = []
    /// Users of the run the server already held the wanted roles for: done without a write.
    var alreadyDone: Int = 0
    var writesTotal: Int = 0
    /// Users the current run covers, in review order.
    var runUserIds: [String] = []
    /// ``appliedEdits`` in run order, kept between frames: a write's answer changes the pending edits
    /// (it leaves them), a new run changes ``batch``, so those two, and the count, are the key.
    let keptApplied = KeptValue<AppliedKey, [PendingEdit]>()
    /// The summary over the pending edits and the users (their owners are counted).
    let keptSummary = KeptValue<EditsAndUsers, ReviewSummary>()
    /// The run's outcomes grouped by error; a new answer changes the count, a retry the edits' revision.
    let keptGroups = KeptValue<AppliedKey, [OutcomeGroup]>()

    struct AppliedKey: Equatable, Sendable {
        var edits: UInt64
        var batch: Int
        var count: Int
    }

    public init() {}

    /// True while a run is re-reading or writing: edits are refused meanwhile.
    public var isRunning: Bool {
        switch phase {
        case .rereading, .writing: true
        case .idle, .finished: false
        }
    }
}
