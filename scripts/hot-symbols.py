#!/usr/bin/env python3
"""Writes scripts/hot-symbols.txt: the functions of the release binary that a session runs,
costliest first (in powers of two), for build.rs to link first and together.

    cargo build --release && python3 scripts/hot-symbols.py target/release/rcs-composer

Needs valgrind (callgrind) and nm. Four sessions run under callgrind in a pseudo-terminal
(120x40), each in a fresh HOME: the largest carousel with a title past its limit (the last
error, typing, Backspace, the arrows, page down, save, quit), the carousel example (the last error, typing, Backspace,
Tab, the arrows, the key list, save, quit), the example with every kind of choice (down,
page down and up, a key, save, quit) and a new draft (typing a text, a type switch, save,
quit). The names are the binary's own (mangled), so the list fits the toolchain and
the Cargo.lock it was made with; a name the next build no longer has is skipped by the
linker, and the binary still links (only less compactly). Make it again after a toolchain
or dependency update, or after large changes to what a session runs.
"""
import collections
import fcntl
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SESSIONS = [
    ("largest.json", ["\x1b[19~", "x", "\x7f", "x", "\x7f", "\x1b[B", "\x1b[A", "\x1b[6~", "\x13"]),
    ("carousel.json", ["\x1b[19~", "x", "y", "\x7f", "\x7f", "\t", "z", "\x7f", "\x1b[B", "\x1b[B",
                       "\x1b[A", "?", "\x1b", "\x13"]),
    ("every-choice.json", ["\x1b[B"] * 6 + ["\x1b[6~", "\x1b[5~", "x", "\x7f", "\x13"]),
    ("new.json", ["\t", "\t", "H", "i", " ", "t", "h", "e", "r", "e", "\x7f", "\x1b[A", "\x1b[A",
                  "\x1b[C", "\x1b[D", "\x13"]),
]


def largest_carousel(path):
    """The largest legal carousel (10 cards, 4 choices each, every text at its limit), with
    the first card's title one past it: what issue 13's measurements type into."""
    def s(n, c):
        return c * n
    choices = [
        {"type": "OPEN_URL", "title": s(25, "O"), "postbackData": s(2048, "p"),
         "url": "https://example.com/" + s(2028, "u"), "application": "WEBVIEW", "webviewViewMode": "HALF"},
        {"type": "DIAL_PHONE", "title": s(25, "D"), "postbackData": s(2048, "d"), "phoneNumber": "1" * 20},
        {"type": "SHOW_LOCATION", "title": s(25, "L"), "postbackData": s(2048, "l"), "latitude": 37.774929,
         "longitude": -122.419416, "label": s(40, "l")},
        {"type": "CREATE_CALENDAR_EVENT", "title": s(25, "C"), "postbackData": s(2048, "c"),
         "startTime": "2031-03-03T15:00:00Z", "endTime": "2031-03-03T16:00:00Z", "eventTitle": s(100, "E"),
         "description": s(500, "e")}]
    cards = [{"title": f"Card {i} " + s(100 - len(f"Card {i} "), "t"), "description": s(500, "w"),
              "height": "MEDIUM", "mediaUrl": f"https://cdn.example.com/m{i}.jpg",
              "thumbnailUrl": f"https://cdn.example.com/t{i}.jpg", "filenameOverride": s(96, "f") + ".jpg",
              "choices": choices} for i in range(10)]
    cards[0]["title"] += "X"
    doc = {"messageType": "RCS_CAROUSEL", "source": "CONVEY", "destination": "15559876543", "cards": cards,
           "callbackURL": "https://hooks.example.com/rcs",
           "mmsFailover": {"enabled": True, "failoverSource": "15551234567", "fallbackText": s(160, "F"),
                           "mediaUrl": "https://cdn.example.com/fb.jpg", "subject": s(100, "S")}}
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)


def session(binary, example, keys, out):
    home = tempfile.mkdtemp()
    src = os.path.join(HERE, "..", "assets", "examples", example)
    if example == "largest.json":
        largest_carousel(os.path.join(home, example))
    elif os.path.exists(src):
        shutil.copy(src, os.path.join(home, example))
    env = dict(os.environ, HOME=home, XDG_DATA_HOME=home + "/data", XDG_CONFIG_HOME=home + "/config",
               XDG_CACHE_HOME=home + "/cache", XDG_STATE_HOME=home + "/state", TERM="xterm-256color")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    cmd = ["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}",
           binary, os.path.join(home, example)]
    p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=subprocess.DEVNULL, env=env,
                         cwd=home, start_new_session=True)
    os.close(slave)

    def drain(seconds):
        end = time.time() + seconds
        while time.time() < end:
            r, _, _ = select.select([master], [], [], 0.01)
            if r:
                try:
                    os.read(master, 65536)
                except OSError:
                    return

    drain(8)  # start under valgrind
    for k in keys:
        os.write(master, k.encode())
        drain(0.5)
    drain(2)
    os.write(master, b"\x11")  # Ctrl-Q
    drain(5)
    p.wait(timeout=60)
    shutil.rmtree(home, ignore_errors=True)


def costs(path, cost):
    names, cur = {}, None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^(c?)fn=\((\d+)\)(?: (.+))?$", line)
        if m:
            if m.group(3):
                names[m.group(2)] = m.group(3)
            if not m.group(1):
                cur = m.group(2)
            continue
        m = re.match(r"^(\+?\d+|\*|-\d+)\s+(\d+)", line)
        if m and cur:
            cost[names.get(cur)] += int(m.group(2))
    return set(names.values())


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/release/rcs-composer")
    out = os.path.join(HERE, "hot-symbols.txt")
    cost, ran = collections.Counter(), set()
    work = tempfile.mkdtemp()
    for i, (example, keys) in enumerate(SESSIONS):
        cg = os.path.join(work, f"cg.{i}")
        session(binary, example, keys, cg)
        ran |= costs(cg, cost)
    sizes = {}
    for line in subprocess.run(["nm", "-S", binary], capture_output=True, text=True).stdout.splitlines():
        p = line.split()
        if len(p) == 4 and p[2] in "tTwW":
            sizes[p[3]] = int(p[1], 16)
    # Costliest first, by powers of two (then by name): the list changes little from one run
    # to the next, whose costs differ by the threads' timing.
    hot = sorted((n for n in ran if n in sizes), key=lambda n: (-cost.get(n, 0).bit_length(), n))
    with open(out, "w") as f:
        f.write("\n".join(hot) + "\n")
    print(f"{len(hot)} functions, {sum(sizes[n] for n in hot) // 1024} KB of "
          f"{sum(sizes.values()) // 1024} KB, written to {out}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
