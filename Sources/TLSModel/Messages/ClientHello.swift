/// The client's opening message, as observed (parsed by `ProtocolTLS`).
///
/// RFC 8446 §4.1.2 (TLS 1.3; RFC 5246 §7.4.1.2 is the same layout with the
/// extensions optional):
/// ```
/// struct {
///     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///     Random random;
///     opaque legacy_session_id<0..32>;
///     CipherSuite cipher_suites<2..2^16-2>;
///     opaque legacy_compression_methods<1..2^8-1>;
///     Extension extensions<8..2^16-1>;
/// } ClientHello;
/// ```
public struct ClientHello: Sendable, Hashable {
    public var legacyVersion = ProtocolVersion(0)
    /// 32 bytes (TLS) or the SSL 2.0 challenge (16 to 32 bytes) of a v2-compatible hello.
    public var random: [UInt8] = []
    public var sessionID: [UInt8] = []
    public var cipherSuites: [CipherSuite] = []
    public var compressionMethods: [UInt8] = []
    /// False when the hello ends after the compression methods (SSL 3.0, old TLS clients).
    public var hasExtensionBlock = false
    /// Wire order, GREASE included.
    public var extensionTypes: [UInt16] = []
    /// The first `host_name` of server_name; nil when absent or empty.
    public var serverName: String? = nil
    /// ALPN protocol names as sent (lossy UTF-8 for display).
    public var alpn: [String] = []
    /// ALPN protocol names as raw bytes (JA4 looks at the bytes).
    public var alpnRaw: [[UInt8]] = []
    /// supported_versions in wire order, GREASE included; empty if absent.
    public var supportedVersions: [ProtocolVersion] = []
    public var supportedGroups: [NamedGroup] = []
    public var ecPointFormats: [UInt8] = []
    public var signatureAlgorithms: [SignatureScheme] = []
    public var signatureAlgorithmsCert: [SignatureScheme] = []
    /// The groups of the key_share entries, in wire order.
    public var keyShareGroups: [NamedGroup] = []
    /// Sent in the SSL 2.0 record format (RFC 5246 Appendix E.2).
    public var isSSLv2Compatible = false
    /// SSL 2.0 `V2CipherSpec`s of a v2-compatible hello whose first byte is
    /// not 0 (SSL 2.0 cipher kinds such as 0x010080 SSL_CK_RC4_128_WITH_MD5).
    public var sslv2CipherKinds: [UInt32] = []
    /// DTLS: the cookie a HelloVerifyRequest asked for (empty in the first hello).
    public var cookie: [UInt8] = []
    /// use_srtp (RFC 5764): the SRTP protection profiles offered, in wire order.
    public var srtpProfiles: [SRTPProtectionProfile] = []

    public init() {}

    /// The versions the client offers: supported_versions if present (GREASE
    /// left out), else every version from SSL 3.0 up to `legacyVersion`
    /// (capped at TLS 1.2: without supported_versions TLS 1.3 cannot be
    /// negotiated, RFC 8446 §4.2.1). A v2-format hello that lists SSL 2.0
    /// cipher kinds, or whose version is 0x0002, also offers SSL 2.0.
    /// TLCP (0x0101) and unknown legacy versions are returned as they are.
    public var offeredVersions: [ProtocolVersion] {
        let offered = supportedVersions.filter { !$0.isGREASE }
        if !offered.isEmpty { return offered }
        var versions: [ProtocolVersion] = []
        if isSSLv2Compatible, legacyVersion == .ssl2 || !sslv2CipherKinds.isEmpty {
            versions.append(.ssl2)
        }
        if (0x0300...0x03FF).contains(legacyVersion.rawValue) {
            versions += [ProtocolVersion.ssl3, .tls10, .tls11, .tls12].filter { $0.rawValue <= legacyVersion.rawValue }
        } else if legacyVersion != .ssl2 {
            versions.append(legacyVersion)
        }
        return versions
    }

    /// Versions the hello names: its supported_versions list, or else its
    /// legacy version alone (a higher one does not say which lower ones the
    /// client would accept). What the report lists and the offer rules judge.
    public var namedVersions: [ProtocolVersion] {
        let listed = supportedVersions.filter { !$0.isGREASE }
        if !listed.isEmpty { return listed }
        var versions: [ProtocolVersion] = []
        if isSSLv2Compatible && (legacyVersion == .ssl2 || !sslv2CipherKinds.isEmpty) { versions.append(.ssl2) }
        if legacyVersion != .ssl2 { versions.append(legacyVersion) }
        return versions
    }

    /// True when the hello carries `TLS_EMPTY_RENEGOTIATION_INFO_SCSV` or the
    /// renegotiation_info extension (RFC 5746).
    public var signalsSecureRenegotiation: Bool {
        cipherSuites.contains(CipherSuite(0x00FF)) || extensionTypes.contains(0xFF01)
    }

    /// True when the hello carries `TLS_FALLBACK_SCSV` (RFC 7507).
    public var hasFallbackSCSV: Bool { cipherSuites.contains(CipherSuite(0x5600)) }
}
