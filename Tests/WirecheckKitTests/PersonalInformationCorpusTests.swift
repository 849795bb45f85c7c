import Foundation
import Testing
import Yams
import Detectors
import ReportModel
import ReportWriters
import Rules
import WirecheckKit

/// The labelled corpus of captures/pii (README there): every expected PI item
/// must be reported and nothing else, with the tester's device file given.
/// Precision and recall are computed over (capture, type, value); the issue
/// requires both at 0.98 or better.
@Suite struct PersonalInformationCorpusTests {
    struct Item: Hashable, CustomStringConvertible {
        var file: String
        var type: String
        var value: String?
        var description: String { "\(file): \(type) \(value ?? "*")" }
    }

    /// app_list and face_image values are summaries ("12 packages", an image
    /// digest) whose spelling is not part of the contract: match on type.
    static func item(_ file: String, _ type: String, _ value: String) -> Item {
        Item(file: file, type: type, value: type == "app_list" || type == "face_image" ? nil : value)
    }

    static func corpus() throws -> (device: DeviceIdentifiers, captures: [[String: Any]]) {
        let directory = repositoryRoot.appendingPathComponent("captures/pii")
        let manifest = try String(contentsOf: directory.appendingPathComponent("manifest.yaml"), encoding: .utf8)
        let root = try #require(try Yams.load(yaml: manifest) as? [String: Any])
        let deviceText = try String(contentsOf: directory.appendingPathComponent(root["device"] as? String ?? "device.yaml"), encoding: .utf8)
        let deviceMap = try #require(try Yams.compose(yaml: deviceText)?.mapping)
        let entries = deviceMap.compactMap { key, value in key.string.flatMap { k in value.string.map { (key: k, value: $0) } } }
        return (try DeviceIdentifiers(entries: entries), root["captures"] as? [[String: Any]] ?? [])
    }

    @Test func precisionAndRecallOnTheLabelledCorpus() throws {
        let (device, captures) = try Self.corpus()
        #expect(captures.count >= 30)
        var pipeline = Pipeline(policy: try defaultPolicy(), failOn: nil, device: device)
        pipeline.reveal = true
        var expected = Set<Item>()
        var reported = Set<Item>()
        var decoysReported: [String] = []
        for capture in captures {
            let file = try #require(capture["file"] as? String)
            for entry in capture["expected"] as? [[String: Any]] ?? [] {
                expected.insert(Self.item(file, entry["type"] as? String ?? "", "\(entry["value"] ?? "")"))
            }
            let report = pipeline.run(inputs: [capturePath("pii/\(file)")], generatedAt: "2000-01-01T00:00:00Z")
            for finding in report.findings {
                guard let pii = finding.pii, let value = pii.value else { continue }
                reported.insert(Self.item(file, pii.type, value))
                for decoy in capture["decoys"] as? [String] ?? [] where value == decoy {
                    decoysReported.append("\(file): \(decoy)")
                }
                // Reports never leak: the message carries the masked form only.
                if value.count >= 6 && pii.type != "face_image" {
                    #expect(!finding.message.contains(value), "\(file): unmasked value in \(finding.message)")
                }
            }
        }
        let truePositives = expected.intersection(reported).count
        let precision = Double(truePositives) / Double(max(reported.count, 1))
        let recall = Double(truePositives) / Double(max(expected.count, 1))
        #expect(expected.count >= 80)
        #expect(precision >= 0.98, "false positives: \(reported.subtracting(expected).sorted { $0.description < $1.description })")
        #expect(recall >= 0.98, "missed: \(expected.subtracting(reported).sorted { $0.description < $1.description })")
        #expect(decoysReported.isEmpty, "decoys reported: \(decoysReported)")
    }

    @Test func plaintextPIRulesAndJSONContract() throws {
        let (device, _) = try Self.corpus()
        let pipeline = Pipeline(policy: try defaultPolicy(), failOn: .high, device: device)
        let report = pipeline.run(inputs: [capturePath("pii/http-form-pinyin.pcap"), capturePath("pii/http-basic-auth.pcap"),
                                           capturePath("pii/http-multipart-face.pcap"), capturePath("pii/http-query-imei.pcap")],
                                  generatedAt: "2000-01-01T00:00:00Z")
        let rules = Set(report.findings.map(\.rule))
        #expect(rules.isSuperset(of: [.sensitivePIPlaintext, .personalInformationPlaintext, .credentialsPlaintext, .biometricSampleSent]))
        #expect(report.findings.first { $0.rule == .sensitivePIPlaintext }?.severity == .critical)
        #expect(report.findings.first { $0.rule == .personalInformationPlaintext }?.severity == .high)

        let masked = try JSONSerialization.jsonObject(with: Data(render(report, as: "json").utf8)) as? [String: Any]
        let findings = masked?["findings"] as? [[String: Any]] ?? []
        let imei = try #require(findings.first { ($0["pii"] as? [String: Any])?["type"] as? String == "imei" })
        let pii = imei["pii"] as? [String: Any]
        #expect(pii?["value"] == nil, "raw value present without --reveal")
        #expect(pii?["masked"] as? String == "8612********127")
        #expect(pii?["confirmed"] as? Bool == true)
        #expect(pii?["decoding"] as? [String] == ["query"])
        #expect(pii?["field"] as? String == "imei")
        #expect((imei["http"] as? [String: Any])?["path"] as? String == "/v1/report")
        #expect(!render(report, as: "json").contains("861234567890127"))
        #expect(!render(report, as: "text").contains("861234567890127"))

        var revealing = pipeline
        revealing.reveal = true
        let revealed = render(revealing.run(inputs: [capturePath("pii/http-query-imei.pcap")], generatedAt: "2000-01-01T00:00:00Z"), as: "json")
        #expect(revealed.contains("\"value\": \"861234567890127\""))
    }

    @Test func deviceFileErrorsNameTheKey() throws {
        #expect(throws: DeviceFileError.self) { try DeviceIdentifiers(entries: [("imei", "861234567890128")]) }
        #expect(throws: DeviceFileError.self) { try DeviceIdentifiers(entries: [("shoe_size", "42")]) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-device-\(getpid()).yaml")
        try Data("imei: 861234567890128\n".utf8).write(to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try run(wirecheckExecutable, ["inspect", "--device", directory.path, capturePath("pii/no-pii.pcap")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("imei"))
    }
}
