import WireBytes
import Detectors
import Dissection
import Flows
import ProtocolTLS
import TLSModel
import ProtocolX509
import CertificateModel
import Rules

/// Renders a `Report` as JSON following `docs/report.schema.json`. Field
/// names are a contract: extend, never rename.
public enum JSONReporter {
    public static let schemaVersion = 1

    public static func render(_ report: Report) -> String {
        String(decoding: renderBytes(report), as: UTF8.self)
    }

    /// The report as UTF-8 bytes, without building a String (large reports).
    public static func renderBytes(_ report: Report) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("schema_version", schemaVersion)
        json.key("tool")
        json.beginObject()
        json.field("name", report.toolName)
        json.field("version", report.toolVersion)
        json.endObject()
        json.field("generated_at", report.generatedAt)
        json.key("policy")
        json.beginObject()
        json.field("name", report.policy.name)
        json.field("sha256", report.policy.sha256)
        json.field("source", report.policy.source)
        json.endObject()
        json.key("inputs")
        json.beginArray()
        for input in report.inputs { write(input, into: &json) }
        json.endArray()
        json.key("flows")
        json.beginArray()
        for flow in report.flows { write(flow, report: report, into: &json) }
        json.endArray()
        json.key("handshakes")
        json.beginArray()
        for handshake in report.handshakes { write(handshake, report: report, into: &json) }
        json.endArray()
        json.key("findings")
        json.beginArray()
        for finding in report.findings { write(finding, report: report, into: &json) }
        json.endArray()
        writeSummary(report, into: &json)
        json.endObject()
        json.newlineAtEnd()
        return json.output
    }

    static func write(_ input: InputSummary, into json: inout JSONWriter) {
        json.beginObject()
        json.field("path", input.path)
        json.field("format", input.format)
        json.field("bytes", input.bytes)
        json.field("sha256", input.sha256)
        json.field("packets", input.packets)
        json.field("packets_skipped", input.packetsSkipped)
        json.field("first_time", Describe.time(input.firstTimeNanos))
        json.field("last_time", Describe.time(input.lastTimeNanos))
        json.stringArray("link_types", input.linkTypes)
        json.stringArray("comments", input.comments)
        json.field("readable", input.readable)
        json.key("errors")
        json.beginArray()
        for error in input.errors {
            json.beginObject()
            json.field("kind", error.kind)
            json.field("packet", error.packet)
            json.field("offset", error.offset)
            json.field("message", error.message)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    static func endpoint(_ name: String, _ endpoint: Endpoint, into json: inout JSONWriter) {
        json.key(name)
        json.beginObject()
        json.field("ip", endpoint.address.description)
        json.field("port", endpoint.port)
        json.endObject()
    }

    static func write(_ flow: FlowFact, report: Report, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", flow.id)
        json.field("file", report.inputPath(flow.file))
        json.field("transport", Describe.transport(flow.transport))
        endpoint("client", flow.client, into: &json)
        endpoint("server", flow.server, into: &json)
        json.field("server_name", flow.serverName)
        json.field("server_name_source", flow.serverNameSource)
        json.field("application", flow.application.rawValue)
        json.field("first_packet", flow.first.packet)
        json.field("last_packet", flow.last.packet)
        json.field("first_time", Describe.time(flow.first.timeNanos))
        json.field("last_time", Describe.time(flow.last.timeNanos))
        json.field("packets", flow.packets)
        json.field("client_bytes", flow.clientBytes)
        json.field("server_bytes", flow.serverBytes)
        json.field("started_mid_stream", flow.startedMidStream)
        json.field("plaintext_protocol", flow.plaintextProtocol)
        json.key("reassembly")
        json.beginObject()
        json.field("retransmitted_bytes", flow.retransmittedBytes)
        json.field("out_of_order_segments", flow.outOfOrderSegments)
        json.field("gaps", flow.gaps)
        json.field("gap_bytes", flow.gapBytes)
        json.field("conflicting_overlaps", flow.conflictingOverlaps)
        json.field("dropped_for_memory", flow.droppedForMemory)
        json.endObject()
        json.endObject()
    }

    static func suite(_ suite: CipherSuite, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", suite.hexCode)
        json.field("name", suite.name)
        json.endObject()
    }

    static func write(_ handshake: HandshakeFact, report: Report, into json: inout JSONWriter) {
        json.beginObject()
        json.field("flow", handshake.flow)
        json.field("file", report.inputPath(handshake.file))
        endpoint("client", handshake.client, into: &json)
        endpoint("server", handshake.server, into: &json)
        json.field("client_hello_packet", handshake.clientHelloAt?.packet)
        json.field("server_hello_packet", handshake.serverHelloAt?.packet)
        json.field("time", Describe.time(handshake.firstReference?.timeNanos))
        json.field("sni", handshake.serverName)
        let hello = handshake.clientHello
        json.stringArray("offered_versions", hello.map { TransportRules.namedVersions($0).map(\.name) } ?? [])
        json.field("version", handshake.negotiatedVersion?.name)
        json.key("cipher_suite")
        if let suite = handshake.serverHello?.cipherSuite { self.suite(suite, into: &json) } else { json.null() }
        json.key("offered_cipher_suites")
        json.beginArray()
        for suite in hello?.cipherSuites ?? [] { self.suite(suite, into: &json) }
        json.endArray()
        json.stringArray("alpn", hello?.alpn ?? [])
        json.field("selected_alpn", handshake.serverHello?.alpn)
        json.stringArray("supported_groups", hello?.supportedGroups.map(\.name) ?? [])
        json.stringArray("signature_algorithms", hello?.signatureAlgorithms.map(\.name) ?? [])
        json.stringArray("key_share_groups", hello?.keyShareGroups.map(\.name) ?? [])
        json.field("hello_retry_request", handshake.helloRetryRequested)
        json.field("retried_client_hello_packet", handshake.retriedClientHelloAt?.packet)
        json.key("key_exchange")
        writeKeyExchange(handshake, into: &json)
        json.field("server_key_exchange_signature", handshake.serverKeyExchange?.signatureScheme?.name)
        json.field("certificates_packet", handshake.serverCertificatesAt?.packet)
        json.key("certificates")
        certificates(handshake.serverCertificates, into: &json)
        json.field("certificates_observable", handshake.certificatesObservable)
        json.key("certificate_request")
        if let request = handshake.certificateRequest {
            json.beginObject()
            json.field("packet", handshake.certificateRequestAt?.packet)
            json.stringArray("signature_algorithms", request.signatureAlgorithms.map(\.name))
            json.endObject()
        } else {
            json.null()
        }
        json.key("client_certificates")
        certificates(handshake.clientCertificates, into: &json)
        json.field("client_certificate_verify_signature", handshake.clientCertificateVerify?.signatureScheme?.name)
        json.key("alert")
        if let alert = handshake.alerts.first(where: { $0.isFatal }) ?? handshake.alerts.first {
            json.beginObject()
            json.field("sender", alert.sender.rawValue)
            json.field("level", alert.isFatal ? "fatal" : "warning")
            json.field("description", alert.description.name)
            json.field("code", alert.description.rawValue)
            json.field("packet", alert.at.packet)
            json.endObject()
        } else {
            json.null()
        }
        json.field("ja3", hello?.ja3)
        json.field("ja3_string", hello?.ja3String)
        json.field("ja4", hello?.ja4)
        json.key("errors")
        json.beginArray()
        for error in handshake.errors {
            json.beginObject()
            json.field("sender", error.sender.rawValue)
            json.field("packet", error.at.packet)
            json.field("message", error.message)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    static func writeKeyExchange(_ handshake: HandshakeFact, into json: inout JSONWriter) {
        guard let exchange = handshake.serverKeyExchange else {
            if let group = handshake.serverHello?.keyShareGroup {
                json.beginObject()
                json.field("type", "key_share")
                json.field("group", group.name)
                json.field("packet", handshake.serverHelloAt?.packet)
                json.endObject()
            } else {
                json.null()
            }
            return
        }
        json.beginObject()
        switch exchange.parameters {
        case .ecdhe(_, let group):
            json.field("type", "ecdhe")
            json.field("group", group?.name ?? "explicit")
        case .dhe(let primeBits, _):
            json.field("type", "dhe")
            json.field("dh_prime_bits", primeBits)
        case .rsaExport(let bits):
            json.field("type", "rsa_export")
            json.field("rsa_bits", bits)
        case .psk:
            json.field("type", "psk")
        case .tlcpECC:
            json.field("type", "tlcp_ecc")
        case .srp(let bits):
            json.field("type", "srp")
            json.field("prime_bits", bits)
        case .unknown:
            json.field("type", "unknown")
        }
        json.field("packet", handshake.serverKeyExchangeAt?.packet)
        json.endObject()
    }

    static func certificates(_ chain: [CertificateParseResult], into json: inout JSONWriter) {
        json.beginArray()
        for entry in chain {
            json.beginObject()
            if let certificate = entry.certificate {
                json.field("subject", certificate.subject.rendered)
                json.field("issuer", certificate.issuer.rendered)
                json.field("serial_number", certificate.serialNumber)
                json.field("key_type", certificate.publicKey.keyType.rawValue)
                json.field("key_bits", certificate.publicKey.bits)
                json.field("curve", certificate.publicKey.curveName)
                json.field("security_bits", certificate.publicKey.securityBits)
                json.key("signature_algorithm")
                json.beginObject()
                json.field("oid", certificate.signatureAlgorithm.oid)
                json.field("name", certificate.signatureAlgorithm.name)
                json.field("hash", certificate.signatureAlgorithm.hash.rawValue)
                json.endObject()
                json.field("not_before", certificate.notBefore.map { Timestamp.iso8601(seconds: $0) })
                json.field("not_after", certificate.notAfter.map { Timestamp.iso8601(seconds: $0) })
                json.stringArray("subject_alt_names", certificate.subjectAlternativeNames)
                json.field("self_issued", certificate.isSelfIssued)
                json.field("sha256", certificate.sha256)
            } else if let broken = entry.notDER {
                json.field("subject", nil as String?)
                json.field("issuer", nil as String?)
                json.field("serial_number", nil as String?)
                json.field("key_type", "unknown")
                json.field("key_bits", nil as Int?)
                json.field("curve", nil as String?)
                json.field("security_bits", nil as Int?)
                json.key("signature_algorithm")
                json.null()
                json.field("not_before", nil as String?)
                json.field("not_after", nil as String?)
                json.stringArray("subject_alt_names", [])
                json.field("self_issued", false)
                json.field("sha256", broken.sha256)
                json.field("not_der_reason", broken.reason)
                json.field("byte_count", broken.byteCount)
            }
            json.endObject()
        }
        json.endArray()
    }

    static func write(_ finding: Finding, report: Report, into json: inout JSONWriter) {
        json.beginObject()
        json.field("rule", finding.rule.rawValue)
        json.field("title", finding.title)
        json.field("severity", finding.severity.name)
        json.field("clause", finding.clause)
        json.field("message", finding.message)
        json.field("file", report.inputPath(finding.file))
        json.field("flow", finding.flow)
        json.key("packets")
        json.beginArray()
        for packet in finding.packets { json.int(packet) }
        json.endArray()
        json.field("time", Describe.time(finding.timeNanos))
        json.field("server_name", finding.serverName)
        if let client = finding.client { endpoint("client", client, into: &json) }
        if let server = finding.server { endpoint("server", server, into: &json) }
        json.key("evidence")
        json.beginObject()
        for item in finding.evidence { json.field(item.name, item.value) }
        json.endObject()
        if let observation = finding.personalInformation {
            writePersonalInformation(observation, reveal: report.revealPersonalInformation, into: &json)
        }
        json.endObject()
    }

    static func writePersonalInformation(_ observation: PIObservation, reveal: Bool, into json: inout JSONWriter) {
        let match = observation.match
        json.key("pii")
        json.beginObject()
        json.field("type", match.type.rawValue)
        json.field("masked", match.masked)
        if reveal { json.field("value", match.value) }
        json.stringArray("decoding", match.decoding)
        json.field("field", match.field)
        json.field("confirmed", match.confirmed)
        json.key("confidence")
        json.number(match.confidence)
        json.field("count", observation.count)
        json.field("sender", observation.sender.rawValue)
        json.field("carrier", observation.carrier)
        json.field("detail", match.detail)
        json.endObject()
        if let http = observation.http {
            json.key("http")
            json.beginObject()
            json.field("method", http.method)
            json.field("host", http.host)
            json.field("path", http.path)
            json.field("status", http.status)
            json.endObject()
        }
    }

    static func writeSummary(_ report: Report, into json: inout JSONWriter) {
        json.key("summary")
        json.beginObject()
        json.field("inputs", report.inputs.count)
        json.field("packets", report.inputs.reduce(0) { $0 + $1.packets })
        json.field("packets_skipped", report.inputs.reduce(0) { $0 + $1.packetsSkipped })
        json.field("input_errors", report.inputs.reduce(0) { $0 + $1.errors.count })
        json.field("flows", report.flows.count)
        json.field("handshakes", report.handshakes.count)
        json.field("findings", report.findings.count)
        json.key("by_severity")
        json.beginObject()
        for severity in Severity.allCases.reversed() { json.field(severity.name, report.count(severity)) }
        json.endObject()
        json.key("by_rule")
        json.beginObject()
        for rule in RuleID.allCases {
            if let count = report.ruleCounts[rule] { json.field(rule.rawValue, count) }
        }
        json.endObject()
        json.field("fail_on", report.failOn?.name ?? "none")
        json.field("failing_findings", report.failingFindings)
        json.key("engine")
        json.beginObject()
        let stats = report.statistics
        json.field("tcp_packets", stats.tcpPackets)
        json.field("udp_packets", stats.udpPackets)
        json.field("other_packets", stats.otherPackets)
        json.field("malformed_packets", stats.malformedPackets)
        json.field("unsupported_link_packets", stats.unsupportedLinkPackets)
        json.field("fragments_reassembled", stats.fragmentsReassembled)
        json.field("fragments_dropped", stats.fragmentsDropped)
        json.field("flows_expired", stats.flowsExpired)
        json.field("flows_evicted", stats.flowsEvicted)
        json.field("clock_jumps", stats.clockJumps)
        json.field("flows_hit_memory_cap", stats.flowsHitMemoryCap)
        json.field("segments_dropped_for_memory", stats.segmentsDroppedForMemory)
        json.field("peak_held_bytes", stats.peakHeldBytes)
        json.endObject()
        json.endObject()
    }
}
