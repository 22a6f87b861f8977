"""End-to-end: a few trials of `scripts/kill-loop.py` (the full loop runs 30 and more by hand): `set`, and the screen,
killed by SIGKILL, SIGHUP or SIGTERM in the middle of an apply, run again, and the server, the output
and both journals checked."""

import subprocess
import sys

from wire_sandbox import repo_root


def test_an_apply_killed_mid_run_finishes_with_every_edit_once_and_a_true_journal():
    script = repo_root() / "scripts" / "kill-loop.py"
    result = subprocess.run(
        [sys.executable, str(script), "--trials", "3", "--users", "80", "--latency-ms", "60", "--seed", "3"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert "failed trials 0" in summary and "missing 0" in summary and "repeated 0" in summary, summary


def test_the_screen_killed_mid_apply_finishes_after_a_restart_with_every_edit_once():
    """The same checks with the screen in tmux: filter, mark all, toggle, review, typed confirmation,
    a kill at a random point, then the restarted screen's restore and apply."""
    script = repo_root() / "scripts" / "kill-loop.py"
    result = subprocess.run(
        [sys.executable, str(script), "--screen", "--trials", "2", "--users", "60", "--latency-ms", "200",
         "--seed", "4"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert "failed trials 0" in summary and "conflicts 0" in summary and "repeated 0" in summary, summary
