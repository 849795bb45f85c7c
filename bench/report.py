#!/usr/bin/env python3
"""Formats bench/out/runs.tsv (written by bench/run.sh) as the benchmark's table.

    python3 bench/report.py RUNS.tsv OUTDIR "LOADAVG_START LOADAVG_END" WIRECHECK
"""
import json
import os
import platform
import subprocess
import sys

runs_path, outdir, loads, wirecheck = sys.argv[1:5]
rows = []
with open(runs_path) as f:
    for line in f:
        tool, size, nbytes, secs, rss_kb, rc, load, note = line.rstrip("\n").split("\t")
        row = dict(tool=tool, size=size, bytes=int(nbytes), secs=float(secs),
                   rss=int(rss_kb or 0) / 1024, rc=rc, load=load, note=note, cpu=None)
        # CPU seconds (user + sys, all threads) from time -v: less sensitive to a busy machine
        tv = os.path.join(os.path.dirname(runs_path), f"time-{tool}-{size}.txt")
        if "EXTRAPOLATED" not in note and os.path.exists(tv):
            cpu = 0.0
            for tl in open(tv):
                if "User time" in tl or "System time" in tl:
                    cpu += float(tl.split(":")[-1])
            row["cpu"] = cpu
        elif "EXTRAPOLATED" in note:
            probe = next((r for r in rows if r["tool"] == tool and "probe" in r["note"]), None)
            if probe and probe["cpu"]:
                row["cpu"] = probe["cpu"] * row["bytes"] / probe["bytes"]
        rows.append(row)

TOOL_ORDER = ["wirecheck", "wirecheck-allcores", "sha256", "pcap_count", "ndpiReader", "tshark"]
LABEL = {"wirecheck": "wirecheck inspect (json)", "wirecheck-allcores": "wirecheck, not pinned",
         "sha256": "openssl dgst -sha256", "pcap_count": "libpcap read loop (C)",
         "ndpiReader": "ndpiReader -n 1", "tshark": "tshark -Y tls.handshake fields"}


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except Exception:
        return "?"


def size_key(s):
    n = float("".join(c for c in s if c.isdigit() or c == "."))
    return n * (1024 if s.upper().endswith("GIB") else 1)


lines = []
p = lines.append
start_load, end_load = loads.split()[:3], loads.split()[3:6]
p("wirecheck benchmark (bench/run.sh) — one run of each tool, page cache warm, every tool pinned to one core (taskset)")
p(f"machine: {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}; "
  f"load average (1/5/15 min) at start {' '.join(start_load)}, at end {' '.join(end_load)}")
p(f"tools: wirecheck {version([wirecheck, '--version'])}; {version(['ndpiReader', '-h'])}; "
  f"{version(['tshark', '--version'])}")
p("GB/s = file bytes / 10^9 / wall seconds; RSS = max resident set from /usr/bin/time -v; "
  "x wirecheck = tool's seconds / wirecheck's seconds (>1: slower than wirecheck);")
p("cpu s = user+sys CPU seconds (all threads, same core) and GB/cpu-s = bytes / cpu s: "
  "what the figures would be on an idle core when the load is high")
p("")

sizes = sorted({r["size"] for r in rows}, key=size_key)
main_sizes = [s for s in sizes if any(r["size"] == s and r["tool"] != "wirecheck" and "probe" not in r["note"]
                                      for r in rows)]
hdr = (f"{'tool':<31} {'file':>7} {'MB':>7} {'seconds':>9} {'GB/s':>7} {'max RSS MB':>11} {'x wirecheck':>12} "
       f"{'cpu s':>8} {'GB/cpu-s':>9}  notes")
p(hdr)
p("-" * len(hdr))
notes_seen = []
for s in main_sizes:
    wc = next((r for r in rows if r["tool"] == "wirecheck" and r["size"] == s), None)
    for tool in TOOL_ORDER:
        for r in rows:
            if r["tool"] != tool or r["size"] != s:
                continue
            gbps = r["bytes"] / 1e9 / r["secs"] if r["secs"] > 0 else 0
            ratio = f"{r['secs'] / wc['secs']:.2f}x" if wc and wc["secs"] > 0 else "-"
            note = r["note"]
            if r["rc"] not in ("0",):
                note = (note + "; " if note else "") + f"EXIT {r['rc']}"
            if r["load"]:
                note = (note + "; " if note else "") + f"load {r['load']}"
            cpu = f"{r['cpu']:8.2f}" if r["cpu"] else f"{'-':>8}"
            cpugb = f"{r['bytes'] / 1e9 / r['cpu']:9.3f}" if r["cpu"] else f"{'-':>9}"
            p(f"{LABEL[tool]:<31} {s:>7} {r['bytes'] / 1e6:>7.0f} {r['secs']:>9.2f} {gbps:>7.3f} "
              f"{r['rss']:>11.0f} {ratio:>12} {cpu} {cpugb}  {note}")
    p("")

# tshark prefix probe, if any
for r in rows:
    if r["tool"] == "tshark" and "probe" in r["note"]:
        p(f"tshark probe on the {r['size']} prefix: {r['secs']:.1f} s, {r['bytes'] / 1e9 / r['secs']:.3f} GB/s, "
          f"max RSS {r['rss']:.0f} MB (decides whether tshark runs on the full files)")

# memory flatness
wc_rows = sorted((r for r in rows if r["tool"] == "wirecheck"), key=lambda r: r["bytes"])
if wc_rows:
    p("")
    p("wirecheck peak memory as the file grows (target: flat, < 200 MB at 2 GiB):")
    for r in wc_rows:
        p(f"  {r['size']:>7} ({r['bytes'] / 1e6:6.0f} MB): max RSS {r['rss']:6.1f} MB, "
          f"{r['bytes'] / 1e9 / r['secs']:.3f} GB/s wall, "
          f"{r['bytes'] / 1e9 / r['cpu'] if r['cpu'] else 0:.3f} GB/cpu-s")
    if len(wc_rows) >= 2:
        a, b = wc_rows[-2], wc_rows[-1]
        p(f"  RSS {a['size']} -> {b['size']}: {b['rss'] - a['rss']:+.1f} MB "
          f"({(b['rss'] / a['rss'] - 1) * 100 if a['rss'] else 0:+.1f}%) for {b['bytes'] / a['bytes']:.2f}x the bytes")

# targets
big = next((r for r in reversed(wc_rows)), None)
if big:
    gbps = big["bytes"] / 1e9 / big["secs"]
    p("")
    cgbps = big["bytes"] / 1e9 / big["cpu"] if big["cpu"] else 0
    p(f"targets on {big['size']}: throughput {gbps:.3f} GB/s wall ({cgbps:.3f} GB/cpu-s) vs >= 1 GB/s: "
      f"{'MET' if gbps >= 1 else 'NOT MET' + (' (met per CPU second: the core was shared)' if cgbps >= 1 else '')}; "
      f"max RSS {big['rss']:.0f} MB vs < 200 MB: {'MET' if big['rss'] < 200 else 'NOT MET'}")

# cross-check: what wirecheck found vs tshark's ClientHello count
p("")
p("sanity (same files): handshakes wirecheck reported vs ClientHellos tshark saw; wirecheck input errors")
for r in wc_rows:
    path = os.path.join(outdir, f"wirecheck-{r['size']}.json")
    try:
        with open(path) as f:
            rep = json.load(f)
        sm = rep.get("summary", {})
        wc_hs = sm.get("handshakes")
        errs = sm.get("input_errors")
        pk = sm.get("packets")
        versions = {}
        for h in rep.get("handshakes", []):
            versions[h.get("version")] = versions.get(h.get("version"), 0) + 1
        fl = sm.get("flows")
    except Exception as e:  # noqa: BLE001
        p(f"  {r['size']}: cannot read {path}: {e}")
        continue
    ts = os.path.join(outdir, f"tshark-{r['size']}.tsv")
    ts_ch = "-"
    if os.path.exists(ts) and os.path.getsize(ts) > 0 and any(x["tool"] == "tshark" and x["size"] == r["size"]
                                                              and "EXTRAPOLATED" not in x["note"] for x in rows):
        ts_ch = 0
        with open(ts) as f:
            for line in f:
                cols = line.split("\t")
                if len(cols) > 1 and "1" in cols[1].split(","):
                    ts_ch += 1
    pc = os.path.join(outdir, f"pcap_count-{r['size']}.txt")
    pc_pk = open(pc).read().split()[0] if os.path.exists(pc) else "-"
    p(f"  {r['size']:>7}: wirecheck {wc_hs} handshakes {dict(sorted(versions.items(), key=str))}, {fl} flows, "
      f"{pk} packets (libpcap: {pc_pk}), {errs} input errors; tshark ClientHellos: {ts_ch}")

text = "\n".join(lines)
print(text)
