#!/usr/bin/env bash
# Regenerates the golden reports and help texts under Tests/Golden from the
# built binary (default .build/debug/wirecheck; WIRECHECK=... to choose):
#   reports/NAME.txt and NAME.json (and NAME.jsonl) for every line of cases.tsv,
#   help/COMMAND.txt for the root command and every subcommand.
# Run times are normalised to GENERATED_AT so the files compare byte for byte.
# Review the diff (git diff Tests/Golden) before committing: a golden change is a report change.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${WIRECHECK:-.build/debug/wirecheck}
[ -x "$BIN" ] || { echo "no $BIN: swift build first" >&2; exit 1; }
export COLUMNS=100 CI=1 NO_COLOR=1
normalise() { sed -E 's/report generated [0-9T:.Z-]+/report generated GENERATED_AT/; s/("generated_at": ?)"[^"]*"/\1"GENERATED_AT"/'; }
while IFS=$'\t' read -r name args; do
    case "$name" in ''|'#'*) continue;; esac
    # shellcheck disable=SC2086
    "$BIN" $args --fail-on none --no-progress 2>/dev/null | normalise > "Tests/Golden/reports/$name.txt" || true
    # shellcheck disable=SC2086
    "$BIN" $args --fail-on none --no-progress --format json 2>/dev/null | normalise > "Tests/Golden/reports/$name.json" || true
    # shellcheck disable=SC2086
    "$BIN" $args --fail-on none --no-progress --format jsonl 2>/dev/null | normalise > "Tests/Golden/reports/$name.jsonl" || true
done < Tests/Golden/cases.tsv
"$BIN" --help > Tests/Golden/help/wirecheck.txt
for command in inspect live rules explain; do
    "$BIN" help "$command" > "Tests/Golden/help/$command.txt"
done
echo "wrote $(ls Tests/Golden/reports | wc -l) reports and $(ls Tests/Golden/help | wc -l) help texts"
