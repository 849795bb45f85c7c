#!/usr/bin/env python3
"""A floor for the JSON bodies of scan-bench: how fast simdjson, the fastest JSON
parser there is, merely parses them on one core (no inspection at all).

usage: simdjson-parse.py DIR    (the bodies written by make-scan-bodies.py)
Needs pysimdjson (PyPI); prints a note and exits 0 without it. Each body is parsed
into simdjson's tape (pysimdjson builds no Python objects until a value is read);
rounds are timed with the thread's CPU clock and the best is shown, like scan-bench.
"""
import os
import sys
import time

try:
    import simdjson
except ImportError:
    print("simdjson-parse: pysimdjson not installed (pip install pysimdjson); reference skipped")
    sys.exit(0)

from importlib import metadata

directory = sys.argv[1]
version = metadata.version("pysimdjson")
parser = simdjson.Parser()
print(f"{'body':<16}{'bytes':>10}{'best':>8}   simdjson (pysimdjson {version}) parse only, MB per CPU-second")
for name, per_line in (("telemetry.jsonl", True), ("feed.json", False), ("config.json", False)):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        continue
    data = open(path, "rb").read()
    bodies = [line for line in data.split(b"\n") if line] if per_line else [data]
    best = float("inf")
    deadline = time.thread_time() + 2.0
    while time.thread_time() < deadline:
        start = time.thread_time()
        for body in bodies:
            doc = parser.parse(body)
            del doc  # the parser's buffer is reused for the next body
        best = min(best, time.thread_time() - start)
    print(f"{name:<16}{len(data):>10}{len(data) / best / 1e6:>8.0f}")
