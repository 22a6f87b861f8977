import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The panes of the program; overlays (help, prompt) are separate so a pane survives them.
public enum Pane: CaseIterable, Hashable, Sendable {
    /// Choosing an organization when none is configured.
    case orgPicker
    case users
    case checklist
    case review
    /// Earlier apply runs, to revert one.
    case journal
}

/// Settings fixed for a session.
public struct EditorConfig: Hashable, Sendable {
    /// The organization to open; nil shows the picker.
    public var orgId: String?
    /// The write used for ACTIVE users (PENDING ones always use the PATCH).
    public var preferredMethod: RoleWriteMethod
    /// Distinguishes this session's apply runs in the journal (`<sessionId>-<n>`).
    public var sessionId: String
    /// Pending edits are saved as a draft after every change. A scripted apply (`atlas-roles set`)
    /// keeps none: its edits live on its command line, and the screen's draft must stay the screen's.
    public var keepsDraft: Bool
    /// An apply of more users than this asks for their number to be typed instead of a `y`.
    public var typedConfirmationAbove: Int
    /// An apply that removes users asks for the number to be typed, however few (a removal cannot be
    /// undone by a write: the user must accept a new invitation). Off where the command line confirms.
    public var typesToConfirmRemovals: Bool

    /// The default of ``typedConfirmationAbove``: more than a screenful of users.
    public static let defaultTypedConfirmationAbove = 25

    public init(
        orgId: String?, preferredMethod: RoleWriteMethod = .putRoles, sessionId: String, keepsDraft: Bool = true,
        typedConfirmationAbove: Int = EditorConfig.defaultTypedConfirmationAbove, typesToConfirmRemovals: Bool = true
    ) {
        self.typesToConfirmRemovals = typesToConfirmRemovals
        self.orgId = orgId
        self.preferredMethod = preferredMethod
        self.sessionId = sessionId
        self.keepsDraft = keepsDraft
        self.typedConfirmationAbove = typedConfirmationAbove
    }
}

/// Everything the program shows and knows, changed only by ``update(_:_:)``.
public struct EditorState: Sendable {
    public var config: EditorConfig
    public internal(set) var pane: Pane
    /// The organization being edited (known once loaded or picked).
    public internal(set) var organization: Organization?
    public internal(set) var orgId: String?
    public internal(set) var picker = OrgPickerState()
    public internal(set) var list = UserListState()
    /// The checklist, while open.
    public internal(set) var checklist: ChecklistState?
    public internal(set) var pending = PendingEdits()
    public internal(set) var review = ReviewState()
    public internal(set) var journal = JournalState()
    /// A question that has the keyboard until answered.
    public internal(set) var prompt: Prompt?
    public internal(set) var showHelp = false
    /// The first help line shown, while the help is taller than the terminal (the screen, which lays
    /// the help out, keeps it in range).
    public internal(set) var helpTop = 0
    public internal(set) var flash: Flash?
    /// What the service is waiting for right now (a 429's Retry-After, a backoff), for the status line.
    public internal(set) var activity: String?
    /// The invite form, while open: it has the keyboard.
    public internal(set) var inviteForm: InviteForm?
    /// Ids of the PENDING rows shown for staged invitations (taken out once they are no longer staged).
    var stagedInvitationRows: Set<String> = []
    /// Team and project names for the checklist header, once read (nil: not asked for yet).
    public internal(set) var names: OrganizationNames?
    /// The user the checklist shows alone, as read for its header (teams and project roles), and
    /// which user was last asked for (nil: none).
    public internal(set) var membershipDetails: OrgUser?
    var membershipDetailsRequested: String?
    var namesRequested = false
    /// Notices shown once per session (deprecation, sunset, switch to PATCH), oldest first.
    public internal(set) var notices: [String] = []
    /// Which call writes whom; switches to the PATCH for good when the PUT answers 410 VERSION_GONE.
    public internal(set) var writeChoice: RoleWriteChoice
    /// The wall-clock time of the last `.tick`, for the login ages in the list; nil before the first
    /// (the ages are then blank rather than counted from a made-up date).
    public internal(set) var now: Date?
    /// Terminal size from the last `.resize`.
    public internal(set) var terminalRows = 24
    public internal(set) var terminalCols = 80
    /// Set once `.quit` has been decided; the screen exits when it sees ``Effect/quit``.
    public internal(set) var isQuitting = false

    /// Lines above and below the user list on screen: title/header, column header, status line.
    public static let listChromeRows = 3

    /// Users per page of the list (the API's maximum, which the client asks for).
    static let listPageSize = 500

    var loadGeneration = 0
    /// Writes of an earlier session the journal has an intent but no outcome for, resolved against
    /// the server's roles once the users are loaded.
    var unresolvedIntents: [JournalEntry] = []
    /// Writes of this session that failed in transit (a timeout, a reset, a 5xx): the server may have
    /// received them. A later re-read that finds their roles journals them as applied.
    var writesInDoubt: [String: JournalEntry] = [:]
    var journalSeen: Set<String> = []

    public init(config: EditorConfig) {
        self.config = config
        self.orgId = config.orgId
        self.pane = config.orgId == nil ? .orgPicker : .users
        self.writeChoice = RoleWriteChoice(preferred: config.preferredMethod)
    }

    /// A state whose organization's users are all loaded already, for applying edits without a screen
    /// (`atlas-roles set` reads the users itself, to find the ones it was named).
    public init(config: EditorConfig, loadedUsers users: UserStore) {
        self.init(config: config)
        list.setUsers(users)
        list.progress.loaded = users.count
        list.progress.total = users.count
        list.progress.isComplete = true
    }

    /// The filter line has the keyboard: printable keys are filter text, not commands.
    public var isTextInputFocused: Bool { prompt == nil && pane == .users && list.isEditingFilter }

    /// The PUT answered 410 VERSION_GONE: every write uses the PATCH from now on.
    public var switchedToPatch: Bool { writeChoice.switchedToPatch }

    /// The roles a user would have once the pending edits are applied.
    public func effectiveRoles(of user: OrgUser) -> Set<OrgRole> {
        pending[user.id]?.target ?? user.orgRoles
    }
}
