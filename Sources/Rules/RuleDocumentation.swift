/// `docs/rules.md`, generated from the catalogue (`wirecheck rules --format
/// markdown`); a test keeps the committed file identical.
public enum RuleDocumentation {
    public static func markdown() -> String {
        var text = """
        # wirecheck rules

        Generated from the rule catalogue (`Sources/Rules/RuleCatalogue.swift`) by
        `wirecheck rules --format markdown`; do not edit by hand. Ids are stable: a rule
        is never renamed and an id is never reused. Severities are defaults; a policy file
        can change them (`rules: {WC-TLS-009: {severity: medium}}`) or disable a rule.
        Clauses refer to `../shared/docs/requirements.md`.

        | id | severity | title |
        | --- | --- | --- |

        """
        for rule in RuleID.allCases {
            text += "| [\(rule.rawValue)](#\(rule.rawValue.lowercased())) | \(rule.entry.defaultSeverity.name) | \(rule.entry.title) |\n"
        }
        for rule in RuleID.allCases {
            text += "\n" + section(for: rule)
        }
        return text
    }

    public static func section(for rule: RuleID) -> String {
        let entry = rule.entry
        return """
        ## \(rule.rawValue)

        **\(entry.title)**

        - Severity: \(entry.defaultSeverity.name)
        - Clause: \(entry.clause)
        - Who acts: \(entry.accountability.rawValue)
        - Checks: \(entry.checks)
        - Fix: \(entry.fix)

        """
    }
}
