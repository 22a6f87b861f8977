/// The help overlay's lines: the key table of DESIGN.md plus this view-model's extra intents.
public enum HelpText {
    public static let lines: [String] = [
        "j/k, arrows     move          g/G, Home/End   top/bottom",
        "PgUp/PgDn, Ctrl-b/Ctrl-f      page",
        "/               filter (Enter keeps it, Esc clears it)",
        "                words match email and name; role:owner, status:pending",
        "o               cycle sort: email, name, last login, roles",
        "Space           mark a user (list) / toggle a role (checklist)",
        "Enter           edit roles (list) / back to the list (checklist)",
        "s               review pending edits",
        "y or Enter      apply (review); n or Esc goes back",
        "R               retry refused and failed writes",
        "b               re-base conflicts on the server's roles",
        "J               journal: revert an earlier apply",
        "u               undo the last pending edit",
        "r               reload users",
        "Esc             back one pane",
        "?               help",
        "q, Ctrl-C       quit (asks while edits are pending)",
        "Ctrl-L          redraw        Ctrl-Z          suspend (fg resumes)",
    ]
}
