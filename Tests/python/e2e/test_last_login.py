"""End-to-end: the user list's LAST LOGIN column against the sandbox's lastAuth dates.

The ages are computed here from the API's own answer with the same rules as LoginText, so a wrong
date, a wrong clock or a wrong column would all show.
"""

import math
import re
import time
from datetime import datetime

from e2e_support import wait_until
from test_tui import wait_loaded

AGE = re.compile(r"^(today|never|\d+(?:d|w|mo|y))$")


def expected_age(user, now):
    """LoginText.age: whole 24-hour days; weeks from 7, months (365/12 days) from 30, years from 365."""
    last_auth = user.get("lastAuth")
    if not last_auth:
        return "never" if user["orgMembershipStatus"] == "ACTIVE" else ""
    seconds = now - datetime.fromisoformat(last_auth.replace("Z", "+00:00")).timestamp()
    days = int(max(seconds, 0) // 86_400)
    if days == 0:
        return "today"
    if days < 7:
        return f"{days}d"
    if days < 30:
        return f"{days // 7}w"
    if days < 365:
        return f"{max(1, days * 12 // 365)}mo"
    return f"{days // 365}y"


def staleness(age):
    """Days an age stands for at least, to check the order; no login sorts last."""
    if age in ("", "never"):
        return math.inf
    if age == "today":
        return 0
    number, unit = re.match(r"(\d+)(d|w|mo|y)", age).groups()
    return int(number) * {"d": 1, "w": 7, "mo": 30, "y": 365}[unit]


def shown_ages(tui):
    """(email, age) for every user row: the age is the token after the email that reads as one."""
    rows = []
    for line in tui.lines()[2:-1]:
        tokens = line[4:].split()
        if not tokens or "@" not in tokens[0]:
            continue
        age = next((token for token in tokens[1:] if AGE.match(token)), "")
        rows.append((tokens[0], age))
    return rows


def test_last_login_ages_show_from_100_columns_and_sort_from_the_most_recent(sandbox, launch):
    org = sandbox.org()
    users = {user["username"]: user for user in sandbox.users(org["id"])}
    tui = launch(width=120, height=50)
    wait_loaded(tui)
    tui.wait_for("LAST LOGIN")
    now = time.time()
    rows = shown_ages(tui)
    assert len(rows) == len(users), tui.screen()
    for email, age in rows:
        assert age == expected_age(users[email], now), f"{email}: {age!r}\n{tui.screen()}"

    # email → name → last login: the most recent login first, everyone without one after.
    tui.send("o", "o")
    tui.wait_for("sort: last login")
    order = [staleness(age) for _, age in shown_ages(tui)]
    assert order == sorted(order), tui.screen()


def test_at_80_columns_the_ages_show_only_when_sorted_by_last_login(sandbox, launch):
    tui = launch(width=80, height=24)
    wait_loaded(tui)
    assert "LOGIN" not in tui.lines()[1]
    tui.send("o", "o")
    tui.wait_for("sort: last login")
    # Five cells for the ages, and the sort's arrow: the title gives way to it.
    wait_until(lambda: "LOG ▲" in tui.lines()[1], message="the LOGIN column:\n" + tui.screen())
    # The email keeps its 34 cells: the column header's NAME starts right after them.
    assert tui.lines()[1].index("NAME") == 4 + 34 + 1, tui.screen()
    assert any(age for _, age in shown_ages(tui)), tui.screen()
    tui.send("o")
    tui.wait_for("sort: roles")
    wait_until(lambda: "LOG" not in tui.lines()[1], message="the column to go with the sort")
