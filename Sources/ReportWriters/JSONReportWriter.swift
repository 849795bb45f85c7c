import ReportModel
import Rules

/// The JSON report of `docs/report.schema.json`: one object for the whole
/// run. Field names are a contract: extend, never rename.
public final class JSONReportWriter: ReportWriter {
    public static let format = "json"
    public static let about = "one JSON object (docs/report.md)"
    public static let schemaVersion = 1

    public init(options: WriterOptions) {}

    public func streamed(_ item: ReportItem) -> [UInt8] { [] }

    public func finished(_ report: Report) -> [UInt8] {
        var json = JSONOutput()
        json.beginObject()
        json.field("schema_version", Self.schemaVersion)
        Self.header(report, into: &json)
        json.key("flows")
        json.beginArray()
        for flow in report.flows { Self.write(flow, into: &json) }
        json.endArray()
        json.key("handshakes")
        json.beginArray()
        for handshake in report.handshakes { Self.write(handshake, into: &json) }
        json.endArray()
        json.key("findings")
        json.beginArray()
        for finding in report.findings { Self.write(finding, into: &json) }
        json.endArray()
        json.key("recipients")
        json.beginArray()
        for recipient in report.recipients { Self.write(recipient, into: &json) }
        json.endArray()
        Self.summary(report, into: &json)
        json.endObject()
        json.newlineAtEnd()
        return json.output
    }

    static func header(_ report: Report, into json: inout JSONOutput) {
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
    }

    static func write(_ input: InputView, into json: inout JSONOutput) {
        json.beginObject()
        json.field("path", input.path)
        json.field("format", input.format)
        json.field("bytes", input.bytes)
        json.field("sha256", input.sha256)
        json.field("packets", input.packets)
        json.field("packets_skipped", input.packetsSkipped)
        json.field("first_time", input.firstTime)
        json.field("last_time", input.lastTime)
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
        json.field("decryption_secrets", input.decryptionSecrets)
        if let list = input.declaredList { write(list, into: &json) }
        json.endObject()
    }

    static func endpoint(_ name: String, _ endpoint: EndpointView, into json: inout JSONOutput) {
        json.key(name)
        json.beginObject()
        json.field("ip", endpoint.ip)
        json.field("port", endpoint.port)
        json.endObject()
    }

    static func write(_ flow: FlowView, into json: inout JSONOutput) {
        json.beginObject()
        json.field("id", flow.id)
        json.field("file", flow.file)
        json.field("transport", flow.transport)
        endpoint("client", flow.client, into: &json)
        endpoint("server", flow.server, into: &json)
        json.field("server_name", flow.serverName)
        json.field("server_name_source", flow.serverNameSource)
        json.field("application", flow.application)
        json.field("first_packet", flow.firstPacket)
        json.field("last_packet", flow.lastPacket)
        json.field("first_time", flow.firstTime)
        json.field("last_time", flow.lastTime)
        json.field("packets", flow.packets)
        json.field("client_bytes", flow.clientBytes)
        json.field("server_bytes", flow.serverBytes)
        json.field("started_mid_stream", flow.startedMidStream)
        json.field("plaintext_protocol", flow.plaintextProtocol)
        json.key("reassembly")
        json.beginObject()
        json.field("retransmitted_bytes", flow.reassembly.retransmittedBytes)
        json.field("out_of_order_segments", flow.reassembly.outOfOrderSegments)
        json.field("gaps", flow.reassembly.gaps)
        json.field("gap_bytes", flow.reassembly.gapBytes)
        json.field("conflicting_overlaps", flow.reassembly.conflictingOverlaps)
        json.field("dropped_for_memory", flow.reassembly.droppedForMemory)
        json.endObject()
        json.stringArray("analyzers", flow.analyzers)
        json.field("party", flow.party)
        sdk(flow.sdk, into: &json)
        json.endObject()
    }

    static func suite(_ suite: SuiteView, into json: inout JSONOutput) {
        json.beginObject()
        json.field("id", suite.id)
        json.field("name", suite.name)
        json.endObject()
    }

    static func write(_ handshake: HandshakeView, into json: inout JSONOutput) {
        json.beginObject()
        json.field("flow", handshake.flow)
        json.field("file", handshake.file)
        endpoint("client", handshake.client, into: &json)
        endpoint("server", handshake.server, into: &json)
        json.field("client_hello_packet", handshake.clientHelloPacket)
        json.field("server_hello_packet", handshake.serverHelloPacket)
        json.field("time", handshake.time)
        json.field("sni", handshake.sni)
        json.stringArray("offered_versions", handshake.offeredVersions)
        json.field("version", handshake.version)
        json.key("cipher_suite")
        if let suite = handshake.cipherSuite { self.suite(suite, into: &json) } else { json.null() }
        json.key("offered_cipher_suites")
        json.beginArray()
        for suite in handshake.offeredCipherSuites { self.suite(suite, into: &json) }
        json.endArray()
        json.stringArray("alpn", handshake.alpn)
        json.field("selected_alpn", handshake.selectedALPN)
        json.stringArray("supported_groups", handshake.supportedGroups)
        json.stringArray("signature_algorithms", handshake.signatureAlgorithms)
        json.stringArray("key_share_groups", handshake.keyShareGroups)
        json.field("hello_retry_request", handshake.helloRetryRequest)
        json.field("retried_client_hello_packet", handshake.retriedClientHelloPacket)
        json.key("key_exchange")
        if let exchange = handshake.keyExchange {
            json.beginObject()
            json.field("type", exchange.type)
            switch exchange.type {
            case "ecdhe", "key_share": json.field("group", exchange.group)
            case "dhe": json.field("dh_prime_bits", exchange.dhPrimeBits)
            case "rsa_export": json.field("rsa_bits", exchange.rsaBits)
            case "srp": json.field("prime_bits", exchange.srpPrimeBits)
            default: break
            }
            json.field("packet", exchange.packet)
            json.endObject()
        } else {
            json.null()
        }
        json.field("server_key_exchange_signature", handshake.serverKeyExchangeSignature)
        json.field("certificates_packet", handshake.certificatesPacket)
        json.key("certificates")
        certificates(handshake.certificates, into: &json)
        json.field("certificates_observable", handshake.certificatesObservable)
        json.key("certificate_request")
        if let algorithms = handshake.certificateRequestSignatureAlgorithms {
            json.beginObject()
            json.field("packet", handshake.certificateRequestPacket)
            json.stringArray("signature_algorithms", algorithms)
            json.endObject()
        } else {
            json.null()
        }
        json.key("client_certificates")
        certificates(handshake.clientCertificates, into: &json)
        json.field("client_certificate_verify_signature", handshake.clientCertificateVerifySignature)
        json.key("alert")
        if let alert = handshake.alert {
            json.beginObject()
            json.field("sender", alert.sender)
            json.field("level", alert.level)
            json.field("description", alert.description)
            json.field("code", alert.code)
            json.field("packet", alert.packet)
            json.endObject()
        } else {
            json.null()
        }
        json.field("ja3", handshake.ja3)
        json.field("ja3_string", handshake.ja3String)
        json.field("ja4", handshake.ja4)
        json.field("transport", handshake.transport)
        json.field("quic_version", handshake.quicVersion)
        json.field("hello_verify_request_packet", handshake.helloVerifyRequestPacket)
        json.stringArray("srtp_profiles_offered", handshake.srtpProfilesOffered)
        json.field("srtp_profile", handshake.srtpProfile)
        json.field("upgraded_from", handshake.upgradedFrom)
        json.key("tunnel")
        if let tunnel = handshake.tunnel {
            json.beginObject()
            json.field("kind", tunnel.kind)
            json.field("host", tunnel.host)
            json.field("port", Int(tunnel.port))
            json.field("packet", tunnel.packet)
            json.endObject()
        } else {
            json.null()
        }
        json.stringArray("sslv2_server_cipher_specs", handshake.sslv2ServerCipherSpecs)
        json.field("sslv2_chosen_cipher_spec", handshake.sslv2ChosenCipherSpec)
        json.key("errors")
        json.beginArray()
        for error in handshake.errors {
            json.beginObject()
            json.field("sender", error.sender)
            json.field("packet", error.packet)
            json.field("message", error.message)
            json.field("kind", error.kind)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    static func certificates(_ chain: [CertificateView], into json: inout JSONOutput) {
        json.beginArray()
        for certificate in chain {
            json.beginObject()
            json.field("subject", certificate.subject)
            json.field("issuer", certificate.issuer)
            json.field("serial_number", certificate.serialNumber)
            json.field("key_type", certificate.keyType)
            json.field("key_bits", certificate.keyBits)
            json.field("curve", certificate.curve)
            json.field("security_bits", certificate.securityBits)
            json.key("signature_algorithm")
            if let signature = certificate.signature {
                json.beginObject()
                json.field("oid", signature.oid)
                json.field("name", signature.name)
                json.field("hash", signature.hash)
                json.endObject()
            } else {
                json.null()
            }
            json.field("not_before", certificate.notBefore)
            json.field("not_after", certificate.notAfter)
            json.stringArray("subject_alt_names", certificate.subjectAlternativeNames)
            json.field("self_issued", certificate.selfIssued)
            json.field("sha256", certificate.sha256)
            if let reason = certificate.notDERReason {
                json.field("not_der_reason", reason)
                json.field("byte_count", certificate.byteCount)
            }
            json.endObject()
        }
        json.endArray()
    }

    static func write(_ finding: FindingView, into json: inout JSONOutput) {
        json.beginObject()
        json.field("rule", finding.rule.rawValue)
        json.field("title", finding.title)
        json.field("severity", finding.severity.name)
        json.field("clause", finding.clause)
        json.field("message", finding.message)
        json.field("file", finding.file)
        json.field("flow", finding.flow)
        json.key("packets")
        json.beginArray()
        for packet in finding.packets { json.int(packet) }
        json.endArray()
        json.field("time", finding.time)
        json.field("server_name", finding.serverName)
        if let client = finding.client { endpoint("client", client, into: &json) }
        if let server = finding.server { endpoint("server", server, into: &json) }
        json.key("evidence")
        json.beginObject()
        for item in finding.evidence { json.field(item.name, item.value) }
        json.endObject()
        if let pii = finding.pii {
            json.key("pii")
            json.beginObject()
            json.field("type", pii.type)
            json.field("masked", pii.masked)
            if let value = pii.value { json.field("value", value) }
            json.stringArray("decoding", pii.decoding)
            json.field("field", pii.field)
            json.field("confirmed", pii.confirmed)
            json.key("confidence")
            json.number(pii.confidence)
            json.field("count", pii.count)
            json.field("sender", pii.sender)
            json.field("carrier", pii.carrier)
            json.field("detail", pii.detail)
            json.endObject()
        }
        if let http = finding.http {
            json.key("http")
            json.beginObject()
            json.field("method", http.method)
            json.field("host", http.host)
            json.field("path", http.path)
            json.field("status", http.status)
            json.endObject()
        }
        if finding.recipient != nil || finding.sdk != nil {
            json.field("recipient", finding.recipient)
            json.field("sdk", finding.sdk)
        }
        json.endObject()
    }

    /// `"sdk": null`, or the attribution with the pattern that decided it.
    static func sdk(_ sdk: SDKView?, into json: inout JSONOutput) {
        json.key("sdk")
        guard let sdk else { return json.null() }
        json.beginObject()
        json.field("id", sdk.id)
        json.field("name", sdk.name)
        json.field("name_zh", sdk.nameZH)
        json.field("vendor", sdk.vendor)
        json.field("category", sdk.category)
        json.field("confidence", sdk.confidence)
        json.key("matched")
        json.beginObject()
        json.field("pattern", sdk.pattern)
        json.field("kind", sdk.patternKind)
        json.field("source", sdk.source)
        json.endObject()
        json.endObject()
    }

    static func write(_ recipient: RecipientView, into json: inout JSONOutput) {
        json.beginObject()
        json.field("name", recipient.name)
        json.stringArray("names", recipient.names)
        json.field("sdk", recipient.sdk?.id)
        json.field("sdk_name", recipient.sdk?.name)
        json.field("vendor", recipient.sdk?.vendor)
        json.field("category", recipient.sdk?.category)
        json.field("confidence", recipient.sdk?.confidence)
        json.field("party", recipient.party)
        json.field("first_time", recipient.firstTime)
        json.field("last_time", recipient.lastTime)
        json.key("flows")
        json.beginArray()
        for flow in recipient.flows { json.int(flow) }
        json.endArray()
        json.field("flow_count", recipient.flowCount)
        json.field("requests", recipient.requests)
        json.field("bytes_sent", recipient.bytesSent)
        json.field("bytes_received", recipient.bytesReceived)
        json.key("pi_types")
        json.beginObject()
        for (type, count) in recipient.piTypes { json.field(type, count) }
        json.endObject()
        json.field("encryption", recipient.encryption)
        optionalBool("declared", recipient.declared, into: &json)
        optionalBool("before_consent", recipient.beforeConsent, into: &json)
        optionalBool("after_refusal", recipient.afterRefusal, into: &json)
        json.endObject()
    }

    static func optionalBool(_ name: String, _ value: Bool?, into json: inout JSONOutput) {
        json.key(name)
        if let value { json.bool(value) } else { json.null() }
    }

    static func write(_ list: DeclaredListView, into json: inout JSONOutput) {
        json.key("declared_list")
        json.beginObject()
        json.field("path", list.path)
        json.field("sha256", list.sha256)
        json.field("entries", list.entries.count)
        json.key("rows")
        json.beginArray()
        for entry in list.entries {
            json.beginObject()
            json.field("row", entry.row)
            json.field("name", entry.name)
            json.field("sdk", entry.sdk)
            json.field("matched_by", entry.matchedBy)
            json.stringArray("pi_types", entry.piTypes)
            json.field("server_side", entry.serverSide)
            json.endObject()
        }
        json.endArray()
        json.stringArray("first_party_domains", list.firstPartyDomains)
        json.stringArray("warnings", list.warnings)
        json.endObject()
    }

    static func summary(_ report: Report, into json: inout JSONOutput) {
        json.key("summary")
        json.beginObject()
        json.field("inputs", report.inputs.count)
        json.field("packets", report.packets)
        json.field("packets_skipped", report.packetsSkipped)
        json.field("input_errors", report.inputErrors)
        json.field("flows", report.flows.count)
        json.field("flows_omitted", report.flowsOmitted)
        json.field("handshakes", report.handshakes.count)
        json.field("findings", report.findings.count)
        json.field("recipients", report.recipients.count)
        json.field("third_parties", report.recipients.filter { $0.party == "third" }.count)
        json.key("by_severity")
        json.beginObject()
        for (severity, count) in report.severityCounts { json.field(severity.name, count) }
        json.endObject()
        json.key("by_rule")
        json.beginObject()
        for (rule, count) in report.ruleCounts { json.field(rule, count) }
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
        json.key("anomalies")
        json.beginObject()
        for (kind, count) in report.anomalies { json.field(kind, count) }
        json.endObject()
        json.key("limits")
        json.beginObject()
        for limit in report.limits {
            json.key(limit.name)
            json.beginObject()
            json.field("count", limit.count)
            json.field("unit", limit.unit)
            json.field("skipped_bytes", limit.skippedBytes)
            json.endObject()
        }
        json.endObject()
        json.endObject()
    }
}
