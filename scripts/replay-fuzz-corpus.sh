#!/usr/bin/env bash
# Part of `make test`: every kept fuzz input (Tests/Fuzz/corpus and
# Tests/Fuzz/crashers) goes once through its harness in the normal debug
# build; a crash, hang or exclusivity violation fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FUZZ_REPLAY:-.build/debug/wirecheck-fuzz}
[ -x "$BIN" ] || swift build --product wirecheck-fuzz
for name in $("$BIN" list); do
    dirs=()
    [ -d "Tests/Fuzz/corpus/$name" ] && dirs+=("Tests/Fuzz/corpus/$name")
    [ -d "Tests/Fuzz/crashers/$name" ] && dirs+=("Tests/Fuzz/crashers/$name")
    [ ${#dirs[@]} -gt 0 ] || { echo "fuzz replay: no corpus for $name" >&2; exit 1; }
    timeout 600 "$BIN" replay "$name" "${dirs[@]}"
done
