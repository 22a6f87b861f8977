"""Whether the tests run under CI (the `CI` environment variable, as CI services set it).

Under CI a skipped test is a failure: a run that skipped something proves nothing about it. The hook
in conftest.py turns every skip into a failure there; fixtures that skip outside CI say why.
"""

import os


def ci_is_set() -> bool:
    """True when `CI` is set to anything but empty, `0` or `false`."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")
