"""End-to-end: the filter language in the real screen: an inline error instead of an empty list,
the rows a fixed query gives against the sandbox's own answer, underlined matches, and n/N."""

import re

from e2e_support import wait_until
from test_tui import wait_loaded

ROW = re.compile(r"^\s*(›)?\s*[●*]?\s*(\S+@\S+)")


def shown_rows(tui):
    """(is_cursor, email) of every user row on screen."""
    rows = []
    for line in tui.lines()[2:-1]:
        match = ROW.match(line)
        if match:
            rows.append((match.group(1) is not None, match.group(2)))
    return rows


def cursor_email(tui):
    return next((email for is_cursor, email in shown_rows(tui) if is_cursor), None)


def test_a_typo_is_an_error_beside_the_prompt_and_the_fixed_query_gives_the_owners(sandbox, launch):
    org = sandbox.org()
    users = sandbox.users(org["id"])
    owners = {u["username"] for u in users if "ORG_OWNER" in orgroles(u)}
    tui = launch(width=120, height=40)
    wait_loaded(tui)
    tui.send("/")
    tui.type("role:ownr")
    tui.wait_for("unknown role 'ownr' (did you mean owner?)")
    tui.send("Enter")  # refused: the line stays open with its error
    tui.wait_for("/role:ownr")
    tui.send("BSpace")
    tui.type("er")
    tui.wait_gone("unknown role")
    tui.send("Enter")
    wait_until(lambda: {email for _, email in shown_rows(tui)} == owners,
               message=f"the owners {owners}:\n" + tui.screen())


def orgroles(user):
    roles = user.get("roles")
    if isinstance(roles, dict):
        return roles.get("orgRoles", [])
    return [role.get("roleName") for role in roles or [] if "groupId" not in role]


def test_matches_are_underlined_and_n_moves_between_them(sandbox, launch):
    tui = launch(width=120, height=40)
    wait_loaded(tui)
    tui.send("/")
    tui.type("role:member")
    tui.send("Enter")
    tui.wait_for("role:member")
    wait_until(lambda: len(shown_rows(tui)) >= 3, message=tui.screen())
    first, second = [email for _, email in shown_rows(tui)][:2]
    assert cursor_email(tui) == first, tui.screen()
    tui.send("n")
    wait_until(lambda: cursor_email(tui) == second, message="n to move to the next match:\n" + tui.screen())
    tui.send("N")
    wait_until(lambda: cursor_email(tui) == first, message="N to move back:\n" + tui.screen())

    # A word from the second email, underlined where it occurs.
    word = second.split("@")[0][:4]
    tui.send("Escape", "/")
    tui.type(word)
    tui.send("Enter")
    wait_until(lambda: second in [email for _, email in shown_rows(tui)], message=tui.screen())
    # SGR 4 (underline) switched on right before the word.
    wait_until(lambda: re.search(r"\x1b\[[0-9;]*\b4\b[0-9;]*m" + re.escape(word), tui.screen(escapes=True),
                                 re.IGNORECASE),
               message="the word underlined:\n" + tui.screen(escapes=True))
