import RoleEditor

extension KeyBinding {
    /// Every key of the program, in the order the `?` overlay lists them.
    ///
    /// The keys are DESIGN.md's (the end-to-end tests drive exactly these); README.md's key table is
    /// checked against this one. A key is bound at most once per context.
    static let table: [KeyBinding] =
        motion + filter + view + list + checklist + review + anyPane + anywhere + prompt
        + typedAnswer + helpOverlay + inviteFormKeys

    private static let users = KeyContext.pane(.users)
    private static let editing: [KeyContext] = [.pane(.users), .pane(.checklist), .pane(.review)]

    private static let move = KeyHelp("j/k, arrows", "move")
    private static let ends = KeyHelp("g/G, Home/End", "top/bottom")
    private static let page = KeyHelp("PgUp/PgDn, Ctrl-F/Ctrl-B", "page")

    private static let motion: [KeyBinding] = [
        KeyBinding(
            [.character("j"), .down], in: KeyContext.panes, .action(.moveCursor(1)), help: move,
            hint: KeyHint(
                [.character("j"), .character("k")], "move", priority: 10,
                panes: [.orgPicker, .users, .checklist, .journal])),
        KeyBinding([.character("k"), .up], in: KeyContext.panes, .action(.moveCursor(-1)), help: move),
        KeyBinding([.character("g"), .home], in: KeyContext.panes, .action(.top), help: ends),
        KeyBinding([.character("G"), .end], in: KeyContext.panes, .action(.bottom), help: ends),
        KeyBinding([.pageDown, .control("f")], in: KeyContext.panes, .action(.pageDown), help: page),
        KeyBinding([.pageUp, .control("b")], in: KeyContext.panes, .action(.pageUp), help: page),
    ]

    /// `/` and the keys of the filter line while it is typed (the arrows and PgUp/PgDn move there as
    /// in the panes, and their entries say so).
    private static let filterHelp = KeyHelp(
        "/", "filter (Enter keeps it, Esc clears it, Backspace erases)",
        details: ["role:owner status:pending login:>90d; a,b either; -term not"])
    private static let matchHelp = KeyHelp("n/N", "next match")

    private static let filter: [KeyBinding] = [
        KeyBinding(
            [.character("/")], in: [users], .action(.filterBegin), help: filterHelp,
            hint: KeyHint([.character("/")], "filter", priority: 20, panes: [.users])),
        KeyBinding(.anyCharacter, in: [.filterLine], .typeIntoFilter, help: filterHelp),
        KeyBinding([.backspace], in: [.filterLine], .action(.filterBackspace), help: filterHelp),
        KeyBinding([.enter], in: [.filterLine], .action(.filterCommit), help: filterHelp),
        KeyBinding([.escape], in: [.filterLine], .action(.filterCancel), help: filterHelp),
        // The list stays navigable while typing, like a fuzzy finder.
        KeyBinding([.down], in: [.filterLine], .action(.moveCursor(1)), help: move),
        KeyBinding([.up], in: [.filterLine], .action(.moveCursor(-1)), help: move),
        KeyBinding([.pageDown], in: [.filterLine], .action(.pageDown), help: page),
        KeyBinding([.pageUp], in: [.filterLine], .action(.pageUp), help: page),
    ]

    private static let sortHelp = KeyHelp(
        "o / O", "cycle sort: email, name, last login, roles / reverse it",
        details: ["the sorted column's title shows ▲, or ▼ once reversed"])
    private static let mouseHelp = KeyHelp(
        "mouse", "click selects a row, the wheel moves",
        details: ["a click on the selected role toggles it (checklist)", "--no-mouse leaves the mouse to the terminal"])

    /// How the list is looked at: its order, copying from it, the mouse.
    private static let view: [KeyBinding] = [
        KeyBinding([.character("o")], in: [users], .action(.cycleSort), help: sortHelp),
        KeyBinding([.character("O")], in: [users], .action(.reverseSort), help: sortHelp),
        KeyBinding(
            [.character("c")], in: [users], .copyEmail,
            help: KeyHelp("c", "copy the selected user's email (OSC 52: works over SSH)")),
        KeyBinding(.mouse, in: KeyContext.panes, .pointer, help: mouseHelp),
    ]

    private static let space = KeyHelp("Space", "mark a user, move down (list) / toggle a role (checklist)")
    private static let enter = KeyHelp(
        "Enter", "edit roles (list) / back to the list (checklist)",
        details: ["open an org (picker) / a run, then revert it (journal)"])

    private static let membership = KeyHelp("x / i", "remove / invite")

    private static let marks = KeyHelp("a / U", "mark every shown user / clear every mark")

    private static let list: [KeyBinding] = [
        KeyBinding(
            [.character(" ")], in: [users], .action(.toggleMark), help: space,
            hint: KeyHint([.character(" ")], "mark", priority: 30, panes: [.users])),
        KeyBinding([.character("n")], in: [users], .action(.nextMatch), help: matchHelp),
        KeyBinding([.character("N")], in: [users], .action(.previousMatch), help: matchHelp),
        // Membership: `x` stages removals (a PENDING row: the invitation's cancellation), reviewed and
        // confirmed like every other edit.
        KeyBinding([.character("x")], in: [users], .action(.stageRemovals), help: membership),
        KeyBinding([.character("i")], in: [users], .action(.openInviteForm), help: membership),
        KeyBinding([.character("a")], in: [users], .action(.markAllShown), help: marks),
        // htop's "untag all": the same program whose Space marks and moves down.
        KeyBinding(
            [.character("U")], in: [users], .action(.clearMarks), help: marks,
            hint: KeyHint([.character("U")], "clear marks", priority: 95, panes: [.users])),
        KeyBinding(
            [.enter], in: [users], .action(.activate), help: enter,
            hint: KeyHint([.enter], "edit", priority: 40, panes: [.users])),
    ]

    private static let checklist: [KeyBinding] = [
        KeyBinding(
            [.character(" ")], in: [.pane(.checklist)], .action(.toggleRole), help: space,
            hint: KeyHint([.character(" ")], "toggle", priority: 30, panes: [.checklist])),
        KeyBinding(
            [.enter], in: [.pane(.checklist)], .action(.activate), help: enter,
            hint: KeyHint([.enter, .escape], "back", priority: 40, panes: [.checklist])),
        KeyBinding(
            [.enter], in: [.pane(.orgPicker)], .action(.activate), help: enter,
            hint: KeyHint([.enter], "open", priority: 40, panes: [.orgPicker])),
        KeyBinding(
            [.enter], in: [.pane(.journal)], .action(.activate), help: enter,
            hint: KeyHint([.enter], "open run / revert it", priority: 40, panes: [.journal])),
        KeyBinding(
            [.character("s")], in: [users, .pane(.checklist)], .action(.openReview),
            help: KeyHelp("s", "review pending edits"),
            hint: KeyHint([.character("s")], "review", priority: 50, panes: [.users, .checklist])),
    ]

    private static let apply = KeyHelp("y or Enter", "apply (review); n or Esc goes back")

    private static let undoRedo = KeyHelp("u / Ctrl-R", "undo / redo the last edit step")

    private static let review: [KeyBinding] = [
        KeyBinding(
            [.character("y"), .enter], in: [.pane(.review)], .action(.confirmApply), help: apply,
            hint: KeyHint([.character("y"), .enter], "apply", priority: 10, panes: [.review])),
        KeyBinding(
            [.character("n")], in: [.pane(.review)], .action(.back), help: apply,
            hint: KeyHint([.character("n"), .escape], "back", priority: 20, panes: [.review])),
        KeyBinding(
            [.character("R")], in: [.pane(.review)], .action(.retryFailed),
            help: KeyHelp("R", "retry refused and failed writes"),
            hint: KeyHint([.character("R")], "retry failed", priority: 30, panes: [.review])),
        KeyBinding(
            [.character("b")], in: [.pane(.review)], .action(.rebaseConflicts),
            help: KeyHelp("b", "re-base conflicts on the server's roles"),
            hint: KeyHint([.character("b")], "re-base conflicts", priority: 35, panes: [.review])),
        // From the review too: right after an apply is when one wants to look at (or revert) the run.
        KeyBinding(
            [.character("J")], in: editing, .action(.openJournal),
            help: KeyHelp("J", "journal: revert an earlier apply")),
        KeyBinding(
            [.character("u")], in: editing, .action(.undo), help: undoRedo,
            hint: KeyHint([.character("u")], "undo", priority: 60, panes: [.users, .checklist, .review])),
        // vim's pair: `u` undoes, Ctrl-R redoes (lazygit's z/Z would leave `u` orphaned).
        KeyBinding(
            [.control("r")], in: editing, .action(.redo), help: undoRedo,
            hint: KeyHint([.control("r")], "redo", priority: 65, panes: [.review])),
        // lazygit's `d`: discard the change under the cursor, the rest stay.
        KeyBinding(
            [.character("d")], in: [.pane(.review)], .action(.dropEdit),
            help: KeyHelp("d", "drop the edit under the cursor (review)"),
            hint: KeyHint([.character("d")], "drop edit", priority: 40, panes: [.review])),
    ]

    private static let quit = KeyHelp("q, Ctrl-C", "quit (asks while edits are pending)")

    private static let anyPane: [KeyBinding] = [
        KeyBinding(
            [.character("?")], in: KeyContext.panes, .action(.help), help: KeyHelp("?", "help"),
            hint: KeyHint([.character("?")], "help", priority: 80, panes: [.users])),
        KeyBinding(
            [.character("r")], in: KeyContext.panes, .action(.reload), help: KeyHelp("r", "reload users"),
            hint: KeyHint([.character("r")], "reload", priority: 70, panes: [.orgPicker, .users])),
        KeyBinding(
            [.escape], in: KeyContext.panes, .action(.back), help: KeyHelp("Esc", "back one pane"),
            hint: KeyHint([.escape], "back", priority: 50, panes: [.journal])),
        // Also when the terminal is too small: leaving is the one thing that still makes sense there.
        KeyBinding(
            [.character("q")], in: KeyContext.panes + [.tooSmall], .action(.quit), help: quit,
            hint: KeyHint([.character("q")], "quit", priority: 90, panes: [.orgPicker, .users])),
    ]

    private static let anywhere: [KeyBinding] = [
        // Ctrl-C reaches the program as SIGINT (the terminal is in cbreak mode); the loop turns it back
        // into this key.
        KeyBinding([.control("c")], in: [.anywhere], .action(.quit), help: quit),
        KeyBinding([.control("l")], in: [.anywhere], .redraw, help: KeyHelp("Ctrl-L", "redraw")),
        // Likewise Ctrl-Z arrives as SIGTSTP.
        KeyBinding([.control("z")], in: [.anywhere], .suspend, help: KeyHelp("Ctrl-Z", "suspend (fg resumes)")),
    ]

    /// A question's answers; the first key of each is the one a question names ("(y/n)"). A capital
    /// Y or N answers too (Caps Lock on); help writes them once.
    private static let prompt: [KeyBinding] = [
        KeyBinding(
            [.character("y"), .character("Y"), .enter], in: [.prompt], .action(.answerPrompt(true)),
            help: KeyHelp("y / Enter", "yes")),
        KeyBinding(
            [.character("n"), .character("N"), .escape], in: [.prompt], .action(.answerPrompt(false)),
            help: KeyHelp("n / Esc", "no")),
    ]

    private static let typedCount = KeyHelp(
        "digits, Enter", "a large apply: type its number of users, Enter applies (Esc cancels, Backspace erases)")

    /// The typed confirmation of a large apply; its digits travel as filter text.
    private static let typedAnswer: [KeyBinding] = [
        KeyBinding(.anyCharacter, in: [.typedAnswer], .typeIntoFilter, help: typedCount),
        KeyBinding([.backspace], in: [.typedAnswer], .action(.filterBackspace), help: typedCount),
        KeyBinding([.enter], in: [.typedAnswer], .action(.answerPrompt(true)), help: typedCount),
        KeyBinding([.escape], in: [.typedAnswer], .action(.answerPrompt(false)), help: typedCount),
    ]

    /// The help scrolls with the panes' motion keys when it is taller than the terminal.
    static let helpScrollHelp = KeyHelp(
        "j/k, g/G, PgUp/PgDn", "scroll", details: ["arrows, Home/End, Ctrl-F/Ctrl-B too"])

    private static let inviteFormHelp = KeyHelp(
        "in the invite form",
        "Tab next field, arrows move, Space toggles, Backspace erases, Enter a new line (addresses) or invite, "
            + "Esc cancels")

    /// The invite form's keys (its box names them); its typed text travels as filter text.
    private static let inviteFormKeys: [KeyBinding] = [
        KeyBinding(.anyCharacter, in: [.inviteForm], .typeIntoFilter, help: inviteFormHelp),
        KeyBinding([.backspace], in: [.inviteForm], .action(.filterBackspace), help: inviteFormHelp),
        KeyBinding([.enter], in: [.inviteForm], .action(.inviteForm(.enter)), help: inviteFormHelp),
        KeyBinding([.tab], in: [.inviteForm], .action(.inviteForm(.nextField)), help: inviteFormHelp),
        KeyBinding([.down], in: [.inviteForm], .action(.inviteForm(.move(1))), help: inviteFormHelp),
        KeyBinding([.up], in: [.inviteForm], .action(.inviteForm(.move(-1))), help: inviteFormHelp),
        KeyBinding([.escape], in: [.inviteForm], .action(.inviteForm(.cancel)), help: inviteFormHelp),
    ]

    /// `update` closes the help on any other intent and swallows it; `.help` says so plainly.
    private static let helpOverlay: [KeyBinding] = [
        KeyBinding([.character("j"), .down], in: [.helpOverlay], .scrollHelp(.lines(1)), help: helpScrollHelp),
        KeyBinding([.character("k"), .up], in: [.helpOverlay], .scrollHelp(.lines(-1)), help: helpScrollHelp),
        KeyBinding([.pageDown, .control("f")], in: [.helpOverlay], .scrollHelp(.pages(1)), help: helpScrollHelp),
        KeyBinding([.pageUp, .control("b")], in: [.helpOverlay], .scrollHelp(.pages(-1)), help: helpScrollHelp),
        KeyBinding([.character("g"), .home], in: [.helpOverlay], .scrollHelp(.top), help: helpScrollHelp),
        KeyBinding([.character("G"), .end], in: [.helpOverlay], .scrollHelp(.bottom), help: helpScrollHelp),
        KeyBinding(.mouse, in: [.helpOverlay], .pointer, help: helpScrollHelp),
        KeyBinding(.anyKey, in: [.helpOverlay], .action(.help), help: KeyHelp("any key", "closes")),
    ]
}
