#!/usr/bin/env python3
"""Precision and recall of wirecheck's PI findings on captures/pii (a
developer aid; Tests/WirecheckKitTests/PersonalInformationCorpusTests.swift
asserts the same)."""
import json, subprocess, sys, yaml, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/wirecheck")
corpus = root / "captures/pii"
manifest = yaml.safe_load((corpus / "manifest.yaml").read_text())
tp = fp = fn = 0
def key(t, v):
    return (t, None) if t in ("app_list", "face_image") else (t, v)
for entry in manifest["captures"]:
    out = subprocess.run([binary, "inspect", "--format", "json", "--reveal", "--fail-on", "none", "--device", str(corpus / manifest["device"]), str(corpus / entry["file"])], capture_output=True, text=True)
    report = json.loads(out.stdout)
    got = {key(f["pii"]["type"], f["pii"]["value"]) for f in report["findings"] if "pii" in f}
    want = {key(e["type"], str(e["value"])) for e in entry.get("expected") or []}
    tp += len(got & want); fp += len(got - want); fn += len(want - got)
    if got != want:
        print(entry["file"])
        for m in sorted(want - got, key=str): print("   missed", m)
        for m in sorted(got - want, key=str): print("   extra ", m)
p = tp / (tp + fp) if tp + fp else 1; r = tp / (tp + fn) if tp + fn else 1
print(f"precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})")
