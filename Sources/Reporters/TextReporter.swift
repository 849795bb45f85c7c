import WireBytes
import Dissection
import Foundation
import Flows
import ProtocolTLS
import TLSModel
import ProtocolX509
import CertificateModel
import Rules

/// The human report: the evidence header, then every server with its
/// handshakes and findings, then a summary. Strings from the wire are made
/// safe for a terminal (control characters shown as \xNN).
public enum TextReporter {
    public static func render(_ report: Report, color: Bool = false) -> String {
        var out = ""
        func line(_ text: String = "") { out += text + "\n" }
        func paint(_ text: String, _ severity: Severity) -> String {
            guard color else { return text }
            let code = switch severity {
            case .critical: "1;35"
            case .high: "1;31"
            case .medium: "33"
            case .low: "36"
            case .info: "2"
            }
            return "\u{1B}[\(code)m\(text)\u{1B}[0m"
        }

        line("wirecheck \(report.toolVersion) — report generated \(report.generatedAt)")
        line("policy  \(report.policy.name) (sha256 \(report.policy.sha256))")
        for input in report.inputs {
            line("input   \(safe(input.path))")
            line("        \(input.bytes) bytes, sha256 \(input.sha256)")
            let times = [Describe.time(input.firstTimeNanos), Describe.time(input.lastTimeNanos)].compactMap { $0 }
            line("        \(input.format ?? "unreadable"), \(input.packets) packets read, \(input.packetsSkipped) skipped"
                 + (input.linkTypes.isEmpty ? "" : ", link types \(input.linkTypes.joined(separator: ", "))")
                 + (times.count == 2 ? ", \(times[0]) → \(times[1])" : ""))
            for comment in input.comments.prefix(5) { line("        comment: \(safe(comment))") }
            for error in input.errors {
                line("        ERROR " + (error.packet.map { "packet \($0): " } ?? "") + safe(error.message))
            }
        }
        line()

        // Group handshakes and findings by server.
        struct Group {
            var title: String
            var handshakes: [HandshakeFact] = []
            var findings: [Finding] = []
            var flows: [FlowFact] = []
        }
        var order: [String] = []
        var groups: [String: Group] = [:]
        func key(name: String?, server: Endpoint?) -> String {
            let endpoint = server.map { $0.description } ?? "capture"
            return name.map { "\($0) (\(endpoint))" } ?? endpoint
        }
        func add(_ key: String, _ update: (inout Group) -> Void) {
            if groups[key] == nil {
                order.append(key)
                groups[key] = Group(title: key)
            }
            update(&groups[key]!)
        }
        let flowsByID = Dictionary(report.flows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for handshake in report.handshakes {
            add(key(name: handshake.serverName ?? flowsByID[handshake.flow]?.serverName, server: handshake.server)) { $0.handshakes.append(handshake) }
        }
        for finding in report.findings {
            add(key(name: finding.serverName, server: finding.server)) { $0.findings.append(finding) }
        }
        for flow in report.flows where flow.application == .plaintext {
            add(key(name: flow.serverName, server: flow.server)) { $0.flows.append(flow) }
        }

        for name in order {
            guard let group = groups[name] else { continue }
            line("== \(safe(group.title))")
            for handshake in group.handshakes {
                let version = handshake.negotiatedVersion?.name ?? "not negotiated"
                let suite = handshake.serverHello.map { "\($0.cipherSuite.name) (\($0.cipherSuite.hexCode))" } ?? "—"
                line("   handshake flow \(handshake.flow), \(report.inputPath(handshake.file)) packet \(handshake.firstReference?.packet ?? 0): \(version), \(suite)")
                if let hello = handshake.clientHello {
                    line("     client \(handshake.client) offers \(TransportRules.namedVersions(hello).map(\.name).joined(separator: ", ")); \(hello.cipherSuites.filter { !$0.isGREASE }.count) suites; JA3 \(hello.ja3), JA4 \(hello.ja4)")
                }
                if let exchange = handshake.serverKeyExchange {
                    line("     key exchange: \(describe(exchange.parameters))" + (exchange.signatureScheme.map { ", signed \($0.name)" } ?? ""))
                }
                if handshake.negotiatedVersion == .tls13 && handshake.serverCertificates.isEmpty {
                    line("     certificates: not observable (TLS 1.3 encrypts them)")
                }
                for (index, entry) in handshake.serverCertificates.enumerated() {
                    line("     cert \(index + 1): " + describe(entry))
                }
                for (index, entry) in handshake.clientCertificates.enumerated() {
                    line("     client cert \(index + 1): " + describe(entry))
                }
                for alert in handshake.alerts {
                    line("     alert from \(alert.sender.rawValue): \(alert.isFatal ? "fatal" : "warning") \(alert.description.name) (packet \(alert.at.packet))")
                }
            }
            for flow in group.flows {
                line("   plaintext TCP flow \(flow.id) (\(flow.plaintextProtocol ?? "unknown protocol")): \(flow.client) → \(flow.server), \(flow.clientBytes)+\(flow.serverBytes) bytes")
            }
            for finding in group.findings {
                let packets = finding.packets.prefix(5).map(String.init).joined(separator: ",")
                line("   " + paint("[\(finding.severity.name.uppercased())]", finding.severity) + " \(finding.rule.rawValue) \(safe(finding.message))")
                if report.revealPersonalInformation, let observation = finding.personalInformation {
                    line("     value: \(safe(observation.match.value))")
                }
                if let observation = finding.personalInformation, !observation.match.decoding.isEmpty {
                    line("     decoding: \(safe(observation.match.decoding.joined(separator: " → ")))" + (observation.match.confirmed ? " (confirmed)" : String(format: " (confidence %.2f)", observation.match.confidence)))
                }
                line("     \(finding.clause); flow \(finding.flow.map(String.init) ?? "-"), packet \(packets), \(Describe.time(finding.timeNanos) ?? "")")
            }
            line()
        }

        let counts = Severity.allCases.reversed().map { "\($0.name) \(report.count($0))" }.joined(separator: ", ")
        line("summary: \(report.inputs.count) input(s), \(report.inputs.reduce(0) { $0 + $1.packets }) packets, \(report.flows.count) flows, \(report.handshakes.count) TLS handshakes")
        line("findings: \(report.findings.count) (\(counts))")
        let skipped = report.inputs.reduce(0) { $0 + $1.packetsSkipped }
        let errors = report.inputs.reduce(0) { $0 + $1.errors.count }
        if skipped > 0 || errors > 0 { line("input problems: \(errors) error(s), \(skipped) packet(s) skipped (see above)") }
        if let failOn = report.failOn {
            line("verdict: \(report.failingFindings) finding(s) at or above \(failOn.name)")
        }
        return out
    }

    static func describe(_ parameters: ServerKeyExchange.Parameters) -> String {
        switch parameters {
        case .ecdhe(_, let group): "ECDHE \(group?.name ?? "explicit curve")"
        case .dhe(let bits, _): "DHE \(bits)-bit prime"
        case .rsaExport(let bits): "RSA export \(bits)-bit"
        case .psk: "PSK"
        case .tlcpECC: "TLCP ECC (SM2)"
        case .srp(let bits): "SRP \(bits)-bit"
        case .unknown: "unknown"
        }
    }

    static func describe(_ entry: CertificateParseResult) -> String {
        guard let certificate = entry.certificate else {
            return "not DER (\(entry.notDER?.reason ?? "")), sha256 \(entry.notDER?.sha256 ?? "")"
        }
        let key = certificate.publicKey
        var keyText = key.keyType.rawValue
        if let bits = key.bits { keyText += " \(bits)" }
        if let curve = key.curveName { keyText += " \(curve)" }
        let validity = "\(certificate.notBefore.map { Timestamp.iso8601(seconds: $0) } ?? "?") → \(certificate.notAfter.map { Timestamp.iso8601(seconds: $0) } ?? "?")"
        return "\(safe(certificate.subject.rendered)) — \(keyText), \(certificate.signatureAlgorithm.name), issuer \(safe(certificate.issuer.rendered)), \(validity)"
    }

    /// Control characters (terminal escapes among them) shown as \xNN.
    public static func safe(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\x" + String(scalar.value, radix: 16).uppercased().leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
