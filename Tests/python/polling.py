"""The one polling helper of the Python tests: ask again until a condition holds or a deadline passes.

Every wait in these tests (a ready file, a screen, an HTTP answer) goes through `wait_until`, so none
sleeps to synchronize and each fails with what it last saw. The deadline guards against a hang; it
is not a measure, and no test asserts how long anything took.
"""

import time

DEADLINE = 20.0


def wait_until(predicate, timeout=DEADLINE, interval=0.05, message="condition"):
    """Polls `predicate` until it returns something truthy (and returns that) or the deadline passes."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}; last value: {last!r}")
