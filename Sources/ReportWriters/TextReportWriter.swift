import ReportModel
import Rules

/// The human report: the evidence header, then every server with its
/// handshakes and findings, then a summary. Strings from the wire are made
/// safe for a terminal. In live mode each finding is also printed the moment
/// it is known.
public final class TextReportWriter: ReportWriter {
    public static let format = "text"
    public static let about = "the human report, grouped by server (default)"

    private let options: WriterOptions

    public init(options: WriterOptions) {
        self.options = options
    }

    private func paint(_ text: String, _ severity: Severity) -> String {
        guard options.color else { return text }
        let code = switch severity {
        case .critical: "1;35"
        case .high: "1;31"
        case .medium: "33"
        case .low: "36"
        case .info: "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    private static func safe(_ text: String) -> String { TextEscaping.terminal(text) }

    public func streamed(_ item: ReportItem) -> [UInt8] {
        guard options.liveFindings, case .finding(let finding) = item else { return [] }
        let server = finding.serverName.map { "\(Self.safe($0)) " } ?? ""
        let line = paint("[\(finding.severity.name.uppercased())]", finding.severity)
            + " \(finding.rule.rawValue) \(server)\(finding.server.map { "(\($0.text)) " } ?? ""): \(Self.safe(finding.message))\n"
        return Array(line.utf8)
    }

    public func finished(_ report: Report) -> [UInt8] {
        var out = ""
        func line(_ text: String = "") { out += text + "\n" }
        let safe = Self.safe

        line("wirecheck \(report.toolVersion) — report generated \(report.generatedAt)")
        line("policy  \(report.policy.name) (sha256 \(report.policy.sha256))")
        for input in report.inputs {
            line("input   \(safe(input.path))")
            line("        \(input.bytes) bytes, sha256 \(input.sha256)")
            let times = [input.firstTime, input.lastTime].compactMap { $0 }
            line("        \(input.format ?? "unreadable"), \(input.packets) packets read, \(input.packetsSkipped) skipped"
                 + (input.linkTypes.isEmpty ? "" : ", link types \(input.linkTypes.joined(separator: ", "))")
                 + (times.count == 2 ? ", \(times[0]) → \(times[1])" : ""))
            for comment in input.comments.prefix(5) { line("        comment: \(safe(comment))") }
            for error in input.errors {
                line("        ERROR " + (error.packet.map { "packet \($0): " } ?? "") + safe(error.message))
            }
        }
        // The declared list is one for the run; every input carries it.
        if let list = report.inputs.lazy.compactMap(\.declaredList).first {
            line("declared \(safe(list.path)) (sha256 \(list.sha256)): \(list.entries.count) entries"
                 + (list.firstPartyDomains.isEmpty ? "" : ", the app's own domains \(safe(list.firstPartyDomains.joined(separator: ", ")))"))
            for warning in list.warnings { line("        warning: \(safe(warning))") }
        }
        line()

        for group in report.groups {
            line("== \(safe(group.title))")
            for index in group.handshakes {
                let handshake = report.handshakes[index]
                let version = handshake.version ?? "not negotiated"
                let suite = handshake.cipherSuite.map { "\($0.name) (\($0.id))" } ?? "—"
                line("   handshake flow \(handshake.flow), \(handshake.file) packet \(handshake.firstPacket ?? 0): \(version), \(suite)")
                if let ja3 = handshake.ja3, let ja4 = handshake.ja4 {
                    line("     client \(handshake.client.text) offers \(handshake.offeredVersions.joined(separator: ", ")); \(handshake.offeredSuiteCount) suites; JA3 \(ja3), JA4 \(ja4)")
                }
                if let exchange = handshake.keyExchange, let description = exchange.description {
                    line("     key exchange: \(description)" + (exchange.signature.map { ", signed \($0)" } ?? ""))
                }
                if handshake.certificatesEncrypted {
                    line("     certificates: not observable (TLS 1.3 encrypts them)")
                }
                for (number, certificate) in handshake.certificates.enumerated() {
                    line("     cert \(number + 1): " + describe(certificate))
                }
                for (number, certificate) in handshake.clientCertificates.enumerated() {
                    line("     client cert \(number + 1): " + describe(certificate))
                }
                for alert in handshake.alerts {
                    line("     alert from \(alert.sender): \(alert.level) \(alert.description) (packet \(alert.packet))")
                }
            }
            for index in group.plaintextFlows {
                let flow = report.flows[index]
                line("   plaintext TCP flow \(flow.id) (\(flow.plaintextProtocol ?? "unknown protocol")): \(flow.client.text) → \(flow.server.text), \(flow.clientBytes)+\(flow.serverBytes) bytes")
            }
            for index in group.findings {
                let finding = report.findings[index]
                let packets = finding.packets.prefix(5).map(String.init).joined(separator: ",")
                line("   " + paint("[\(finding.severity.name.uppercased())]", finding.severity) + " \(finding.rule.rawValue) \(safe(finding.message))")
                if let pii = finding.pii {
                    if let value = pii.value { line("     value: \(safe(value))") }
                    if !pii.decoding.isEmpty {
                        line("     decoding: \(safe(pii.decoding.joined(separator: " → ")))"
                             + (pii.confirmed ? " (confirmed)" : " (confidence \(Self.twoDecimals(pii.confidence)))"))
                    }
                }
                line("     \(finding.clause); flow \(finding.flow.map(String.init) ?? "-"), packet \(packets), \(finding.time ?? "")")
            }
            line()
        }

        if !report.recipients.isEmpty {
            line("== sharing record: who received what")
            for recipient in report.recipients { line("   " + describe(recipient)) }
            line()
        }

        let counts = report.severityCounts.map { "\($0.severity.name) \($0.count)" }.joined(separator: ", ")
        line("summary: \(report.inputs.count) input(s), \(report.packets) packets, \(report.flows.count) flows, \(report.handshakes.count) TLS handshakes")
        line("findings: \(report.findings.count) (\(counts))")
        if !report.recipients.isEmpty {
            let parties = ["third", "unattributed", "first"].map { party in (party, report.recipients.filter { $0.party == party }.count) }
            line("recipients: \(report.recipients.count) (" + parties.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")")
        }
        let hit = report.limits.filter(\.wasHit)
        if !hit.isEmpty {
            line("limits hit (docs/limits.md):")
            for limit in hit {
                let skipped = limit.skippedBytes > 0 ? ", \(limit.skippedBytes) bytes skipped" : ""
                line("  \(limit.name): \(limit.count) \(limit.unit)\(skipped): \(limit.consequence)")
            }
        }
        if report.packetsSkipped > 0 || report.inputErrors > 0 {
            line("input problems: \(report.inputErrors) error(s), \(report.packetsSkipped) packet(s) skipped (see above)")
        }
        if let failOn = report.failOn {
            line("verdict: \(report.failingFindings) finding(s) at or above \(failOn.name)")
        }
        return Array(out.utf8)
    }

    /// `third   ulogs.umeng.com — Umeng (umeng-analytics; Alibaba; analytics), high: 2 flows, …`.
    private func describe(_ recipient: RecipientView) -> String {
        var text = recipient.party.padding(12) + Self.safe(recipient.name)
        if recipient.names.count > 1 { text += " (also \(Self.safe(recipient.names.filter { $0 != recipient.name }.joined(separator: ", "))))" }
        if let sdk = recipient.sdk {
            text += " — \(sdk.name) (\(sdk.id); \(sdk.vendor); \(sdk.category)), \(sdk.confidence) confidence by \(sdk.patternKind) \(sdk.pattern)"
        }
        text += ": \(recipient.flowCount) flow\(recipient.flowCount == 1 ? "" : "s"), \(recipient.requests) request\(recipient.requests == 1 ? "" : "s"), "
            + "\(recipient.bytesSent) bytes sent, \(recipient.bytesReceived) received, encrypted: \(recipient.encryption)"
        if !recipient.piTypes.isEmpty { text += "; PI " + recipient.piTypes.map { "\($0.type) ×\($0.count)" }.joined(separator: ", ") }
        if let declared = recipient.declared { text += declared ? "; declared" : "; NOT DECLARED" }
        if recipient.beforeConsent == true { text += "; before consent" }
        if recipient.afterRefusal == true { text += "; after refusal" }
        return text + "; \(recipient.firstTime) → \(recipient.lastTime)"
    }

    private func describe(_ certificate: CertificateView) -> String {
        guard let subject = certificate.subject, let signature = certificate.signature else {
            return "not DER (\(certificate.notDERReason ?? "")), sha256 \(certificate.sha256)"
        }
        let validity = "\(certificate.notBefore ?? "?") → \(certificate.notAfter ?? "?")"
        return "\(Self.safe(subject)) — \(certificate.keyDescription), \(signature.name), issuer \(Self.safe(certificate.issuer ?? "")), \(validity)"
    }

    /// `0.90`: the confidence as the text report has always printed it.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = abs(hundredths % 100)
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension String {
    /// Left-aligned in `width` columns (at least one space after).
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
