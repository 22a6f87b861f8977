import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One user's edit that has not been applied yet: the roles as loaded (base) and the roles wanted.
public struct PendingEdit: Hashable, Sendable, Codable {
    public var userId: String
    /// The user's email, kept so the edit can be shown and journaled before (or without) the list loading.
    public var username: String
    public var status: MembershipStatus
    /// The roles the user had when the edit began (or after a re-base): a write happens only while the
    /// server still holds these.
    public var base: Set<OrgRole>
    public var target: Set<OrgRole>
    /// The journal run this edit takes back, when it was staged by a revert (its journal lines say so).
    public var revertOf: String?
    /// A removal or an invitation instead of a change of roles; nil for a role edit.
    public var membership: MembershipChange?

    public init(
        userId: String, username: String, status: MembershipStatus, base: Set<OrgRole>, target: Set<OrgRole>,
        revertOf: String? = nil, membership: MembershipChange? = nil
    ) {
        self.userId = userId
        self.username = username
        self.status = status
        self.base = base
        self.target = target
        self.revertOf = revertOf
        self.membership = membership
    }

    /// Roles the edit adds, in checklist order.
    public var added: [OrgRole] { target.subtracting(base).sorted() }
    /// Roles the edit removes, in checklist order.
    public var removed: [OrgRole] { base.subtracting(target).sorted() }

    /// The roles `roles` become when a delta is replayed on them (a three-way merge of one user's set).
    public static func replaying(added: Set<OrgRole>, removed: Set<OrgRole>, on roles: Set<OrgRole>) -> Set<OrgRole> {
        roles.union(added).subtracting(removed)
    }
}

/// Every pending edit by user id, with an undo stack of edit steps.
public struct PendingEdits: Sendable {
    /// The edits, by user id.
    public private(set) var byUser: [String: PendingEdit] = [:] {
        didSet { revision = Revision.next() }
    }
    /// Changes with every change of the edits (see ``Revision``): what kept values key on.
    private(set) var revision = Revision.next()
    /// ``sorted`` and the rule findings, computed once per change instead of once per frame (a bulk
    /// edit's review of 80,000 edits would otherwise sort them and check the rules on every key).
    private let keptOrder = KeptValue<UInt64, [PendingEdit]>()
    private let keptFindings = KeptValue<FindingsKey, [RuleFinding]>()

    private struct FindingsKey: Equatable, Sendable {
        var inputs: EditsAndUsers
        var progress: LoadProgress
    }
    /// Each step is what the touched users' edits were before it (nil: no edit), so undo restores them.
    var undoStack: [[String: PendingEdit?]] = []
    /// Steps undone, as what the touched users' edits were before the undo; a new step clears it.
    var redoStack: [[String: PendingEdit?]] = []

    public init() {}

    public var isEmpty: Bool { byUser.isEmpty }
    public var count: Int { byUser.count }
    public subscript(userId: String) -> PendingEdit? { byUser[userId] }

    /// The edits ordered by email, as the review lists them.
    public var sorted: [PendingEdit] {
        keptOrder.value(for: revision) {
            byUser.values.sorted { ($0.username, $0.userId) < ($1.username, $1.userId) }
        }
    }

    /// The rule findings for applying these edits over `users`, kept until the edits, the users or the
    /// load progress change.
    func findings(over users: UserStore, progress: LoadProgress) -> [RuleFinding] {
        let key = FindingsKey(inputs: EditsAndUsers(edits: revision, users: users.revision), progress: progress)
        return keptFindings.value(for: key) {
            RoleRules.findings(for: sorted, users: users, progress: progress)
        }
    }

    /// Steps that `undo` can take back.
    public var undoDepth: Int { undoStack.count }
    /// Undone steps that `redo` can bring back.
    public var redoDepth: Int { redoStack.count }

    /// Sets several users' edits as one undoable step. A role edit whose target equals its base disappears.
    mutating func apply(step changes: [PendingEdit], removing removals: [String] = []) {
        var previous: [String: PendingEdit?] = [:]
        for edit in changes where previous[edit.userId] == nil {
            previous[edit.userId] = .some(byUser[edit.userId])
        }
        for id in removals where previous[id] == nil { previous[id] = .some(byUser[id]) }
        for edit in changes { store(edit) }
        for id in removals { byUser[id] = nil }
        // A step that changed nothing is not worth an undo.
        if previous.contains(where: { byUser[$0.key] != $0.value }) {
            undoStack.append(previous)
            redoStack = []
        }
    }

    /// Takes back the last step; false when there is none.
    mutating func undo() -> Bool {
        guard let step = undoStack.popLast() else { return false }
        redoStack.append(restoring(step))
        return true
    }

    /// Brings back the last undone step; false when there is none.
    mutating func redo() -> Bool {
        guard let step = redoStack.popLast() else { return false }
        undoStack.append(restoring(step))
        return true
    }

    /// Puts `step`'s edits back and returns what they replaced: the step that takes it back again.
    private mutating func restoring(_ step: [String: PendingEdit?]) -> [String: PendingEdit?] {
        var replaced: [String: PendingEdit?] = [:]
        for (id, edit) in step {
            replaced[id] = .some(byUser[id])
            byUser[id] = edit
        }
        return replaced
    }

    /// Changes an edit outside the undo history (a write succeeded, a re-base): those are facts about
    /// the server, not steps a person would undo.
    mutating func set(_ edit: PendingEdit) { store(edit) }

    /// Drops an edit outside the undo history (it was applied).
    mutating func remove(_ userId: String) { byUser[userId] = nil }

    /// Removes `ids` from every undo step: once applied, their old edits cannot come back by undo.
    mutating func forgetHistory(of ids: Set<String>) {
        guard !ids.isEmpty else { return }
        undoStack = undoStack.map { $0.filter { !ids.contains($0.key) } }.filter { !$0.isEmpty }
        redoStack = redoStack.map { $0.filter { !ids.contains($0.key) } }.filter { !$0.isEmpty }
    }

    /// Forgets every edit and the undo history (a discarded draft).
    mutating func removeAll() {
        byUser = [:]
        undoStack = []
        redoStack = []
    }

    private mutating func store(_ edit: PendingEdit) {
        byUser[edit.userId] = edit.target == edit.base && edit.membership == nil ? nil : edit
    }
}
