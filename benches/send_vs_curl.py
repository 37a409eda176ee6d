#!/usr/bin/env python3
"""Whole-process time of `rcs-composer send` against `curl`, posting the same body to the
same local server, measured in the same run. Target: ratio (rcs-composer / curl) <= 1.5.

    cargo build --release
    python3 benches/send_vs_curl.py [--runs N] [--binary PATH] [--body FILE]

The server is a tiny HTTP/1.1 one inside this script (it checks Basic auth and answers as
the API does), so both clients pay the same server cost. The runs alternate between the two
clients so that drift in machine load falls on both. rcs-composer does its whole job
(validate, resolve the profile, send, append the history, print); curl only posts.
"""

import argparse
import base64
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USER = "bench-key"
SECRET = "bench-secret-value"
ANSWER = json.dumps(
    {
        "status": "success",
        "message": "Message successfully queued",
        "data": {
            "results": [
                {
                    "messageGUID": "550e8400-e29b-41d4-a716-446655440000",
                    "destination": "15559876543",
                    "status": "success",
                }
            ]
        },
    }
).encode()
EXPECTED_AUTH = "Basic " + base64.b64encode(f"{USER}:{SECRET}".encode()).decode()


class Api(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    posts = 0

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        ok = (
            self.path == "/v5/messages"
            and self.headers.get("Authorization") == EXPECTED_AUTH
            and json.loads(body)
        )
        answer = ANSWER if ok else b'{"status":"error","message":"bad request"}'
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(answer)
        if ok:
            Api.posts += 1

    def log_message(self, *args):
        pass


def timed(cmd, env):
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed with exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return took


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--binary", default=str(ROOT / "target/release/rcs-composer"))
    ap.add_argument("--body", default=str(ROOT / "assets/examples/carousel.json"))
    args = ap.parse_args()
    if not Path(args.binary).exists():
        sys.exit(f"{args.binary} does not exist: run `cargo build --release` first")
    curl = shutil.which("curl")
    if not curl:
        sys.exit("curl is not installed")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp, "config/rcs-composer")
        cfg.mkdir(parents=True)
        (cfg / "config.toml").write_text(
            f'[profiles.bench]\nbase_url = "{url}"\nusername = "{USER}"\n'
            'password_env = "BENCH_SECRET"\n'
        )
        env = dict(os.environ)
        for k in ("RCS_COMPOSER_BASE_URL", "RCS_COMPOSER_USERNAME", "RCS_COMPOSER_PASSWORD"):
            env.pop(k, None)
        env.update(
            XDG_CONFIG_HOME=str(Path(tmp, "config")),
            XDG_DATA_HOME=str(Path(tmp, "data")),
            BENCH_SECRET=SECRET,
            NO_COLOR="1",
        )
        ours = [args.binary, "send", args.body]
        theirs = [
            curl, "--silent", "--show-error", "--fail", "--output", "/dev/null",
            "--user", f"{USER}:{SECRET}",
            "--header", "Content-Type: application/json",
            "--header", "Accept: application/json",
            "--data-binary", f"@{args.body}",
            f"{url}/v5/messages",
        ]
        for _ in range(3):  # warm the page cache and the server
            timed(ours, env)
            timed(theirs, env)
        before = Api.posts
        a, b = [], []
        for _ in range(args.runs):
            a.append(timed(ours, env))
            b.append(timed(theirs, env))
        posted = Api.posts - before
        history = Path(tmp, "data/rcs-composer/history.jsonl").read_text().count("\n")

    server.shutdown()
    if posted != 2 * args.runs:
        sys.exit(f"expected {2 * args.runs} accepted posts, the server saw {posted}")
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"body: {args.body} ({Path(args.body).stat().st_size} bytes), {args.runs} runs each")
    print(f"rcs-composer send: median {ma * 1000:.2f} ms, mean {statistics.mean(a) * 1000:.2f} ms")
    print(f"curl:              median {mb * 1000:.2f} ms, mean {statistics.mean(b) * 1000:.2f} ms")
    print(f"history lines written: {history}")
    ratio = ma / mb
    print(f"ratio (median rcs-composer / median curl): {ratio:.2f}  (target <= 1.5)")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
