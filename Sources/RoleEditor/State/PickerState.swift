import AtlasAPI

/// The organization picker, shown when no organization is configured.
public struct OrgPickerState: Hashable, Sendable {
    public var organizations: [Organization] = []
    public var cursor: Int = 0
    public var isLoading: Bool = false
    public var error: AtlasError?

    public init() {}

    /// The organizations a key can pick from, as the picker lists them: the deleted ones left out, the
    /// rest by name. `atlas-roles list` resolves a missing `--org` from the same list.
    public static func choices(_ organizations: [Organization]) -> [Organization] {
        organizations.filter { !$0.isDeleted }.sorted { TextFolding.precedes($0.name, $1.name) }
    }
}

/// The journal pane: earlier apply runs of this organization, newest first, for a revert.
public struct JournalState: Hashable, Sendable {
    public var batches: [JournalBatch] = []
    public var cursor: Int = 0
    public var isLoading: Bool = false
    public var error: String?
    /// The run shown whole (each user's before → after and outcome), by index into ``batches``; Enter
    /// on it stages its revert.
    public var openRun: Int?
    /// The first entry of the open run on screen.
    public var runScroll: Int = 0

    public init() {}
}
