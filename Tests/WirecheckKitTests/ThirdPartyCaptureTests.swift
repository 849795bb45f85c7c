import Foundation
import Testing
import Yams
import Detectors
import ReportModel
import ReportWriters
import Rules
import ThirdParties
import WirecheckKit

/// captures/third-party: every flow's name, its source, SDK and party; the
/// sharing record; the declared lists; consent and frequency, as
/// `expectations.yaml` (tshark's reading of the captures) states them, read
/// back from the JSON report so the contract is checked too.
@Suite struct ThirdPartyCaptureTests {
    static let directory = repositoryRoot.appendingPathComponent("captures/third-party")

    static func expectations() throws -> [String: Any] {
        let text = try String(contentsOf: directory.appendingPathComponent("expectations.yaml"), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    static func device() throws -> DeviceIdentifiers {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("captures/pii/device.yaml"), encoding: .utf8)
        let mapping = try #require(try Yams.compose(yaml: text)?.mapping)
        return try DeviceIdentifiers(entries: mapping.compactMap { key, value in key.string.flatMap { k in value.string.map { (key: k, value: $0) } } })
    }

    /// The JSON report of one capture, run as a tester would: the app's domains, the phone's
    /// identifiers, the consent moment the capture shows, and a declared list if given.
    static func read(declared path: String) throws -> DeclaredList {
        try DeclaredListReader.read(path: directory.appendingPathComponent(path).path, catalog: SDKCatalog.standard, vocabulary: try Vocabulary.builtIn())
    }

    static func report(_ file: String, firstParty: [String], consent: [String: Any]? = nil, declared: String? = nil,
                       list: DeclaredList? = nil) throws -> [String: Any] {
        var pipeline = Pipeline(policy: try defaultPolicy(), failOn: nil, device: try device())
        pipeline.firstPartyDomains = firstParty
        if let consent, let marker = consent["marker"] as? [String: Any] {
            let moment = try #require(ConsentSetting.marker("\(marker["host"] as? String ?? "")\(marker["path"] as? String ?? "")"))
            pipeline.thirdParty.consent = ConsentSetting(moment: moment, refused: consent["refused"] as? Bool ?? false)
        }
        if let list = try list ?? declared.map(read(declared:)) {
            pipeline.thirdParty.declared = list
            pipeline.firstPartyDomains += list.firstPartyDomains
        }
        let report = pipeline.run(inputs: [directory.appendingPathComponent(file).path], generatedAt: "2000-01-01T00:00:00Z")
        let json = render(report, as: "json")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    /// Expected flow index (order of first packet) → the report's flow id.
    static func flowIDs(_ report: [String: Any]) -> [Int] {
        let flows = report["flows"] as? [[String: Any]] ?? []
        return flows.sorted { ($0["first_packet"] as? Int ?? 0) < ($1["first_packet"] as? Int ?? 0) }.compactMap { $0["id"] as? Int }
    }

    static func captures() throws -> [[String: Any]] {
        try expectations()["captures"] as? [[String: Any]] ?? []
    }

    @Test func everyFlowIsNamedAttributedAndGivenItsParty() throws {
        let root = try Self.expectations()
        let firstParty = root["first_party_domains"] as? [String] ?? []
        let captures = try Self.captures()
        #expect(captures.count == 11)
        var checked = 0
        for capture in captures {
            let file = try #require(capture["file"] as? String)
            let report = try Self.report(file, firstParty: firstParty, consent: capture["consent"] as? [String: Any])
            let flows = (report["flows"] as? [[String: Any]] ?? []).sorted { ($0["first_packet"] as? Int ?? 0) < ($1["first_packet"] as? Int ?? 0) }
            let expected = capture["flows"] as? [[String: Any]] ?? []
            #expect(flows.count == expected.count, "\(file): flows")
            for (want, got) in zip(expected, flows) {
                let index = want["index"] as? Int ?? -1
                let label = "\(file) flow \(index) (\(want["server"] ?? ""))"
                #expect("\(got["server"].flatMap { ($0 as? [String: Any]).map { "\($0["ip"] ?? ""):\($0["port"] ?? "")" } } ?? "")" == want["server"] as? String, "\(label): server")
                #expect(got["server_name"] as? String == want["server_name"] as? String, "\(label): server_name")
                let source = (want["name_source"] as? String).map { $0 == "host" ? "http_host" : $0 }
                #expect(got["server_name_source"] as? String == source, "\(label): server_name_source")
                let sdk = (got["sdk"] as? [String: Any])?["id"] as? String
                #expect(sdk == want["sdk"] as? String, "\(label): sdk")
                let party: String? = switch want["party"] as? String {
                case "unknown": "unattributed"
                case let other: other
                }
                #expect(got["party"] as? String == party, "\(label): party")
                if let matched = (got["sdk"] as? [String: Any])?["matched"] as? [String: Any], want["attribution"] as? String == "address" {
                    #expect(["address", "request"].contains(matched["source"] as? String ?? ""), "\(label): attributed without a name")
                }
                checked += 1
            }
        }
        #expect(checked == 93)
    }

    @Test func theSharingRecordListsEveryRecipient() throws {
        let root = try Self.expectations()
        let firstParty = root["first_party_domains"] as? [String] ?? []
        for capture in try Self.captures() {
            let file = try #require(capture["file"] as? String)
            let report = try Self.report(file, firstParty: firstParty, consent: capture["consent"] as? [String: Any])
            let ids = Self.flowIDs(report)
            let recipients = report["recipients"] as? [[String: Any]] ?? []
            let expected = capture["expected_recipients"] as? [[String: Any]] ?? []
            for want in expected {
                let name = try #require(want["name"] as? String)
                let label = "\(file) recipient \(name)"
                guard let got = recipients.first(where: { $0["name"] as? String == name }) else {
                    Issue.record("\(label): missing from recipients[]")
                    continue
                }
                #expect(got["sdk"] as? String == want["sdk"] as? String, "\(label): sdk")
                #expect(got["party"] as? String == want["party"] as? String, "\(label): party")
                let flows = (want["flows"] as? [Int] ?? []).map { ids[$0] }
                #expect(got["flows"] as? [Int] == flows, "\(label): flows")
                #expect((got["pi_types"] as? [String: Int]) ?? [:] == (want["pi_types"] as? [String: Int]) ?? [:], "\(label): pi_types")
                #expect(got["encryption"] as? String == want["encryption"] as? String, "\(label): encryption")
                for key in ["before_consent", "after_refusal"] where want.keys.contains(key) {
                    #expect(got[key] as? Bool == want[key] as? Bool, "\(label): \(key)")
                }
                #expect(got["declared"] is NSNull, "\(label): no declared list was given")
            }
            // Everything else is a recipient the expectations call neither an SDK nor the app's own:
            // listed, and listed as unattributed, never as first party.
            for got in recipients where !expected.contains(where: { $0["name"] as? String == got["name"] as? String }) {
                #expect(got["party"] as? String == "unattributed", "\(file): \(got["name"] ?? "") is unexpectedly \(got["party"] ?? "")")
            }
        }
    }

    @Test func withoutFirstPartyDomainsTheAppsOwnServersAreUnattributed() throws {
        let report = try Self.report("sdk-pi-plaintext.pcap", firstParty: [])
        let own = try #require((report["recipients"] as? [[String: Any]])?.first { $0["name"] as? String == "api.example-shop.cn" })
        #expect(own["party"] as? String == "unattributed")
        #expect(own["sdk"] is NSNull)
    }

    static func findings(_ report: [String: Any], rule: String) -> [[String: Any]] {
        (report["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == rule }
    }

    @Test func declaredListsFindUndeclaredSDKsAndPIBeyondTheirScope() throws {
        let lists = try Self.expectations()["declared_lists"] as? [[String: Any]] ?? []
        let captures = try Self.captures()
        var judged = 0
        for list in lists where list["error"] == nil && list["undeclared_sdks"] != nil {
            let path = try #require(list["file"] as? String)
            let undeclared = list["undeclared_sdks"] as? [[String: Any]] ?? []
            let exceeded = list["scope_exceeded"] as? [[String: Any]] ?? []
            let declared = try Self.read(declared: path)
            for capture in captures {
                let file = try #require(capture["file"] as? String)
                let report = try Self.report(file, firstParty: [], consent: capture["consent"] as? [String: Any], list: declared)
                let input = try #require((report["inputs"] as? [[String: Any]])?.first?["declared_list"] as? [String: Any])
                #expect(input["entries"] as? Int == list["entries"] as? Int, "\(path): entries read")
                let found = Set(Self.findings(report, rule: "WC-3P-001").compactMap { $0["sdk"] as? String })
                let wanted = Set(undeclared.filter { ($0["captures"] as? [String] ?? []).contains(file) }.compactMap { $0["sdk"] as? String })
                #expect(found == wanted, "\(path) on \(file): undeclared SDKs")
                let scope = Set(Self.findings(report, rule: "WC-3P-002").flatMap { finding in
                    ((finding["evidence"] as? [String: Any])?["pi_types"] as? String ?? "").split(separator: ",").map {
                        "\(finding["sdk"] as? String ?? "") \($0.trimmingCharacters(in: .whitespaces))"
                    }
                })
                let scopeWanted = Set(exceeded.filter { ($0["captures"] as? [String] ?? []).contains(file) }.map { "\($0["sdk"] ?? "") \($0["pi_type"] ?? "")" })
                #expect(scope == scopeWanted, "\(path) on \(file): PI beyond the declared scope")
                for recipient in report["recipients"] as? [[String: Any]] ?? [] where recipient["party"] as? String == "third" {
                    let sdk = recipient["sdk"] as? String ?? ""
                    #expect(recipient["declared"] as? Bool == !wanted.contains(sdk), "\(path) on \(file): \(sdk) declared")
                }
                judged += 1
            }
        }
        #expect(judged == 5 * 11)
    }

    @Test func aDeclaredSDKTheCaptureNeverReachedIsInformation() throws {
        let report = try Self.report("frequency.pcap", firstParty: [], declared: "declared/complete.xlsx")
        let unseen = Self.findings(report, rule: "WC-3P-003")
        #expect(unseen.count == 19)
        #expect(!unseen.contains { $0["sdk"] as? String == "amap" })
        #expect(unseen.allSatisfy { $0["severity"] as? String == "info" })
    }

    @Test func unknownWordsAndUnmatchedNamesAreWarnings() throws {
        let list = try DeclaredListReader.read(path: Self.directory.appendingPathComponent("declared/unknown-words.csv").path,
                                               catalog: try SDKCatalog.builtIn(), vocabulary: try Vocabulary.builtIn())
        #expect(list.entries.count == 3)
        #expect(list.warnings.contains { $0.contains("灵犀码") && $0.contains("row 3") })
        #expect(list.warnings.contains { $0.contains("无名氏推送SDK") && $0.contains("row 4") })
    }

    @Test func malformedListsNameTheRowAndColumn() throws {
        for (file, row, column, text) in [("declared/malformed.csv", 4, 3, "unterminated quote"), ("declared/malformed.yaml", 9, 15, "mapping values are not allowed")] {
            let catalog = try SDKCatalog.builtIn(), vocabulary = try Vocabulary.builtIn()
            do {
                _ = try DeclaredListReader.read(path: Self.directory.appendingPathComponent(file).path, catalog: catalog, vocabulary: vocabulary)
                Issue.record("\(file) was accepted")
            } catch {
                #expect(error.row == row && error.column == column, "\(file): \(error)")
                #expect(error.description.contains(text) && error.description.contains(file), "\(file): \(error)")
            }
        }
    }

    @Test func consentAndRefusal() throws {
        let captures = try Self.captures()
        let agree = try #require(captures.first { $0["file"] as? String == "consent-agree.pcap" })
        var report = try Self.report("consent-agree.pcap", firstParty: ["example-shop.cn"], consent: agree["consent"] as? [String: Any])
        #expect(Set(Self.findings(report, rule: "WC-CON-001").compactMap { $0["sdk"] as? String }) == ["umeng-analytics", "jiguang-jpush"])
        #expect(Self.findings(report, rule: "WC-CON-002").isEmpty)
        let refuse = try #require(captures.first { $0["file"] as? String == "consent-refuse.pcap" })
        report = try Self.report("consent-refuse.pcap", firstParty: ["example-shop.cn"], consent: refuse["consent"] as? [String: Any])
        #expect(Set(Self.findings(report, rule: "WC-CON-002").compactMap { $0["sdk"] as? String }) == ["umeng-analytics", "baidu-map", "tencent-gdt"])
        #expect(Self.findings(report, rule: "WC-CON-001").isEmpty)
        // Without a consent moment nothing is judged as before or after it.
        report = try Self.report("consent-agree.pcap", firstParty: ["example-shop.cn"])
        #expect(Self.findings(report, rule: "WC-CON-001").isEmpty)
        #expect((report["recipients"] as? [[String: Any]] ?? []).allSatisfy { $0["before_consent"] is NSNull })
    }

    @Test func theAppTypeNamesWhatItsBasicFunctionDoesNotNeed() throws {
        let types = try NecessaryPI.builtIn()
        #expect(types.count == 39)
        var pipeline = Pipeline(policy: try defaultPolicy(), failOn: nil, device: try Self.device())
        pipeline.firstPartyDomains = ["example-shop.cn"]
        pipeline.thirdParty.consent = ConsentSetting(moment: try #require(ConsentSetting.marker("api.example-shop.cn/v1/privacy/agree")), refused: false)
        pipeline.thirdParty.appType = try #require(types.first { $0.id == "online_shopping" })
        let report = pipeline.run(inputs: [Self.directory.appendingPathComponent("consent-agree.pcap").path], generatedAt: "2000-01-01T00:00:00Z")
        let unnecessary = report.findings.filter { $0.rule == .consentUnnecessaryForAppType }
        #expect(Set(unnecessary.compactMap(\.sdk)) == ["umeng-analytics", "jiguang-jpush"])
        #expect(unnecessary.allSatisfy { $0.evidence.contains { $0.name == "necessary" && $0.value.contains("收货人地址") } })
    }

    @Test func aLocationSentEveryTwoSecondsIsTooFrequent() throws {
        let report = try Self.report("frequency.pcap", firstParty: [])
        let frequent = Self.findings(report, rule: "WC-FRQ-001")
        #expect(frequent.count == 1)
        let evidence = try #require(frequent.first?["evidence"] as? [String: Any])
        #expect(evidence["messages"] as? String == "20")
        #expect(evidence["mean_interval_seconds"] as? String == "2.0")
        #expect(frequent.first?["sdk"] as? String == "amap")
    }

    @Test func plaintextPIToAnSDKIsCritical() throws {
        let report = try Self.report("sdk-pi-plaintext.pcap", firstParty: ["example-shop.cn"])
        let critical = Self.findings(report, rule: "WC-3P-004")
        #expect(Set(critical.compactMap { $0["sdk"] as? String }) == ["umeng-analytics", "jiguang-jpush", "tencent-gdt", "pangle-cn", "amap"])
        #expect(critical.allSatisfy { $0["severity"] as? String == "critical" && $0["recipient"] is String })
    }
}

@Suite struct SDKCatalogueDocumentationTests {
    @Test func docsSDKCatalogIsGeneratedFromTheCatalogue() throws {
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/sdk-catalog.md"), encoding: .utf8)
        #expect(committed == CatalogDocumentation.markdown(try SDKCatalog.builtIn()),
                "docs/sdk-catalog.md is stale: run `wirecheck sdk list --format markdown > docs/sdk-catalog.md`")
    }

}
