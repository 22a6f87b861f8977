"""Counts the bytes atlas-roles writes to its terminal: per first paint, per cursor move, per filter key.

Runs the program under a pseudo-terminal of a fixed size (no tmux in between, so every byte is the
program's own) and reads until the output goes quiet after each key. Used by test_bandwidth.py and
runnable by hand:  python3 Tests/python/e2e/ptymeter.py -- <command...>  (environment passed through).
"""

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

QUIET = 0.25  # seconds of silence that end a frame


class PtyProgram:
    def __init__(self, argv, env, columns=100, rows=30):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.kill(self.pid, signal.SIGWINCH)
        self.transcript = b""

    def read_until_quiet(self, deadline=20.0, must_contain=None):
        """Bytes until `QUIET` seconds pass with no output (and `must_contain` was seen, when given)."""
        chunk = b""
        end = time.monotonic() + deadline
        last_output = time.monotonic()
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                chunk += data
                last_output = time.monotonic()
                continue
            seen = must_contain is None or re.search(must_contain, chunk + self.transcript[-4096:])
            if chunk and seen and time.monotonic() - last_output >= QUIET:
                break
        self.transcript += chunk
        return chunk

    def send(self, data):
        os.write(self.fd, data)

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def measure(argv, env, columns=100, rows=30, moves=10, filter_text="user1", loaded=rb"\d[\d,]* users"):
    """Returns {'first_paint': n, 'moves': [n...], 'filter_keys': [n...]} in bytes."""
    program = PtyProgram(argv, env, columns, rows)
    try:
        first = program.read_until_quiet(must_contain=loaded)
        results = {"first_paint": len(first), "moves": [], "filter_keys": []}
        for _ in range(moves):
            program.send(b"j")
            results["moves"].append(len(program.read_until_quiet()))
        program.send(b"/")
        program.read_until_quiet()
        for character in filter_text:
            program.send(character.encode())
            results["filter_keys"].append(len(program.read_until_quiet()))
        program.send(b"\x1b")
        program.read_until_quiet()
        return results
    finally:
        program.stop()


def main():
    if "--" not in sys.argv:
        print(__doc__)
        return 2
    argv = sys.argv[sys.argv.index("--") + 1:]
    env = dict(os.environ)
    env.setdefault("TERM", "xterm-256color")
    env.setdefault("LANG", "C.UTF-8")
    results = measure(argv, env)
    moves = sorted(results["moves"])
    keys = sorted(results["filter_keys"])
    print(f"first paint: {results['first_paint']} bytes")
    print(f"cursor move (j): median {moves[len(moves) // 2]}, max {moves[-1]} bytes  {results['moves']}")
    print(f"filter keystroke: median {keys[len(keys) // 2]}, max {keys[-1]} bytes  {results['filter_keys']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
