import ArgumentParser
import Rules

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the rule catalogue (ids are stable and never reused).")

    enum Format: String, ExpressibleByArgument { case text, markdown }

    @Option(name: .long, help: "text, or markdown (the source of docs/rules.md).")
    var format: Format = .text

    func run() throws {
        switch format {
        case .text:
            for rule in RuleID.allCases {
                let entry = rule.entry
                print("\(rule.rawValue)  \(entry.defaultSeverity.name.padding(toLength: 8, withPad: " ", startingAt: 0))  \(entry.title)")
            }
        case .markdown:
            print(RuleDocumentation.markdown(), terminator: "")
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain one rule: what it checks, the clause it enforces, how to fix it.")

    @Argument(help: "A rule id such as WC-TLS-001.")
    var rule: String

    func validate() throws {
        guard RuleID(rawValue: rule.uppercased()) != nil else { throw ValidationError("unknown rule id '\(rule)'; `wirecheck rules` lists them") }
    }

    func run() throws {
        guard let id = RuleID(rawValue: rule.uppercased()) else { return }
        print(RuleDocumentation.section(for: id), terminator: "")
    }
}
