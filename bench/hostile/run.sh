#!/usr/bin/env bash
# Runs wirecheck over every hostile capture (bench/hostile/make.py) and prints
# a table: input size, wall time, peak memory, report size, findings, how many
# planted PI values appear unmasked in the report ("raw PI"), exit code.
#
#   bash bench/hostile/run.sh                 # every capture, .build/release/wirecheck
#   bash bench/hostile/run.sh caps bidi-names # some of them
#   WIRECHECK=/tmp/baseline/wirecheck bash bench/hostile/run.sh
#
# Environment: WIRECHECK (binary), HOSTILE_DIR (captures and reports, default
# bench/out/hostile), HOSTILE_TIMEOUT (seconds per run, default 300),
# HOSTILE_KEEP_MB (reports larger than this are deleted once measured, default
# 100; the reports of a flood run to hundreds of MB), HOSTILE_TASKSET (a CPU
# list to pin wirecheck to, e.g. 0; default: not pinned).
#
# Missing captures are generated first. A capture wirecheck fails on, crashes
# on or times out on is a row like any other (its exit code says which): this
# script never fails because wirecheck did. It exits 2 only if the binary,
# /usr/bin/time or python3 is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${HOSTILE_DIR:-$root/bench/out/hostile}
limit=${HOSTILE_TIMEOUT:-300}
keep_mb=${HOSTILE_KEEP_MB:-100}

wc_bin=${WIRECHECK:-.build/release/wirecheck}
if [[ $wc_bin != */* ]]; then wc_bin=$(command -v "$wc_bin" || echo "$wc_bin"); fi
if [[ ! -x $wc_bin && $wc_bin != /* && -x $root/$wc_bin ]]; then wc_bin=$root/$wc_bin; fi
if [[ ! -x $wc_bin ]]; then
    echo "run.sh: no wirecheck binary at $wc_bin (build with swift build -c release, or set WIRECHECK)" >&2
    exit 2
fi
wc_bin=$(cd "$(dirname "$wc_bin")" && pwd)/$(basename "$wc_bin")
for tool in /usr/bin/time python3 timeout; do
    command -v "$tool" >/dev/null || { echo "run.sh: needs $tool (apt-get install time python3 coreutils)" >&2; exit 2; }
done

if (($#)); then names=("$@"); else mapfile -t names < <(python3 "$here/make.py" --list); fi
missing=()
for n in "${names[@]}"; do [[ -f $dir/$n.pcap ]] || missing+=("$n"); done
if ((${#missing[@]})); then
    echo "generating: ${missing[*]}" >&2
    python3 "$here/make.py" --out "$dir" "${missing[@]}" >&2 || { echo "run.sh: make.py failed" >&2; exit 2; }
fi

pin=()
[[ -n ${HOSTILE_TASKSET:-} ]] && command -v taskset >/dev/null && pin=(taskset -c "$HOSTILE_TASKSET")

mkdir -p "$dir/reports"
rows=$dir/reports/results.tsv
: >"$rows"
version=$("$wc_bin" --version 2>/dev/null | head -1)
echo "wirecheck: $wc_bin ($version); timeout ${limit}s; $(nproc) CPUs; $(date -u +%Y-%m-%dT%H:%MZ)" >&2

for n in "${names[@]}"; do
    f=$dir/$n.pcap
    out=$dir/reports/$n.json
    tfile=$dir/reports/$n.time
    log=$dir/reports/$n.stderr
    rm -f "$out" "$tfile"
    cat "$f" >/dev/null  # warm page cache: time the tool, not the disk
    echo "running $n ..." >&2
    /usr/bin/time -v -o "$tfile" "${pin[@]}" timeout -k 10 "$limit" \
        "$wc_bin" inspect "$f" --format json -o "$out" --fail-on none --no-progress >"$log" 2>&1
    rc=$?
    python3 - "$n" "$f" "$out" "$tfile" "$log" "$rc" "$keep_mb" >>"$rows" <<'EOF' || echo -e "$n\t?\t?\t?\t?\t?\t?\t$rc\trow failed" >>"$rows"
import json, os, re, sys
name, cap, out, tfile, log, rc, keep_mb = sys.argv[1:]
rc = int(rc)
t = open(tfile, errors="replace").read() if os.path.exists(tfile) else ""
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
wall = (int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) if m else None
m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
rss = int(m.group(1)) / 1024 if m else None
m = re.search(r"Command terminated by signal (\d+)", t)
note = []
if m:
    note.append(f"killed by signal {m.group(1)}")
if rc == 124:
    note.append("timed out")
elif rc not in (0, 1) and not m:
    note.append("failed")


def summary(path):
    """summary.findings, read from the end of the report (a flood's report is
    hundreds of MB: no full parse); a full parse only as a fallback."""
    size = os.path.getsize(path)
    dec = json.JSONDecoder()
    with open(path, "rb") as fh:
        for tail in (1 << 16, 1 << 20, 16 << 20):
            fh.seek(max(0, size - tail))
            text = fh.read().decode("utf-8", "replace")
            for m in reversed(list(re.finditer(r'"summary"\s*:\s*', text))):
                try:
                    obj, _ = dec.raw_decode(text, m.end())
                except ValueError:
                    continue
                if isinstance(obj, dict) and "findings" in obj:
                    return obj
            if tail >= size:
                break
    if size < (512 << 20):
        with open(path, "rb") as fh:
            return json.load(fh).get("summary")
    return None


def raw_pi(path):
    """How many of the PI values make.py planted (manifest.json) appear
    unmasked in the report: 0 is the only right answer without --reveal."""
    try:
        planted = json.load(open(os.path.join(os.path.dirname(cap), "manifest.json")))[name]["planted"]
    except (OSError, ValueError, KeyError):
        return None
    vals = {p["value"].encode() for p in planted if p.get("type") in ("phone", "imei") and "value" in p}
    found, prev = set(), b""
    with open(path, "rb") as fh:
        while vals - found:
            chunk = fh.read(8 << 20)
            if not chunk:
                break
            window = prev + chunk
            found |= {v for v in vals - found if v in window}
            prev = chunk[-32:]
    return len(found)


findings = report_mb = leaks = None
if os.path.exists(out):
    report_mb = os.path.getsize(out) / 1e6
    leaks = raw_pi(out)
    try:
        s = summary(out)
        if s is not None:
            f = s.get("findings")
            findings = f if isinstance(f, int) else (len(f) if isinstance(f, list) else f.get("total", f) if isinstance(f, dict) else f)
    except Exception as e:  # a cut or broken report is a result too
        note.append(f"report unreadable: {type(e).__name__}")
    if report_mb > float(keep_mb):
        os.remove(out)
        note.append("report deleted")
elif rc == 0 or rc == 1:
    note.append("no report")
if rc not in (0, 1) and os.path.exists(log):
    last = [l.strip() for l in open(log, errors="replace") if l.strip()]
    if last:
        note.append(last[-1][:80].replace("\t", " "))
fmt = lambda v, p: "?" if v is None else f"{v:.{p}f}"
print("\t".join([name, fmt(os.path.getsize(cap) / 1e6, 2), fmt(wall, 2), fmt(rss, 0), fmt(report_mb, 2),
                 "?" if findings is None else str(findings), "?" if leaks is None else str(leaks), str(rc), "; ".join(note)]))
EOF
done

python3 - "$rows" "$dir/reports/results.md" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
head = ["capture", "input MB", "wall s", "max RSS MiB", "report MB", "findings", "raw PI", "exit", "note"]
lines = ["| " + " | ".join(head) + " |", "|" + "|".join([" --- "] + [" ---: "] * 7 + [" --- "]) + "|"]
for r in rows:
    r = (r + [""] * 9)[:9]
    lines.append("| " + " | ".join(r) + " |")
text = "\n".join(lines) + "\n"
sys.stdout.write(text)
open(sys.argv[2], "w").write(text)
EOF
echo "(table also in $dir/reports/results.md; reports, time -v output and stderr in $dir/reports/)" >&2
exit 0
