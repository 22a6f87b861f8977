"""Bytes on the wire: moving the cursor must cost a handful of bytes, not a screen."""

import os

from ptymeter import measure


def test_cursor_move_sends_under_100_bytes(binary, sandbox, state_dir, tmp_path):
    key = sandbox.api_key
    env = dict(
        os.environ,
        MONGODB_ATLAS_OPS_MANAGER_URL=sandbox.base_url + "/",
        MONGODB_ATLAS_ORG_ID=sandbox.org(0)["id"],
        MONGODB_ATLAS_PUBLIC_API_KEY=key["publicKey"],
        MONGODB_ATLAS_PRIVATE_API_KEY=key["privateKey"],
        XDG_STATE_HOME=str(state_dir),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path),
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    results = measure([binary], env, columns=100, rows=30, moves=10, filter_text="a")
    moves = sorted(results["moves"])
    print(f"\nfirst paint {results['first_paint']} B; per move {results['moves']}; per filter key "
          f"{results['filter_keys']}")
    assert moves[len(moves) // 2] < 100, results
    # A first paint is a screen's worth: well under 100 columns × 30 rows × a few bytes.
    assert results["first_paint"] < 100 * 30 * 4, results
