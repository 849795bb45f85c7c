import Foundation
import Testing
import Rules

@Suite struct PolicyTests {
    @Test func builtInPolicyIsTheCommittedDefault() throws {
        let committed = try Data(contentsOf: repositoryRoot.appendingPathComponent("Policies/default.yaml"))
        let bundled = try Data(contentsOf: repositoryRoot.appendingPathComponent("Sources/Rules/DefaultPolicy/default.yaml"))
        #expect(committed == bundled, "Policies/default.yaml and the bundled copy differ: copy one over the other")
        let policy = try PolicyLoader.builtIn()
        #expect(policy.name == "wirecheck-default")
        #expect(policy.minimumVersion.name == "TLS 1.2")
        #expect(policy.minimumRSABits == 2048)
        #expect(policy.severity(of: .tlsSuiteStaticRSA) == .low)
        #expect(policy.sha256.count == 64)
    }

    @Test func syntaxErrorNamesLineAndColumn() {
        let yaml = "name: broken\ntls:\n  minimum_version: [TLS 1.2\n"
        #expect {
            try PolicyLoader.load(Array(yaml.utf8), file: "broken.yaml")
        } throws: { error in
            guard let error = error as? PolicyError else { return false }
            return error.file == "broken.yaml" && error.line != nil && error.column != nil
        }
    }

    @Test func unknownKeyIsRejectedWithItsPosition() throws {
        let yaml = "name: typo\ntls:\n  minimun_version: TLS 1.2\n"
        do {
            _ = try PolicyLoader.load(Array(yaml.utf8), file: "typo.yaml")
            Issue.record("a misspelt key was accepted")
        } catch {
            #expect(error.line == 3 && error.column == 3)
            #expect(error.description.contains("minimun_version"))
        }
    }

    @Test func wrongValueTypeAndUnknownRuleAreRejected() {
        for yaml in ["name: x\ncertificates:\n  minimum_rsa_bits: lots\n",
                     "name: x\nrules:\n  WC-TLS-999: {severity: high}\n",
                     "name: x\nrules:\n  WC-TLS-001: {severity: severe}\n",
                     "name: x\ntls:\n  minimum_version: TLS 9\n",
                     "name: x\npii:\n  sensitive_types: [shoe_size]\n",
                     "name: x\npii:\n  minimum_confidence: 2\n",
                     "name: x\ntls:\n  client_offer_weak_categories: [rc5]\n",
                     "tls: {}\n"] {
            #expect(throws: PolicyError.self, "\(yaml)") { try PolicyLoader.load(Array(yaml.utf8), file: "bad.yaml") }
        }
    }

    @Test func thresholdsAndOverridesChangeTheVerdict() throws {
        // The same 1024-bit capture passes when the policy lowers the RSA minimum,
        // and the static-RSA note disappears when that rule is disabled.
        let lenient = try PolicyLoader.load(Array("""
        name: lenient
        certificates:
          minimum_rsa_bits: 1024
        rules:
          WC-TLS-009: {enabled: false}
          WC-TLS-008: {severity: info}
        """.utf8), file: "lenient.yaml")
        let weakKey = try inspect([capturePath("openssl/tls12-rsa1024.pcap")], policy: lenient)
        #expect(weakKey.findings.isEmpty)
        let staticRSA = try inspect([capturePath("openssl/tls12-static-rsa.pcap")], policy: lenient)
        #expect(!staticRSA.findings.contains { $0.rule == .tlsSuiteStaticRSA })
        let cbc = try inspect([capturePath("openssl/tls12-cbc-sha.pcap")], policy: lenient)
        #expect(cbc.findings.first { $0.rule == .tlsSuiteSHA1MAC }?.severity == .info)
    }
}

@Suite struct RuleCatalogueTests {
    @Test func docsRulesMarkdownIsGeneratedFromTheCatalogue() throws {
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(committed == RuleDocumentation.markdown(), "docs/rules.md is stale: run `wirecheck rules --format markdown > docs/rules.md`")
    }

    @Test func idsAreUniqueAndWellFormed() {
        let ids = RuleID.allCases.map(\.rawValue)
        #expect(Set(ids).count == ids.count)
        for rule in RuleID.allCases {
            #expect(rule.rawValue.wholeMatch(of: /WC-[A-Z0-9]{2,4}-\d{3}/) != nil, "\(rule.rawValue)")
            #expect(!rule.entry.clause.isEmpty && !rule.entry.fix.isEmpty && !rule.entry.checks.isEmpty)
        }
    }
}
