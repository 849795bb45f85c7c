/// Something a protocol analyzer found wrong with the bytes, by a stable
/// snake_case name (like Zeek's weirds); the free text beside it says what
/// exactly. Names are a contract: added, never renamed or reused.
public enum ProtocolAnomaly: String, Sendable, Hashable, CaseIterable {
    // TLS records and handshake messages.
    case tlsRecordHeaderInvalid = "tls_record_header_invalid"
    case tlsHandshakeMessageTooLong = "tls_handshake_message_too_long"
    case tlsClientHelloMalformed = "tls_client_hello_malformed"
    case tlsSSLv2ClientHelloMalformed = "tls_sslv2_client_hello_malformed"
    case tlsServerHelloMalformed = "tls_server_hello_malformed"
    case tlsCertificateMalformed = "tls_certificate_malformed"
    case tlsServerKeyExchangeMalformed = "tls_server_key_exchange_malformed"
    case tlsCertificateRequestMalformed = "tls_certificate_request_malformed"
    case tlsCertificateVerifyMalformed = "tls_certificate_verify_malformed"
    /// Bytes skipped to find a record boundary again after a gap or a bad record.
    case tlsResynchronised = "tls_resynchronised"
    /// No record boundary within the search window: the rest of the side is not TLS.
    case tlsLostSynchronisation = "tls_lost_synchronisation"
    // HTTP/1.x and WebSocket.
    case httpStartLineInvalid = "http_start_line_invalid"
    case httpHeaderLineInvalid = "http_header_line_invalid"
    case httpTooManyHeaders = "http_too_many_headers"
    case httpHeadTooLong = "http_head_too_long"
    case httpHeadTruncated = "http_head_truncated"
    case httpBodyFramingInvalid = "http_body_framing_invalid"
    case httpDeclaredLengthImplausible = "http_declared_length_implausible"
    case httpContentCodingFailed = "http_content_coding_failed"
    case webSocketFrameInvalid = "websocket_frame_invalid"
    // DNS.
    case dnsMessageMalformed = "dns_message_malformed"
    // QUIC, DTLS, SSL 2.0.
    /// An Initial packet that the Initial keys cannot open, or whose frames are not an Initial's.
    case quicInitialUndecryptable = "quic_initial_undecryptable"
    /// A DTLS record or handshake fragment whose lengths cannot be right.
    case dtlsRecordInvalid = "dtls_record_invalid"
    case sslv2MessageMalformed = "sslv2_message_malformed"
    // Upgrades and tunnels.
    /// A SOCKS request or reply that does not parse.
    case socksMessageMalformed = "socks_message_malformed"
}

/// One anomaly, where it was seen.
public struct AnomalyFact: Sendable {
    public var kind: ProtocolAnomaly
    public var flow: Int
    public var side: Side
    public var detail: String
    public var at: PacketReference

    public init(kind: ProtocolAnomaly, flow: Int, side: Side, detail: String, at: PacketReference) {
        self.kind = kind
        self.flow = flow
        self.side = side
        self.detail = detail
        self.at = at
    }
}
