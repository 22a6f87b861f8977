"""End-to-end: Ctrl-Z and fg, with the program typed into an interactive job-control shell in tmux.

While stopped, the shell must get a usable terminal (its prompt on the main screen, canonical mode with
echo, a visible cursor); after `fg` every cell of the frame must be back (the program keeps its own
frame diff, which means nothing once the shell has drawn over the screen) and keys must work.
"""


from e2e_support import Tui, wait_until
from test_tui import open_user, pick_user, toggle_read_only, wait_loaded

SHELL = Tui.SHELL_PROMPT


def shell_prompt_is_last(tui):
    lines = [line for line in tui.lines() if line.strip()]
    return bool(lines) and lines[-1].rstrip() == SHELL.rstrip()


def suspend(tui):
    """Ctrl-Z, then waits for the shell to report the stopped job and show its prompt again."""
    tui.send("C-z")
    wait_until(lambda: "Stopped" in tui.screen() and shell_prompt_is_last(tui),
               message="the shell to report the stopped job:\n" + tui.screen())


def assert_terminal_is_the_shells(tui):
    assert tui.pane("alternate_on") == "0", "the main screen is back while stopped"
    assert tui.pane("cursor_flag") == "1", "the cursor is visible while stopped"
    tui.type("stty -a")
    tui.send("Enter")
    wait_until(lambda: "icanon" in tui.screen() and shell_prompt_is_last(tui),
               message="stty's output:\n" + tui.screen())
    text = tui.screen()
    modes = set(text.split())
    assert "icanon" in modes and "-icanon" not in modes, text
    assert "echo" in modes and "-echo" not in modes, text
    assert "isig" in modes, text


def resume(tui, expected_screen):
    """`fg`, then waits for every line of the frame to be exactly what it was before Ctrl-Z."""
    tui.type("fg")
    tui.send("Enter")
    wait_until(lambda: tui.screen() == expected_screen,
               message="the whole frame to be redrawn after fg; expected:\n" + expected_screen + "\nscreen:\n"
               + tui.screen())
    assert tui.pane("alternate_on") == "1"
    assert tui.pane("cursor_flag") == "0"


def test_ctrl_z_gives_the_shell_a_sane_terminal_and_fg_redraws_everything(sandbox, launch):
    tui = launch(in_shell=True)
    wait_loaded(tui)
    tui.send("j")
    wait_until(lambda: tui.lines()[3].startswith("›"), message="j to move the cursor")
    before = tui.screen()

    suspend(tui)
    assert_terminal_is_the_shells(tui)
    resume(tui, before)

    # Keys reach the program again: k moves the cursor back up.
    tui.send("k")
    wait_until(lambda: tui.lines()[2].startswith("›"), message="k to move the cursor after fg")


def test_ctrl_z_while_typing_a_filter_keeps_the_filter_being_typed(sandbox, launch):
    user = pick_user(sandbox, sandbox.org(0)["id"])
    email = user["username"]
    tui = launch(in_shell=True)
    wait_loaded(tui)
    tui.type("/")
    tui.type(email[:4])
    tui.wait_for("/" + email[:4])
    before = tui.screen()

    suspend(tui)
    assert_terminal_is_the_shells(tui)
    resume(tui, before)

    # Still editing the filter: the rest of the email narrows it to the one user, Enter keeps it.
    tui.type(email[4:])
    tui.wait_for("/" + email)
    tui.send("Enter")
    wait_until(lambda: "1 shown · " in tui.lines()[0], message="the filter to keep one user")


def test_ctrl_z_with_pending_edits_keeps_them_and_a_resize_while_stopped_is_seen(sandbox, launch):
    org = sandbox.org(0)
    user = pick_user(sandbox, org["id"])
    tui = launch(in_shell=True)
    wait_loaded(tui)
    open_user(tui, user["username"])
    toggle_read_only(tui)
    tui.send("Escape")
    tui.wait_for("pending 1")

    suspend(tui)
    assert_terminal_is_the_shells(tui)
    # No SIGWINCH reaches a stopped background job: the new size must be read on resume.
    tui.resize(150, 40)
    tui.type("fg")
    tui.send("Enter")
    tui.wait_for("LAST APPLY")
    wait_until(lambda: len(tui.lines()) >= 40 and tui.lines()[39].startswith(" j/k move"),
               message="the status line on the last row of the 40-row terminal:\n" + tui.screen())
    assert "pending 1" in tui.screen()
    assert SHELL.rstrip() not in tui.screen()

    # The edit survived: the review shows it, and nothing was sent.
    tui.send("s")
    tui.wait_for("Review")
    sign = "-" if "ORG_READ_ONLY" in user["roles"]["orgRoles"] else "+"
    tui.wait_for(sign + "Read Only")
    assert set(sandbox.roles(org["id"], user["id"])) == set(user["roles"]["orgRoles"])
