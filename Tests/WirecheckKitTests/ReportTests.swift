import Foundation
import Testing
import ReportModel
import ReportWriters
import Rules

@Suite struct ReportTests {
    static let mixed = ["openssl/tls12-rsa1024.pcap", "openssl/chain-sha1.pcap", "legacy-tlcp/tlcp-ecc-sm4-cbc-sm3.pcap",
                        "transport/plaintext-http.pcap", "transport/corrupt-record.pcap", "openssl/tls-refused.pcap",
                        "pii/http-form-pinyin.pcap", "pii/http-multipart-face.pcap"].map(capturePath)

    @Test func jsonCarriesTheEvidenceHeader() throws {
        let report = try inspect(Self.mixed)
        let json = try JSONSerialization.jsonObject(with: Data(render(report, as: "json").utf8)) as? [String: Any]
        let tool = json?["tool"] as? [String: Any]
        #expect(tool?["name"] as? String == "wirecheck")
        let policy = json?["policy"] as? [String: Any]
        #expect((policy?["sha256"] as? String)?.count == 64)
        let inputs = json?["inputs"] as? [[String: Any]] ?? []
        #expect(inputs.count == Self.mixed.count)
        for input in inputs {
            #expect((input["sha256"] as? String)?.count == 64)
            #expect(input["first_time"] as? String != nil)
        }
        let findings = json?["findings"] as? [[String: Any]] ?? []
        let certificate = try #require(findings.first { $0["rule"] as? String == "WC-CRT-001" })
        #expect(certificate["severity"] as? String == "high")
        #expect(certificate["packets"] as? [Int] == [6])
        #expect((certificate["time"] as? String)?.hasSuffix("Z") == true)
        #expect(certificate["server_name"] as? String == "tls12-rsa1024.wirecheck.test")
    }

    @Test func jsonValidatesAgainstTheSchema() throws {
        let schema = repositoryRoot.appendingPathComponent("docs/report.schema.json")
        try #require(FileManager.default.fileExists(atPath: schema.path), "docs/report.schema.json is missing")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-schema-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(render(try inspect(Self.mixed + ["/nonexistent.pcap"]), as: "json").utf8).write(to: file)
        let result = try run(URL(fileURLWithPath: "/usr/bin/env"),
                             ["python3", repositoryRoot.appendingPathComponent("scripts/validate-report.py").path, file.path])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    }

    @Test func wireStringsAreEscaped() {
        var json = JSONOutput()
        json.beginObject()
        json.field("sni", "evil\u{1B}[31m\"\\\n\u{2028}")
        json.endObject()
        #expect(json.text == "{\n  \"sni\": \"evil\\u001b[31m\\\"\\\\\\n\\u2028\"\n}")
        #expect(TextEscaping.terminal("a\u{1B}[2Jb\u{7}") == "a\\x1B[2Jb\\x07")
    }
}
