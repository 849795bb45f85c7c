import Foundation

/// `docs/sdk-catalog.md`, generated from the catalogue (`wirecheck sdk list
/// --format markdown`); a test keeps the committed file identical.
public enum CatalogDocumentation {
    public static func markdown(_ catalog: SDKCatalog) -> String {
        let entries = catalog.entries.sorted { ($0.category, $0.id) < ($1.category, $1.id) }
        let patterns = entries.reduce(0) { $0 + $1.domains.count }
        let networks = entries.reduce(0) { $0 + $1.networks.count }
        var text = """
        # wirecheck SDK catalogue

        Generated from `Policies/sdk-catalog.yaml` by `wirecheck sdk list --format markdown`; do
        not edit by hand. \(entries.count) SDKs, \(patterns) domain patterns, \(networks) address ranges.
        A flow is attributed by its server name (the most specific pattern wins: exact, then
        the longest suffix, with `*.` standing for one label) or, with no name, by address.
        Confidence: **high** the vendor documents or ships the host; **medium** consistent
        third-party attribution; **low** a broad or shared pattern. A flow to one of the app's
        own domains (`--first-party`, the declared list) is first-party whatever this says.
        `wirecheck sdk lookup HOST` shows what one name matches.

        | category | SDKs |
        | --- | --- |

        """
        var byCategory: [String: [SDKEntry]] = [:]
        for entry in entries { byCategory[entry.category, default: []].append(entry) }
        for category in SDKCatalog.categories + byCategory.keys.filter({ !SDKCatalog.categories.contains($0) }).sorted() {
            guard let list = byCategory[category] else { continue }
            text += "| \(category) | \(list.map { "[\(cell($0.name))](#\($0.id))" }.joined(separator: ", ")) |\n"
        }
        for category in SDKCatalog.categories + byCategory.keys.filter({ !SDKCatalog.categories.contains($0) }).sorted() {
            guard let list = byCategory[category] else { continue }
            text += "\n## \(category)\n"
            for entry in list { text += "\n" + section(entry) }
        }
        return text
    }

    static func section(_ entry: SDKEntry) -> String {
        var text = "### \(entry.id)\n\n"
        text += "**\(cell(entry.name))**" + (entry.nameZH.map { " (\(cell($0)))" } ?? "")
        text += " — \(cell(entry.vendor))" + (entry.vendorZH.map { " (\(cell($0)))" } ?? "")
        text += entry.collectsPI ? "; collects PI by its own notice.\n" : ".\n"
        if !entry.aliases.isEmpty { text += "\nAliases: \(entry.aliases.map { "`\(cell($0))`" }.joined(separator: ", ")).\n" }
        if let note = entry.note { text += "\n\(cell(note))\n" }
        if !entry.domains.isEmpty || !entry.networks.isEmpty {
            text += "\n| pattern | match | confidence | evidence |\n| --- | --- | --- | --- |\n"
            for pattern in entry.domains {
                text += "| `\(pattern.spelled)` | \(pattern.kind.rawValue) | \(pattern.confidence.rawValue) | [\(pattern.evidence)](\(pattern.source)) |\n"
            }
            for range in entry.networks {
                text += "| `\(range.cidr)` | network | \(range.confidence.rawValue) | [\(range.evidence)](\(range.source)) |\n"
            }
        } else {
            text += "\nNo documented endpoint: named only through sharing lists.\n"
        }
        return text
    }

    /// Markdown table cells: no pipes or line breaks from the data.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
