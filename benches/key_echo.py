#!/usr/bin/env python3
"""A keystroke from outside, against `cat`'s echo in the same pty, measured in the same run.

    cargo build --release
    python3 benches/key_echo.py [--rounds N] [--keys N] [--gap-ms MS] [--base PATH]

The composer opens the largest legal carousel (10 cards x 4 choices, every text at its
limit, card 0's title one past it, as tools/tuiperf types into), F8 goes to that title, and
`x` and Backspace are typed in turn, each after a pause (`--gap-ms`, 50 ms: tools/tuiperf's
quiet time; 1100 ms makes every key one after a pause, which checks the draft's file). The
time is from writing the key to the pty to the first byte of the answer: no terminal emulator
runs, so the figure is the program's and the kernel's, and `cat` (raw mode, echoing the key)
is the floor of the same path. The programs take turns, a session each, in the order
A B B A ..., so that drift in the machine's load falls on all of them. `--base` adds another
build of the composer (a commit before, say) to the turns. Reports p50/p90/p99 of the `x`
keys, and the composer's p50 against cat's.
"""

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
now = time.monotonic


def largest_carousel(bad_title: bool) -> dict:
    def s(n, c):
        return c * n

    def choices():
        return [
            {"type": "OPEN_URL", "title": s(25, "O"), "postbackData": s(2048, "p"),
             "url": "https://example.com/" + s(2028, "u"), "application": "WEBVIEW",
             "webviewViewMode": "HALF"},
            {"type": "DIAL_PHONE", "title": s(25, "D"), "postbackData": s(2048, "d"),
             "phoneNumber": "1" * 20},
            {"type": "SHOW_LOCATION", "title": s(25, "L"), "postbackData": s(2048, "l"),
             "latitude": 37.774929, "longitude": -122.419416, "label": s(40, "l")},
            {"type": "CREATE_CALENDAR_EVENT", "title": s(25, "C"), "postbackData": s(2048, "c"),
             "startTime": "2031-03-03T15:00:00Z", "endTime": "2031-03-03T16:00:00Z",
             "eventTitle": s(100, "E"), "description": s(500, "e")},
        ]

    cards = [
        {"title": f"Card {i} " + s(100 - len(f"Card {i} "), "t"), "description": s(500, "w"),
         "height": "MEDIUM", "mediaUrl": f"https://cdn.example.com/m{i}.jpg",
         "thumbnailUrl": f"https://cdn.example.com/t{i}.jpg",
         "filenameOverride": s(96, "f") + ".jpg", "choices": choices()}
        for i in range(10)
    ]
    doc = {"messageType": "RCS_CAROUSEL", "source": "CONVEY", "destination": "15559876543",
           "cards": cards, "callbackURL": "https://hooks.example.com/rcs",
           "mmsFailover": {"enabled": True, "failoverSource": "15551234567",
                           "fallbackText": s(160, "F"), "mediaUrl": "https://cdn.example.com/fb.jpg",
                           "subject": s(100, "S")}}
    if bad_title:
        doc["cards"][0]["title"] += "X"
    return doc


def session(argv, cols, rows, keys, gap, composer, draft):
    """One program in a fresh pty and home: the `x` keys' times in ms."""
    tmp = tempfile.mkdtemp()
    try:
        if composer:
            shutil.copy(draft, os.path.join(tmp, "max.json"))
            argv = argv + [os.path.join(tmp, "max.json")]
        env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=tmp + "/c", XDG_DATA_HOME=tmp + "/d",
                   XDG_STATE_HOME=tmp + "/s", XDG_CACHE_HOME=tmp + "/k", TERM="xterm-256color")
        env.pop("NO_COLOR", None)
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        p = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=tmp,
                             start_new_session=True)
        os.close(slave)

        def drain(quiet, longest=2.0):
            """Reads until nothing came for `quiet` seconds."""
            end, last = now() + longest, now()
            while now() < end and now() - last < quiet:
                r, _, _ = select.select([master], [], [], quiet)
                if r:
                    try:
                        if not os.read(master, 65536):
                            return
                    except OSError:
                        return
                    last = now()

        drain(0.3)
        if composer:
            os.write(master, b"\x1b[19~")  # F8: the title past its limit
            drain(0.1)
        times = []
        for _ in range(keys):
            for k in (b"x", b"\x7f"):
                drain(gap)
                t = now()
                os.write(master, k)
                r, _, _ = select.select([master], [], [], 2.0)
                if r and k == b"x":
                    times.append((now() - t) * 1000)
        os.write(master, b"\x11" if composer else b"\x03")
        try:
            p.wait(timeout=2)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        os.close(master)
        return times
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def pct(v, q):
    v = sorted(v)
    return v[round((len(v) - 1) * q)] if v else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default=str(ROOT / "target/release/rcs-composer"))
    ap.add_argument("--base", help="another build of the composer to measure in the same turns")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--keys", type=int, default=60, help="x keys per session (each then Backspace)")
    ap.add_argument("--gap-ms", type=int, default=50)
    ap.add_argument("--sizes", default="120x40,200x60")
    a = ap.parse_args()
    if not os.path.exists(a.binary):
        sys.exit(f"{a.binary}: no such file (cargo build --release)")
    draft = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(largest_carousel(True), draft, indent=2)
    draft.close()
    programs = [("cat", ["sh", "-c", "stty raw -echo; exec cat"], False),
                ("rcs-composer", [a.binary], True)]
    if a.base:
        programs.append(("base", [a.base], True))
    for size in a.sizes.split(","):
        cols, rows = (int(x) for x in size.split("x"))
        got = {name: [] for name, _, _ in programs}
        for r in range(a.rounds):
            for name, argv, composer in (programs if r % 2 == 0 else programs[::-1]):
                got[name] += session(argv, cols, rows, a.keys, a.gap_ms / 1000, composer,
                                     draft.name)
        print(f"{cols}x{rows}, a key every {a.gap_ms} ms, {a.rounds} sessions each:")
        for name, _, _ in programs:
            v = got[name]
            print(f"  {name:13s} n {len(v):4d}  p50 {pct(v, .5):.3f}  p90 {pct(v, .9):.3f}"
                  f"  p99 {pct(v, .99):.3f} ms")
        floor = pct(got["cat"], .5)
        for name, _, composer in programs:
            if composer:
                print(f"  {name} p50 / cat p50: {pct(got[name], .5) / floor:.2f}")
        if a.base:
            print(f"  rcs-composer p50 / base p50: "
                  f"{pct(got['rcs-composer'], .5) / pct(got['base'], .5):.2f}")
    os.unlink(draft.name)


if __name__ == "__main__":
    main()
