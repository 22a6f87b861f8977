#!/usr/bin/env python3
"""A wide-area link on loopback: a TCP relay that holds every chunk for half the round trip each way.

    delay-proxy.py --target 127.0.0.1:8443 --rtt-ms 80 [--port 0] [--log FILE]

Prints the port it listens on, then relays every connection to the target. A chunk read from either
side is written to the other `rtt/2` after it arrived, in order, so requests, answers, TLS handshakes
and Digest challenges each pay the round trip. The TCP handshake the kernel completes at once on
loopback is charged too: nothing a client sends reaches the target before one round trip after the
connection was accepted (a real SYN, SYN-ACK, ACK), plus the half round trip every chunk pays.

With `--log FILE`, one JSON line per closed connection: when it was accepted, when its first byte
from the client arrived and when its last byte to the client left (monotonic seconds), and the bytes
each way. The benchmarks count connections (so TLS handshakes) and round trips from it.
"""

import argparse
import asyncio
import json
import signal
import sys
import time


class Relay:
    def __init__(self, target_host, target_port, rtt, log_path):
        self.target_host, self.target_port = target_host, target_port
        self.half = rtt / 2
        self.rtt = rtt
        self.log_path = log_path

    async def pump(self, reader, writer, not_before, record, direction):
        """Copies reader to writer, each chunk `half` after it arrived (and not before `not_before`)."""
        queue = asyncio.Queue()

        async def read():
            try:
                while True:
                    data = await reader.read(65536)
                    now = time.monotonic()
                    if direction == "up" and data and record["first_in"] is None:
                        record["first_in"] = now
                    await queue.put((now, data))
                    if not data:
                        return
            except (ConnectionError, OSError):
                await queue.put((time.monotonic(), b""))

        async def write():
            try:
                while True:
                    arrived, data = await queue.get()
                    due = max(arrived, not_before) + self.half
                    delay = due - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    if not data:
                        if writer.can_write_eof():
                            writer.write_eof()
                        return
                    writer.write(data)
                    await writer.drain()
                    record[f"bytes_{direction}"] += len(data)
                    if direction == "down":
                        record["last_out"] = time.monotonic()
            except (ConnectionError, OSError):
                return

        await asyncio.gather(read(), write())

    async def handle(self, client_reader, client_writer):
        accepted = time.monotonic()
        record = {"accepted": accepted, "first_in": None, "last_out": None, "bytes_up": 0, "bytes_down": 0}
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(self.target_host, self.target_port)
        except OSError:
            client_writer.close()
            return
        # The TCP handshake's round trip: the client's first bytes could not have left before it.
        handshake_done = accepted + self.rtt
        await asyncio.gather(
            self.pump(client_reader, upstream_writer, handshake_done, record, "up"),
            self.pump(upstream_reader, client_writer, 0, record, "down"))
        for writer in (client_writer, upstream_writer):
            try:
                writer.close()
            except OSError:
                pass
        if self.log_path:
            with open(self.log_path, "a") as log:
                log.write(json.dumps(record) + "\n")


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True, help="HOST:PORT to relay to")
    parser.add_argument("--rtt-ms", type=float, default=80)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log")
    args = parser.parse_args()
    host, port = args.target.rsplit(":", 1)
    relay = Relay(host, int(port), args.rtt_ms / 1000, args.log)
    server = await asyncio.start_server(relay.handle, "127.0.0.1", args.port)
    print(server.sockets[0].getsockname()[1], flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
