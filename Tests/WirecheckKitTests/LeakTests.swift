import Foundation
import Testing
import Yams
import Detectors
import Facts
import ReportModel
import ReportWriters
import Rules
import WirecheckKit

/// No report shows a detected value raw without `--reveal`: not as a finding
/// value, and not inside the strings that came from the wire (paths, field
/// names, decoding chains, server names, SNI, Host, certificate names,
/// messages and evidence that quote them).
@Suite struct LeakTests {
    struct Corpus {
        var directory: URL
        var captures: [String]
        /// Raw spellings that must never appear.
        var values: Set<String>
    }

    static func values(of item: [String: Any]) -> [String] {
        let type = item["type"] as? String ?? ""
        let value = "\(item["value"] ?? "")"
        switch type {
        case "app_list", "face_image", "contact_list": return []
        // A coordinate pair is "lat,lon" in the manifest; each number with its decimals is what would leak.
        case "coordinates": return value.split(separator: ",").map(String.init).filter { $0.count >= 7 }
        default: return value.count >= 6 ? [value] : []
        }
    }

    static func corpus(_ folder: String, manifest: String, itemsKey: String) throws -> Corpus {
        let directory = repositoryRoot.appendingPathComponent("captures/\(folder)")
        let text = try String(contentsOf: directory.appendingPathComponent(manifest), encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        let captures = root["captures"] as? [[String: Any]] ?? []
        var values = Set<String>()
        for capture in captures {
            for item in capture[itemsKey] as? [[String: Any]] ?? [] { values.formUnion(Self.values(of: item)) }
        }
        return Corpus(directory: directory, captures: captures.compactMap { $0["file"] as? String }, values: values)
    }

    static func corpora() throws -> [Corpus] {
        [try corpus("pii", manifest: "manifest.yaml", itemsKey: "expected"),
         try corpus("pii-shapes", manifest: "manifest.yaml", itemsKey: "expected"),
         try corpus("hostile", manifest: "expected.yaml", itemsKey: "values")]
    }

    static func device() throws -> DeviceIdentifiers {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("captures/pii/device.yaml"), encoding: .utf8)
        let mapping = try #require(try Yams.compose(yaml: text)?.mapping)
        return try DeviceIdentifiers(entries: mapping.compactMap { key, value in key.string.flatMap { k in value.string.map { (key: k, value: $0) } } })
    }

    static func leaks(in text: String, of values: Set<String>) -> [String] {
        let folded = text.lowercased()
        return values.filter { folded.contains($0.lowercased()) }.sorted()
    }

    @Test func noReportShowsALabelledValueRaw() throws {
        let corpora = try Self.corpora()
        let all = corpora.reduce(into: Set<String>()) { $0.formUnion($1.values) }
        #expect(all.count > 150)
        let device = try Self.device()
        var reports = 0
        for corpus in corpora {
            for file in corpus.captures {
                let pipeline = Pipeline(policy: try defaultPolicy(), failOn: nil, device: device)
                let report = pipeline.run(inputs: [corpus.directory.appendingPathComponent(file).path], generatedAt: "2000-01-01T00:00:00Z")
                for format in ReportWriters.formats {
                    let writer = ReportWriters.named(format)!.init(options: WriterOptions())
                    // Streamed items too: the JSON Lines writer prints those.
                    var text = ""
                    for flow in report.flows { text += String(decoding: writer.streamed(.flow(flow)), as: UTF8.self) }
                    for finding in report.findings { text += String(decoding: writer.streamed(.finding(finding)), as: UTF8.self) }
                    text += String(decoding: writer.finished(report), as: UTF8.self)
                    let found = Self.leaks(in: text, of: all)
                    #expect(found.isEmpty, "\(file) as \(format) shows raw: \(found)")
                    reports += 1
                }
            }
        }
        #expect(reports >= 3 * 60)
    }

    @Test func everyGoldenReportIsMasked() throws {
        let all = try Self.corpora().reduce(into: Set<String>()) { $0.formUnion($1.values) }
        let directory = repositoryRoot.appendingPathComponent("Tests/Golden/reports")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.count >= 50)
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let found = Self.leaks(in: text, of: all)
            #expect(found.isEmpty, "Tests/Golden/reports/\(file) shows raw: \(found)")
        }
    }

    @Test func piInPathsKeysHostAndSNIIsFoundAndMasked() throws {
        let corpus = try Self.corpus("hostile", manifest: "expected.yaml", itemsKey: "values")
        let root = try #require(try Yams.load(yaml: String(contentsOf: corpus.directory.appendingPathComponent("expected.yaml"), encoding: .utf8)) as? [String: Any])
        let capture = try #require((root["captures"] as? [[String: Any]])?.first { $0["file"] as? String == "wire-names.pcap" })
        let report = try inspect([corpus.directory.appendingPathComponent("wire-names.pcap").path], failOn: nil)
        let masked = Set(report.findings.compactMap { $0.pii?.masked })
        let json = render(report, as: "json")
        for item in capture["values"] as? [[String: Any]] ?? [] where item["found"] as? Bool == true {
            let value = "\(item["value"] ?? "")"
            let mask = value.count == 11 ? "\(value.prefix(3))****\(value.suffix(4))" : "\(value.prefix(4))********\(value.suffix(3))"
            #expect(masked.contains(mask), "\(value) (\(item["where"] ?? "")) is not reported")
        }
        // The SNI and the Host are scanned like DNS names, and the names shown are masked.
        #expect(report.findings.contains { $0.pii?.carrier == "tls" && $0.pii?.masked == "187****5674" })
        #expect(report.findings.contains { $0.pii?.field == "Host" && $0.pii?.masked == "186****5673" })
        #expect(report.handshakes.contains { $0.sni == "189****5679.example.com" })
        #expect(report.flows.contains { $0.serverName == "186****5673.example.com" })
        #expect(report.findings.contains { $0.http?.path == "/users/138****5678/profile" })
        #expect(report.findings.contains { $0.pii?.field == "$.contacts.136****5677.mobile" })
        #expect(Self.leaks(in: json, of: corpus.values).isEmpty)
        // --reveal shows them, as asked.
        let revealed = render(try inspect([corpus.directory.appendingPathComponent("wire-names.pcap").path], failOn: nil, reveal: true), as: "json")
        #expect(revealed.contains("/users/13812345678/profile") && revealed.contains("18912345679.example.com"))
    }

    @Test func bidirectionalControlsReachTheTextReportOnlyEscaped() throws {
        let root = try #require(try Yams.load(yaml: String(contentsOf: repositoryRoot.appendingPathComponent("captures/hostile/expected.yaml"), encoding: .utf8)) as? [String: Any])
        let bidi = try #require((root["captures"] as? [[String: Any]])?.first?["bidi"] as? [String])
        let report = try inspect([capturePath("hostile/wire-names.pcap")], failOn: nil)
        let text = render(report, as: "text")
        let json = render(report, as: "json")
        for character in bidi {
            let scalar = try #require(character.unicodeScalars.first)
            #expect(!text.unicodeScalars.contains(scalar), "raw U+\(String(scalar.value, radix: 16, uppercase: true)) in the text report")
            #expect(!json.unicodeScalars.contains(scalar), "raw U+\(String(scalar.value, radix: 16, uppercase: true)) in the JSON report")
        }
        #expect(text.contains("api.ex\\u{202E}elpmaxe\\u{202C}.com"))
        #expect(text.contains("sdk.\\u{202E}moc.example.com"))
        #expect(json.contains("api.ex\\u202eelpmaxe\\u202c.com"))
    }

    @Test func theRedactorMasksLearnedAndFoundValues() {
        let redactor = WireTextRedactor(inspector: PIInspector())
        // Found in the string itself.
        #expect(redactor.redact("/users/13812345678/profile") == "/users/138****5678/profile")
        // An Android ID is not recognisable alone; once seen elsewhere in the run it is masked everywhere, in either case.
        #expect(redactor.redact("/v1/3F9A1C7E5B2D4086/ping") == "/v1/3F9A1C7E5B2D4086/ping")
        redactor.learn(PIMatch(type: .androidID, value: "3f9a1c7e5b2d4086", masked: "3f9a****4086", confidence: 1))
        #expect(redactor.redact("/v1/3F9A1C7E5B2D4086/ping") == "/v1/3f9a****4086/ping")
        #expect(redactor.redact("no digits here") == "no digits here")
    }
}

/// A malformed HTTP head never hides the request or what it carries.
@Suite struct MalformedHeadTests {
    @Test func everyRequestWithABadHeadIsStillScanned() throws {
        let root = try #require(try Yams.load(yaml: String(contentsOf: repositoryRoot.appendingPathComponent("captures/hostile/expected.yaml"), encoding: .utf8)) as? [String: Any])
        let capture = try #require((root["captures"] as? [[String: Any]])?.first { $0["file"] as? String == "malformed-heads.pcap" })
        let report = try inspect([capturePath("hostile/malformed-heads.pcap")], failOn: nil)
        let masked = Set(report.findings.compactMap { $0.pii?.masked })
        let values = (capture["values"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? "")" }
        #expect(values.count == 14)
        for value in values { #expect(masked.contains("\(value.prefix(3))****\(value.suffix(4))"), "\(value) is not reported") }
        let anomalies = Dictionary(uniqueKeysWithValues: report.anomalies.map { ($0.kind, $0.count) })
        #expect(anomalies == capture["anomalies"] as? [String: Int])
    }
}
