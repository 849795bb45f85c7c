#!/usr/bin/env python3
"""Validates wirecheck JSON reports against docs/report.schema.json.

Usage: python3 scripts/validate-report.py [--schema SCHEMA.json] REPORT.json [more...]

Each report is checked with the `jsonschema` package (Draft 2020-12). Errors
are printed with the JSON path of the offending value, e.g.

    report.json: $.handshakes[0].cipher_suite.id: '0xc02f' does not match '^0x[0-9A-F]{4}$'

A report whose JSON repeats a key within one object also fails: the JSON
text is then ambiguous, and Python would silently keep the last value.

Exit status: 0 when every report is valid, 1 when any fails, 2 on bad usage
or an unusable schema. The last line is a summary: "N passed, M failed".
"""
import argparse
import json
import pathlib
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover
    sys.exit("validate-report: the jsonschema package is required (pip install jsonschema)")

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = ROOT / "docs" / "report.schema.json"


class DuplicateKey(ValueError):
    pass


def reject_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(f"duplicate key {key!r} in one object")
        seen[key] = value
    return seen


def path_of(error):
    path = getattr(error, "json_path", None)
    if path is not None:
        return path
    text = "$"
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def shorten(text, limit=240):
    return text if len(text) <= limit else text[:limit - 1] + "…"


def closest_branch_errors(error):
    """For a oneOf/anyOf failure: the errors of the alternative that came closest
    (fewest errors), ignoring a bare `null` alternative."""
    branches = {}
    for sub in error.context:
        key = sub.relative_schema_path[0] if sub.relative_schema_path else None
        branches.setdefault(key, []).append(sub)
    candidates = [errors for errors in branches.values()
                  if not (len(errors) == 1 and list(errors[0].relative_schema_path)[1:] == ["type"]
                          and errors[0].validator_value == "null")]
    if not candidates:
        return []
    return min(candidates, key=len)


def explain(error):
    """Lines for one error. A oneOf/anyOf failure is reported through the
    closest alternative's own errors rather than the whole instance."""
    if error.context:
        inner = closest_branch_errors(error)
        if inner:
            lines = [f"{path_of(error)}: matches none of the allowed shapes ({error.validator}); closest one fails with:"]
            for sub in sorted(inner, key=lambda e: [str(p) for p in e.absolute_path]):
                lines.extend("  " + line for line in explain(sub))
            return lines
    return [f"{path_of(error)}: {shorten(error.message)}"]


def validate_file(validator, path):
    """Returns a list of error lines (empty when the report is valid)."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle, object_pairs_hook=reject_duplicates)
    except OSError as error:
        return [f"cannot read: {error.strerror or error}"]
    except DuplicateKey as error:
        return [f"invalid JSON: {error}"]
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return [f"invalid JSON: {error}"]
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    lines = []
    for error in errors:
        lines.extend(explain(error))
    return lines


def main(argv):
    parser = argparse.ArgumentParser(description="Validate wirecheck JSON reports against the report schema.")
    parser.add_argument("--schema", default=str(DEFAULT_SCHEMA), help="schema to use (default: docs/report.schema.json)")
    parser.add_argument("reports", nargs="+", metavar="REPORT.json")
    args = parser.parse_args(argv)

    try:
        with open(args.schema, encoding="utf-8") as handle:
            schema = json.load(handle)
        Draft202012Validator.check_schema(schema)
    except (OSError, json.JSONDecodeError, jsonschema.exceptions.SchemaError) as error:
        print(f"validate-report: unusable schema {args.schema}: {error}", file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    passed = failed = 0
    for report in args.reports:
        problems = validate_file(validator, report)
        if problems:
            failed += 1
            print(f"FAIL {report}")
            for line in problems:
                print(f"  {report}: {line}")
        else:
            passed += 1
            print(f"ok   {report}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
