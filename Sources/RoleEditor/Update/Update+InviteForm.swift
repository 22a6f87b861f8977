import AtlasAPI

// The invite form: opened with `i` (prefilled on an expired or rejected invitation, to send it
// again), typed and pasted into, and submitted as pending invitations that appear as PENDING rows.
extension EditorState {
    /// Opens the form; on an expired or rejected invitation it is prefilled with its address, roles
    /// and teams.
    mutating func openInviteForm() -> [Effect] {
        guard pane == .users, let orgId else { return [] }
        guard !review.isRunning else {
            flash = Flash("an apply is running; edit when it is done", level: .warning)
            return []
        }
        if let user = list.cursorUser, user.status == .invitationExpired || user.status == .invitationRejected {
            inviteForm = InviteForm(
                text: user.username + "\n", roles: user.orgRoles.isEmpty ? [.member] : user.orgRoles,
                teamIds: user.teamIds)
        } else {
            inviteForm = InviteForm()
        }
        guard !namesRequested else { return [] }
        namesRequested = true
        return [.loadNames(orgId: orgId)]
    }

    /// The teams the form offers: the organization's, by name.
    public var inviteFormTeams: [Team] {
        (names?.teams ?? [:]).map { Team(id: $0.key, name: $0.value) }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    /// Typed text and form keys while the form is open; true when the action was the form's.
    mutating func inviteFormHandles(_ action: Action) -> [Effect]? {
        guard var form = inviteForm else { return nil }
        defer { if inviteForm != nil { inviteForm = form } }
        switch action {
        case .filterInput(let text):
            switch form.field {
            case .addresses: form.text += text
            case .roles, .teams:
                // Space toggles, j/k move: the checklist's keys.
                for character in text {
                    switch character {
                    case " ": toggle(&form)
                    case "j": move(&form, by: 1)
                    case "k": move(&form, by: -1)
                    default: break
                    }
                }
            }
        case .filterBackspace:
            if form.field == .addresses, !form.text.isEmpty { form.text.removeLast() }
        case .inviteForm(let key):
            switch key {
            case .enter:
                if form.field == .addresses {
                    form.text += "\n"
                } else {
                    return submit(&form)
                }
            case .nextField:
                let fields = InviteForm.Field.allCases
                form.field = fields[(fields.firstIndex(of: form.field)! + 1) % fields.count]
            case .move(let delta): move(&form, by: delta)
            case .toggle: toggle(&form)
            case .submit: return submit(&form)
            case .cancel:
                inviteForm = nil
                flash = Flash("nothing invited")
            }
        case .quit:
            return nil
        default:
            break
        }
        return []
    }

    private func move(_ form: inout InviteForm, by delta: Int) {
        switch form.field {
        case .roles: form.roleCursor = max(0, min(OrgRole.known.count - 1, form.roleCursor + delta))
        case .teams: form.teamCursor = max(0, min(max(0, inviteFormTeams.count - 1), form.teamCursor + delta))
        case .addresses: break
        }
    }

    private func toggle(_ form: inout InviteForm) {
        switch form.field {
        case .roles:
            let role = OrgRole.known[form.roleCursor]
            if form.roles.contains(role) { form.roles.remove(role) } else { form.roles.insert(role) }
        case .teams:
            let teams = inviteFormTeams
            guard teams.indices.contains(form.teamCursor) else { return }
            let id = teams[form.teamCursor].id
            if let index = form.teamIds.firstIndex(of: id) {
                form.teamIds.remove(at: index)
            } else {
                form.teamIds.append(id)
            }
        case .addresses: break
        }
    }

    /// Stages the form's invitations, or keeps it open with the reasons inline.
    private mutating func submit(_ form: inout InviteForm) -> [Effect] {
        let addresses = form.addresses
        form.refusal = nil
        guard !addresses.isEmpty else {
            form.refusal = "type or paste at least one address"
            return []
        }
        guard !form.roles.isEmpty else {
            form.refusal = "choose at least one role"
            return []
        }
        // A staged invitation's own PENDING row is not a member: it is said once, as staged.
        let staged = Set(addresses.filter { pending[PendingEdit.invitationKey(for: $0)] != nil })
        form.problems =
            InvitationCheck.problems(addresses, among: list.users).filter { !staged.contains($0.address) }
            + staged.sorted().map { InvitationCheck.Problem(address: $0, reason: "already staged for invitation") }
        guard form.problems.isEmpty else { return [] }
        let edits = addresses.map { PendingEdit.invitation(username: $0, roles: form.roles, teamIds: form.teamIds) }
        pending.apply(step: edits)
        // Shown as PENDING rows before they are sent; the row of an invitation that is dropped,
        // undone or sent goes (see ``dropUnstagedInvitationRows()``).
        list.ingest(
            edits.map {
                OrgUser(
                    id: $0.userId, username: $0.username, status: .pending, orgRoles: $0.target, teamIds: $0.teamIds)
            })
        stagedInvitationRows.formUnion(edits.map(\.userId))
        inviteForm = nil
        flash = Flash("\(edits.count) invitation(s) staged", nextSteps: [.review, .undo])
        return draftEffect()
    }

    /// Takes out the PENDING rows of invitations that are no longer pending edits (dropped, undone,
    /// discarded or sent): run after every action, over those rows only.
    mutating func dropUnstagedInvitationRows() {
        guard !stagedInvitationRows.isEmpty else { return }
        for id in stagedInvitationRows where pending[id] == nil {
            stagedInvitationRows.remove(id)
            list.removeUser(id: id)
        }
    }
}
