#!/usr/bin/env python3
"""Bodies for the scanner benchmark (bench/ScanBench): the same generators as the
plaintext-heavy capture (bench/plaintext_tools.py), written as files, one per kind.

usage: make-scan-bodies.py OUTDIR
Writes telemetry.json (event batches, two of them carrying the test phone's
identifiers), feed.json, config.json, log.txt, lines.txt (the raw-socket event
protocol) and form.txt, about 4 MB each.
Deterministic (fixed seeds).
"""
import os
import random
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plaintext_tools as t  # noqa: E402

SIZE = 4_000_000


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261123)
    batches = []
    n = 0
    k = 0
    while n < SIZE:
        dev = t.PI_PLAN["track_device"][k % 6] if k % 7 == 3 else None
        b = t.telemetry_batch(random.Random(rng.randrange(10**9)), t.pick_size(rng) // 4 + 2000, dev, k % 11 == 5)
        batches.append(b)
        n += len(b)
        k += 1
    # One file, one body per line: the benchmark inspects each line as its own JSON body.
    with open(os.path.join(out, "telemetry.jsonl"), "wb") as f:
        f.write(b"\n".join(batches))
    with open(os.path.join(out, "feed.json"), "wb") as f:
        f.write(t.feed_body(random.Random(7), SIZE))
    with open(os.path.join(out, "config.json"), "wb") as f:
        f.write(t.config_body(random.Random(8), SIZE))
    with open(os.path.join(out, "log.txt"), "wb") as f:
        f.write(t.text_body(random.Random(9), SIZE))
    # The raw-socket event protocol of the capture's line clients (plaintext_tools.line_client).
    rng_lines = random.Random(10)
    sid = t.hexid(rng_lines, 16)
    ts = t.BASE_TS
    lines = []
    n = 0
    while n < SIZE:
        ts += rng_lines.randrange(5, 2000)
        ln = (f"EVT {ts}|{rng_lines.choice(t.EVENTS)}|seq={len(lines)}|sid={sid}|eid={t.uuid4(rng_lines)}"
              f"|page={rng_lines.choice(t.PAGES)}|net={rng_lines.choice(t.NETS)}|dur={rng_lines.randrange(20, 30000)}"
              f"|trace={t.hexid(rng_lines, 32)}")
        lines.append(ln)
        n += len(ln) + 1
    with open(os.path.join(out, "lines.txt"), "wb") as f:
        f.write(("\n".join(lines) + "\n").encode())
    forms = []
    n = 0
    while n < SIZE:
        form = {"username": f"user{rng.randrange(10**6)}", "password_hash": t.hexid(rng, 64),
                "captcha": str(rng.randrange(10**4, 10**5)), "client_id": t.uuid4(rng), "ts": str(t.BASE_TS),
                "q": t.sentence(rng, 2, 9), "cursor": t.hexid(rng, 20)}
        s = urllib.parse.urlencode(form)
        forms.append(s)
        n += len(s) + 1
    with open(os.path.join(out, "form.txt"), "wb") as f:
        f.write("\n".join(forms).encode())


if __name__ == "__main__":
    main()
