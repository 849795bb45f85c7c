import Foundation
import Testing
import Yams
import ReportModel
import ReportWriters
import Rules
import WirecheckKit

/// One capture's entry in `captures/<group>/expected.yaml`: what
/// `captures/<group>/README.md` says wirecheck must find in it.
struct CaptureExpectation: Sendable, CustomStringConvertible {
    struct Certificate: Sendable {
        var keyType: String
        var keyBits: Int?
        var signature: String
    }
    struct Handshake: Sendable {
        var clientHelloPacket: Int?
        var sni: String?
        var version: String?
        var cipherSuite: String?
        var certificates: [Certificate]
        var clientCertificates: [Certificate]
        var alert: String?
    }
    var group: String
    var file: String
    var linkTypes: [String]
    var packets: Int
    var packetsSkipped: Int
    var errors: Int
    var handshakes: [Handshake]
    /// Set when only the number of handshakes is asserted (the demo).
    var handshakeCount: Int?
    var findings: [String]
    var udpPayloadLengths: [Int]?
    /// Every flow's server name, in flow order (nil entries for unnamed flows).
    var serverNames: [String?]?
    /// The first packet's time, to the nanosecond.
    var firstTime: String?

    var path: String { capturePath("\(group)/\(file)") }
    var description: String { "\(group)/\(file)" }

    static func loadAll() throws -> [CaptureExpectation] {
        let capturesDirectory = repositoryRoot.appendingPathComponent("captures")
        let groups = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path).sorted()
        var all: [CaptureExpectation] = []
        for group in groups {
            let manifest = capturesDirectory.appendingPathComponent(group).appendingPathComponent("expected.yaml")
            guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { continue }
            guard let root = try Yams.load(yaml: text) as? [String: Any], let entries = root["captures"] as? [[String: Any]] else {
                Issue.record("\(manifest.path) has no captures list")
                continue
            }
            for entry in entries { all.append(parse(entry, group: group)) }
        }
        return all
    }

    static func certificates(_ value: Any?) -> [Certificate] {
        (value as? [[String: Any]] ?? []).map {
            Certificate(keyType: $0["key_type"] as? String ?? "", keyBits: $0["key_bits"] as? Int, signature: $0["signature"] as? String ?? "")
        }
    }

    static func parse(_ entry: [String: Any], group: String) -> CaptureExpectation {
        let handshakes = (entry["handshakes"] as? [[String: Any]] ?? []).map { item in
            Handshake(clientHelloPacket: item["client_hello_packet"] as? Int, sni: item["sni"] as? String,
                      version: item["version"] as? String, cipherSuite: item["cipher_suite"] as? String,
                      certificates: certificates(item["certificates"]), clientCertificates: certificates(item["client_certificates"]),
                      alert: item["alert"] as? String)
        }
        let readable = entry["readable_packets"] as? Int
        return CaptureExpectation(
            group: group, file: entry["file"] as? String ?? "",
            linkTypes: (entry["link_type"] as? String ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            packets: readable ?? entry["packets"] as? Int ?? -1,
            packetsSkipped: entry["packets_skipped"] as? Int ?? 0,
            errors: entry["errors"] as? Int ?? 0,
            handshakes: handshakes,
            handshakeCount: entry["handshake_count"] as? Int,
            findings: (entry["findings"] as? [String] ?? []).sorted(),
            udpPayloadLengths: entry["udp_payload_lengths"] as? [Int],
            serverNames: (entry["server_names"] as? [Any]).map { $0.map { $0 as? String } },
            firstTime: entry["first_time"] as? String)
    }
}

@Suite struct CaptureExpectationTests {
    static let expectations: [CaptureExpectation] = (try? CaptureExpectation.loadAll()) ?? []

    @Test func everyCaptureGroupHasExpectations() throws {
        #expect(Self.expectations.count >= 50, "expected.yaml files list \(Self.expectations.count) captures")
        for expectation in Self.expectations {
            #expect(FileManager.default.fileExists(atPath: expectation.path), "\(expectation) is missing")
        }
    }

    @Test(arguments: expectations)
    func captureMatchesItsReadme(_ expected: CaptureExpectation) throws {
        let report = try inspect([expected.path], failOn: nil)
        let input = try #require(report.inputs.first)
        #expect(input.packets == expected.packets, "packets read")
        #expect(input.packetsSkipped == expected.packetsSkipped, "packets skipped")
        #expect(input.errors.count == expected.errors, "input errors: \(input.errors.map(\.message))")
        #expect(Set(input.linkTypes) == Set(expected.linkTypes), "link types")
        #expect(Set(report.findings.map(\.rule.rawValue)) == Set(expected.findings),
                "findings: \(report.findings.map { "\($0.rule.rawValue): \($0.message)" })")
        #expect(report.handshakes.count == expected.handshakeCount ?? expected.handshakes.count, "handshake count")
        if let firstTime = expected.firstTime {
            #expect(input.firstTime == firstTime, "first packet time")
        }
        if let names = expected.serverNames {
            #expect(report.flows.map(\.serverName) == names, "server names")
        }
        if let lengths = expected.udpPayloadLengths {
            // Every datagram was put back together from its fragments.
            #expect(report.statistics.fragmentsReassembled == lengths.count, "reassembled datagrams")
            let udpBytes = report.flows.filter { $0.transport == "udp" }.reduce(UInt64(0)) { $0 + $1.clientBytes + $1.serverBytes }
            #expect(udpBytes == UInt64(lengths.reduce(0, +)), "reassembled UDP payload bytes")
        }
        for (handshake, want) in zip(report.handshakes, expected.handshakes) {
            #expect(handshake.clientHelloPacket == want.clientHelloPacket, "ClientHello packet")
            #expect(handshake.sni == want.sni, "SNI")
            #expect(handshake.version == want.version, "version")
            #expect(handshake.cipherSuite?.id == want.cipherSuite, "cipher suite")
            func chain(_ certificates: [CertificateView]) -> [String] {
                certificates.map { certificate in
                    certificate.signature.map { "\(certificate.keyType) \(certificate.keyBits ?? 0) \($0.name)" } ?? "not DER"
                }
            }
            #expect(chain(handshake.certificates) == want.certificates.map { "\($0.keyType) \($0.keyBits ?? 0) \($0.signature)" }, "server chain")
            #expect(chain(handshake.clientCertificates) == want.clientCertificates.map { "\($0.keyType) \($0.keyBits ?? 0) \($0.signature)" }, "client chain")
            let fatal = handshake.alerts.first { $0.fatal }?.description
            #expect(fatal == want.alert, "alert")
        }
    }
}
