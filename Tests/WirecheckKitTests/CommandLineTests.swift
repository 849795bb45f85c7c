import Foundation
import Testing

/// The executable as a user runs it: exit codes, several inputs, standard
/// input, output files, bad input that must not stop the run.
@Suite(.serialized) struct CommandLineTests {
    @Test func cleanCaptureExitsZeroAndWeakOneExitsOne() throws {
        let clean = try run(wirecheckExecutable, ["inspect", capturePath("openssl/tls12-ecdhe-rsa2048-gcm.pcap")])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
        let weak = try run(wirecheckExecutable, ["inspect", capturePath("openssl/tls12-rsa1024.pcap")])
        #expect(weak.status == 1)
        #expect(weak.stdout.contains("WC-CRT-001"))
        let never = try run(wirecheckExecutable, ["inspect", "--fail-on", "none", capturePath("openssl/tls12-rsa1024.pcap")])
        #expect(never.status == 0)
        let strict = try run(wirecheckExecutable, ["inspect", "--fail-on", "low", capturePath("openssl/tls12-static-rsa.pcap")])
        #expect(strict.status == 1)
    }

    /// Pinned to one CPU the capture is hashed as it is read, otherwise (on a host with
    /// more than one) on a second thread: the report's digest is the file's SHA-256 either way.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")
                     && FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
    func captureDigestOnOneCPUAndOnAll() throws {
        let capture = capturePath("pii/http-json-nested.pcap")
        func digest(_ result: CommandResult) -> String? {
            let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (json?["inputs"] as? [[String: Any]])?.first?["sha256"] as? String
        }
        let all = try run(wirecheckExecutable, ["inspect", "--format", "json", "--fail-on", "none", capture])
        let pinned = try run(URL(fileURLWithPath: "/usr/bin/taskset"),
                             ["-c", "0", wirecheckExecutable.path, "inspect", "--format", "json", "--fail-on", "none", capture])
        let reference = try run(URL(fileURLWithPath: "/usr/bin/sha256sum"), [capture]).stdout.split(separator: " ").first.map(String.init)
        #expect(reference?.count == 64)
        #expect(digest(all) == reference, "\(all.stderr)")
        #expect(digest(pinned) == reference, "\(pinned.stderr)")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try run(wirecheckExecutable, ["inspect"]).status == 2)
        #expect(try run(wirecheckExecutable, ["inspect", "--fail-on", "severe", capturePath("openssl/tls13-default.pcap")]).status == 2)
        #expect(try run(wirecheckExecutable, ["inspect", "--format", "xml", capturePath("openssl/tls13-default.pcap")]).status == 2)
        let missing = try run(wirecheckExecutable, ["inspect", "/nonexistent/capture.pcap"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/capture.pcap"))
    }

    @Test func malformedPolicyIsRejectedWithPosition() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-bad-policy-\(getpid()).yaml")
        try Data("name: bad\ncertificates:\n  minimum_rsa_bits: [\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try run(wirecheckExecutable, ["inspect", "--policy", file.path, capturePath("openssl/tls13-default.pcap")])
        #expect(result.status == 2)
        #expect(result.stderr.contains(file.path + ":"))
    }

    @Test func severalInputsStandardInputAndOutputFile() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: capturePath("openssl/tls12-rsa1024.pcap")))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-report-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try run(wirecheckExecutable, ["inspect", "--format", "json", "--output", output.path, "--fail-on", "none",
                                                   capturePath("openssl/tls13-default.pcap"), "-", "/nonexistent.pcap"], stdin: data)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any]
        let inputs = report?["inputs"] as? [[String: Any]] ?? []
        #expect(inputs.map { $0["path"] as? String } == [capturePath("openssl/tls13-default.pcap"), "-", "/nonexistent.pcap"])
        #expect(inputs[1]["packets"] as? Int == 17)
        #expect(inputs[2]["readable"] as? Bool == false)
        let findings = report?["findings"] as? [[String: Any]] ?? []
        #expect(findings.contains { $0["rule"] as? String == "WC-CRT-001" && $0["file"] as? String == "-" })
    }

    @Test func statsGoToStandardErrorOnly() throws {
        let capture = capturePath("pii/http-query-imei.pcap")
        let plain = try run(wirecheckExecutable, ["inspect", "--format", "json", "--fail-on", "none", capture])
        let measured = try run(wirecheckExecutable, ["inspect", "--format", "json", "--fail-on", "none", "--stats", capture])
        #expect(measured.status == 0, "\(measured.stderr)")
        // The report is unchanged apart from its generation time.
        let findings = { (s: String) in
            ((try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
        }
        #expect(!findings(plain.stdout).isEmpty)
        #expect(findings(measured.stdout).map { "\($0["rule"] ?? "") \($0["summary"] ?? "")" }
                == findings(plain.stdout).map { "\($0["rule"] ?? "") \($0["summary"] ?? "")" })
        let lines = measured.stderr.split(separator: "\n").filter { $0.hasPrefix("stats: ") }
        #expect(lines.count == 3, "\(measured.stderr)")
        // The scanner saw the capture's HTTP: some bytes, in some calls.
        let scanner = lines.count > 1 ? String(lines[1]) : ""
        #expect(scanner.contains("PI scanner:"))
        #expect(!scanner.contains(" 0.0 MB of plaintext in 0 calls"), "\(scanner)")
        // Split by content: the query string that carries the IMEI among them.
        let byContent = lines.last.map(String.init) ?? ""
        #expect(byContent.hasPrefix("stats: PI scanner by content: "), "\(byContent)")
        #expect(byContent.contains(" query "), "\(byContent)")
    }

    @Test func corruptInputIsReportedAndTheRestAnalysed() throws {
        let result = try run(wirecheckExecutable, ["inspect", capturePath("transport/corrupt-record.pcap"), capturePath("openssl/tls12-rsa1024.pcap")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("corrupt-record.pcap: packet 17"))
        #expect(result.stdout.contains("WC-CRT-001"))
    }

    @Test func helpNamesEveryOptionAndItsDefault() throws {
        let help = try run(wirecheckExecutable, ["inspect", "--help"])
        #expect(help.status == 0)
        for option in ["--policy", "--format", "--output", "--fail-on", "--device", "--reveal", "--no-progress", "default: high"] {
            #expect(help.stdout.contains(option), "\(option) missing from inspect --help")
        }
        let root = try run(wirecheckExecutable, ["--help"])
        #expect(root.stdout.contains("Exit codes") && root.stdout.contains("wirecheck rules") && root.stdout.contains("live"))
    }

    @Test func rulesAndExplain() throws {
        let rules = try run(wirecheckExecutable, ["rules"])
        #expect(rules.status == 0 && rules.stdout.contains("WC-TLS-001"))
        let explain = try run(wirecheckExecutable, ["explain", "wc-crt-003"])
        #expect(explain.status == 0 && explain.stdout.contains("forbidden hash"))
        #expect(try run(wirecheckExecutable, ["explain", "WC-XXX-000"]).status == 2)
    }
}
