#!/usr/bin/env python3
"""Runs wirecheck on every capture listed in captures/*/expected.yaml and
prints the differences (a developer aid; the Swift test suite asserts the same)."""
import json, subprocess, sys, yaml, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/wirecheck")
bad = 0
checked = 0
for manifest in sorted(root.glob("captures/*/expected.yaml")):
    data = yaml.safe_load(manifest.read_text())
    for entry in data["captures"]:
        path = manifest.parent / entry["file"]
        checked += 1
        out = subprocess.run([binary, "inspect", "--format", "json", "--fail-on", "none", str(path)], capture_output=True, text=True)
        if not out.stdout:
            print(f"{path}: no output, exit {out.returncode}: {out.stderr[:300]}"); bad += 1; continue
        report = json.loads(out.stdout)
        got = sorted({f["rule"] for f in report["findings"]})
        want = sorted(entry.get("findings") or [])
        problems = []
        if got != want: problems.append(f"findings got {got} want {want}")
        if report["inputs"][0]["packets"] != entry.get("packets") and entry.get("readable_packets") is None:
            problems.append(f"packets got {report['inputs'][0]['packets']} want {entry.get('packets')}")
        hs = report["handshakes"]
        exp = entry.get("handshakes") or []
        want_count = entry.get("handshake_count", len(exp))
        if len(hs) != want_count: problems.append(f"handshakes got {len(hs)} want {want_count}")
        for h, e in zip(hs, exp):
            for k in ("client_hello_packet", "sni", "version"):
                if h.get(k) != e.get(k): problems.append(f"{k} got {h.get(k)} want {e.get(k)}")
            cs = (h.get("cipher_suite") or {}).get("id")
            if cs != e.get("cipher_suite"): problems.append(f"suite got {cs} want {e.get('cipher_suite')}")
            gc = [(c.get("key_type"), c.get("key_bits"), (c.get("signature_algorithm") or {}).get("name")) for c in h["certificates"]]
            ec = [(c["key_type"], c["key_bits"], c["signature"]) for c in e.get("certificates") or []]
            if gc != ec: problems.append(f"certs got {gc} want {ec}")
            al = (h.get("alert") or {}).get("description") if (h.get("alert") or {}).get("level") == "fatal" else None
            if al != e.get("alert"): problems.append(f"alert got {al} want {e.get('alert')}")
        if problems:
            bad += 1
            print(f"{path.relative_to(root)}:"); [print("   ", p) for p in problems]
print(f"{bad} of {checked} capture(s) with differences")
