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


LEFT, RIGHT, RELEASE = 0, 2, 3


def x10_report(button, row, column):
    """One mouse report at a cell (0-based) as a terminal in mode 1000 sends it (the mode ncurses asks
    for with this TERM's `kmous=\\E[M`); mode 1000 reports a release without saying which button."""
    return ["1b", "5b", "4d", f"{32 + button:02x}", f"{33 + column:02x}", f"{33 + row:02x}"]


def x10_click(tui, row, column):
    """A quick left click: press and release back to back in one write, as a terminal reports a click
    whose release follows within a millisecond."""
    tui.send_hex(*x10_report(LEFT, row, column), *x10_report(RELEASE, row, column))


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


def test_the_program_keeps_drawing_after_a_release_or_a_right_click_without_waiting_for_a_key(sandbox, launch):
    """A report outside ncurses' mouse mask (a release on its own, as a hand clicks, or the right
    button) made wgetch discard it and block in read(2) until the next key: no redraw, no resize, no
    progress. A resize is redrawn without any key after each."""
    tui = launch(width=100, height=30)
    wait_loaded(tui)
    wait_until(lambda: tui.pane("mouse_any_flag") == "1", message="the program to ask for mouse reports")
    target = tui.lines()[6][4:].split()[0]
    tui.send_hex(*x10_report(LEFT, 6, 10))
    wait_until(lambda: tui.lines()[6].startswith("›"), message="the press to select the fifth row:\n" + tui.screen())
    tui.send_hex(*x10_report(RELEASE, 6, 10))
    tui.resize(60, 20)
    # At 60 columns the roles column moves left into view: only a redraw at the new size shows it.
    wait_until(lambda: "ROLES" in tui.lines()[1], message="a redraw at 60 columns after the release:\n" + tui.screen())
    tui.send_hex(*x10_report(RIGHT, 3, 10), *x10_report(RELEASE, 3, 10))
    tui.resize(100, 30)
    wait_until(lambda: "LOGIN" in tui.lines()[1], message="a redraw at 100 columns after a right click:\n" + tui.screen())
    assert selected_email(tui) == target, "the right button selected a row:\n" + tui.screen()


def role_row(tui, name):
    """The screen row of a role of the checklist."""
    return next(y for y, line in enumerate(tui.lines()) if name in line and "] " in line)


def settled_screen(tui):
    """The screen once two captures half a second apart agree: the user's teams and projects arrive
    after the checklist opens and push its roles down."""
    last = [tui.screen()]

    def unchanged():
        time.sleep(0.5)
        screen = tui.screen()
        same, last[0] = screen == last[0], screen
        return same

    return wait_until(unchanged, message="the checklist to settle")


def test_a_click_on_a_role_moves_to_it_and_a_click_on_the_selected_role_toggles_it(sandbox, launch):
    tui = launch(width=100, height=30)
    wait_loaded(tui)
    tui.send("Enter")
    tui.wait_for("Roles for ")
    settled_screen(tui)
    row = role_row(tui, "Billing Viewer")
    mark = tui.lines()[row][2:5]
    x10_click(tui, row, 20)
    wait_until(lambda: tui.lines()[row].startswith("›"), message="the click to select the role:\n" + tui.screen())
    assert tui.lines()[row][2:5] == mark, "the first click toggled the role:\n" + tui.screen()
    x10_click(tui, row, 20)
    toggled = "[x]" if mark == "[ ]" else "[ ]"
    wait_until(lambda: tui.lines()[row][2:5] == toggled, message="the second click to toggle:\n" + tui.screen())
    assert "was " + mark in tui.lines()[row], tui.screen()


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
