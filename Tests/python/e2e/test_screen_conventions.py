"""End-to-end: the list's conventions a k9s or lazygit user expects, on a real terminal (tmux).

A sort arrow and `O` to reverse it, counts in words, help that scrolls at 40×12, the invitation status
at 40 columns, `c` copying the selected email through OSC 52 into tmux's buffer, and the mouse: a click
selects, and reporting is off again on every way out (quit, Ctrl-Z, SIGTERM), so the shell never
receives mouse reports.
"""

import os
import re
import signal
import time

from e2e_support import wait_until
from test_job_control import SHELL, shell_prompt_is_last, suspend
from test_tui import loaded_count, wait_loaded


def selected_email(tui):
    """The email on the cursor's row (the row that starts with ›)."""
    row = next((line for line in tui.lines()[2:-1] if line.startswith("›")), None)
    assert row is not None, tui.screen()
    return row[4:].split()[0]


def shown_emails(tui):
    return [line[4:].split()[0] for line in tui.lines()[2:-1] if "@" in line[4:].split(" ", 1)[0]]


def x10_click(tui, row, column):
    """A left-button press and release at a cell (0-based), as a terminal in mode 1000 reports them
    (the mode ncurses asks for with this TERM's `kmous=\\E[M`), a moment apart as a hand clicks."""
    for button in (0, 3):
        tui.send_hex("1b", "5b", "4d", f"{32 + button:02x}", f"{33 + column:02x}", f"{33 + row:02x}")
        time.sleep(0.1)


def test_the_sort_shows_its_arrow_and_O_reverses_it_keeping_the_selected_user(sandbox, launch):
    tui = launch(width=80, height=24)
    wait_loaded(tui)
    assert "sort: email ▲" in tui.lines()[0]
    assert "EMAIL ▲" in tui.lines()[1]
    tui.send("j", "j")
    wait_until(lambda: tui.lines()[4].startswith("›"), message="j j to move the cursor")
    selected = selected_email(tui)

    tui.send("O")
    tui.wait_for("sort: email ▼")
    assert "EMAIL ▼" in tui.lines()[1]
    assert selected_email(tui) == selected, tui.screen()
    emails = shown_emails(tui)
    assert emails == sorted(emails, key=str.lower, reverse=True), tui.screen()

    tui.send("o")
    tui.wait_for("sort: name ▲")
    assert selected_email(tui) == selected, tui.screen()


def test_the_counts_read_the_same_at_40_80_and_160_columns(sandbox, launch):
    users = sandbox.users(sandbox.org()["id"])
    total = len(users)
    tui = launch(width=40, height=12)
    wait_loaded(tui)
    assert loaded_count(tui.screen()) == total
    email = users[0]["username"]
    tui.type("/" + email)
    tui.send("Enter")
    counts = f"1 shown · {total:,} users"
    tui.wait_for(counts)
    for width in (80, 160):
        tui.resize(width, 24)
        wait_until(lambda: counts in tui.lines()[0] and len(tui.lines()[0]) > 40,
                   message=f"the counts at {width} columns:\n" + tui.screen())


def test_the_help_scrolls_at_40x12_and_ends_with_the_role_legend(sandbox, launch):
    tui = launch(width=40, height=12)
    wait_loaded(tui)
    tui.send("?")
    tui.wait_for("↓ more below")
    assert "↑ more above" not in tui.screen()
    assert "any other key closes" in tui.screen()
    tui.send("G")
    tui.wait_for("↑ more above")
    tui.wait_for("RO Read Only")
    assert "↓ more below" not in tui.screen()
    tui.send("k")
    tui.wait_for("↓ more below")
    # Any other key closes it, and does nothing else.
    tui.send("x")
    tui.wait_gone("more above")
    wait_until(lambda: "EMAIL/STATUS" in tui.lines()[1], message="the list back:\n" + tui.screen())


def test_an_invitations_status_shows_at_40_columns(sandbox, launch):
    invitation = next(u for u in sandbox.users(sandbox.org()["id"]) if u["orgMembershipStatus"] != "ACTIVE")
    label = {"PENDING": "PENDING", "INVITATION_EXPIRED": "EXPIRED", "INVITATION_REJECTED": "REJECTED"}[
        invitation["orgMembershipStatus"]]
    tui = launch(width=40, height=12)
    wait_loaded(tui)
    tui.type("/" + invitation["username"])
    tui.send("Enter")
    tui.wait_for("1 shown · ")
    row = next(line for line in tui.lines()[2:-1] if line.startswith("›"))
    assert label in row, tui.screen()


def test_c_copies_the_selected_email_through_osc_52_into_tmuxs_buffer(sandbox, launch):
    tui = launch(width=100, height=30)
    tui.tmux("set", "-g", "set-clipboard", "on")
    wait_loaded(tui)
    tui.send("j")
    wait_until(lambda: tui.lines()[3].startswith("›"), message="j to move the cursor")
    email = selected_email(tui)
    tui.send("c")
    tui.wait_for(f"copied {email} to the clipboard")
    wait_until(lambda: tui.tmux("show-buffer", check=False).stdout == email,
               message="tmux's buffer to hold the email: " + repr(tui.tmux("show-buffer", check=False).stdout))


def test_a_click_selects_a_row_and_quitting_turns_mouse_reporting_off(sandbox, launch):
    tui = launch(width=100, height=30)
    wait_loaded(tui)
    wait_until(lambda: tui.pane("mouse_any_flag") == "1", message="the program to ask for mouse reports")
    target = tui.lines()[2 + 4][4:].split()[0]
    x10_click(tui, row=2 + 4, column=10)
    wait_until(lambda: tui.lines()[6].startswith("›"), message="the click to select the fifth row:\n" + tui.screen())
    assert selected_email(tui) == target
    tui.send("q")
    assert tui.exit_status() == 0
    assert tui.pane("mouse_any_flag") == "0", "mouse reporting left on after quit"
    assert tui.pane("alternate_on") == "0"


def test_sigterm_and_ctrl_z_turn_mouse_reporting_off(sandbox, launch):
    tui = launch(in_shell=True)
    wait_loaded(tui)
    wait_until(lambda: tui.pane("mouse_any_flag") == "1", message="the program to ask for mouse reports")
    suspend(tui)
    assert tui.pane("mouse_any_flag") == "0", "mouse reporting left on while stopped"
    tui.type("fg")
    tui.send("Enter")
    wait_until(lambda: tui.pane("mouse_any_flag") == "1", message="mouse reports again after fg")
    pid = int(tui.tmux("display-message", "-p", "-t", "0", "#{pane_pid}").stdout.strip())
    children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    os.kill(int(children[0]), signal.SIGTERM)
    wait_until(lambda: shell_prompt_is_last(tui), message="the shell's prompt after SIGTERM:\n" + tui.screen())
    assert tui.pane("mouse_any_flag") == "0", "mouse reporting left on after SIGTERM"
    assert SHELL.rstrip() in tui.screen()


def test_no_mouse_leaves_the_mouse_to_the_terminal(sandbox, launch):
    tui = launch(width=100, height=30, args=("--no-mouse",))
    wait_loaded(tui)
    assert tui.pane("mouse_any_flag") == "0"
    assert re.search(r"\d users", tui.lines()[0]), tui.screen()


def test_a_crash_turns_mouse_reporting_off_with_the_rest_of_the_terminal(sandbox, launch):
    tui = launch(width=100, height=30)
    wait_loaded(tui)
    wait_until(lambda: tui.pane("mouse_any_flag") == "1", message="the program to ask for mouse reports")
    # SIGABRT runs the crash guard, as an assertion failure in the program would.
    os.kill(tui.program_pid(), signal.SIGABRT)
    assert tui.exit_status() == 128 + signal.SIGABRT
    assert tui.pane("mouse_any_flag") == "0", "mouse reporting left on after a crash"
    assert tui.pane("alternate_on") == "0"
    assert tui.stty_after.read_text() == tui.stty_before.read_text()
