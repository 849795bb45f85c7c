#!/usr/bin/env python3
"""Bodies for the scanner benchmark (bench/ScanBench): the same generators as the
plaintext-heavy capture (bench/plaintext_tools.py), written as files, one per kind.

usage: make-scan-bodies.py OUTDIR
Writes telemetry.json (event batches, two of them carrying the test phone's
identifiers), feed.json, config.json, log.txt, lines.txt (the raw-socket event
protocol) and form.txt, about 4 MB each; and shapes/*.jsonl, batches of events
whose every value has one shape (short words, small numbers, literals, 13-digit
timestamps, 16- and 32-digit hex ids, UUIDs), with shapes/values.txt giving each
file's value count, so scan-bench can say what one value of each shape costs
(plus two batches mixing them: in a fixed order, and shuffled per event).
Deterministic (fixed seeds).
"""
import json
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
    write_shapes(os.path.join(out, "shapes"))


# One value shape per file: the walker's cost per member, and what the triage and
# the token checks add to it, apart from the mix of a real batch.
SHAPES = {
    "words": lambda r: r.choice(t.EVENTS + t.PAGES + t.NETS),
    "numbers": lambda r: r.randrange(100000),
    "literals": lambda r: r.choice([True, False, None]),
    "timestamps": lambda r: t.BASE_TS + r.randrange(10**7),
    "hex16": lambda r: t.hexid(r, 16),
    "hex32": lambda r: t.hexid(r, 32),
    "uuids": lambda r: t.uuid4(r),
}
SHAPE_KEYS = ["event", "page", "net", "seq", "dur", "pos", "kind", "os"]


# Two batches of all the shapes, one per member: in the same order in every event
# (as an SDK writes its fixed fields), and shuffled per event. What the second
# costs above the first is what an unpredictable sequence of shapes costs.
MIX = ["words", "numbers", "literals", "timestamps", "hex16", "hex32", "uuids", "words"]


def mixed_event(rng, shuffled):
    shapes = list(MIX)
    if shuffled:
        rng.shuffle(shapes)
    return {k: SHAPES[shape](rng) for k, shape in zip(SHAPE_KEYS, shapes)}


def write_shapes(out):
    os.makedirs(out, exist_ok=True)
    counts = []
    makers = {name: (lambda make: lambda rng: {k: make(rng) for k in SHAPE_KEYS})(make) for name, make in SHAPES.items()}
    makers["mixed"] = lambda rng: mixed_event(rng, False)
    makers["mixed-shuffled"] = lambda rng: mixed_event(rng, True)
    for name, make_event in makers.items():
        rng = random.Random(name)
        batches, values, n = [], 0, 0
        while n < SIZE:
            events = [make_event(rng) for _ in range(50)]
            b = json.dumps({"events": events}, separators=(",", ":")).encode()
            batches.append(b)
            values += 50 * len(SHAPE_KEYS)
            n += len(b)
        with open(os.path.join(out, name + ".jsonl"), "wb") as f:
            f.write(b"\n".join(batches))
        counts.append(f"{name} {values}")
    with open(os.path.join(out, "values.txt"), "w") as f:
        f.write("\n".join(counts) + "\n")


if __name__ == "__main__":
    main()
