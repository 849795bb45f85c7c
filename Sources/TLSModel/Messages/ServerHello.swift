/// The server's answer to a ClientHello, or a HelloRetryRequest (which has
/// the same layout and a fixed `random`), as observed.
///
/// RFC 8446 §4.1.3 (RFC 5246 §7.4.1.3 is the same with extensions optional):
/// ```
/// struct {
///     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///     Random random;
///     opaque legacy_session_id_echo<0..32>;
///     CipherSuite cipher_suite;
///     uint8 legacy_compression_method = 0;
///     Extension extensions<6..2^16-1>;
/// } ServerHello;
/// ```
public struct ServerHello: Sendable, Hashable {
    public var legacyVersion = ProtocolVersion(0)
    public var random: [UInt8] = []
    public var sessionID: [UInt8] = []
    public var cipherSuite = CipherSuite(0)
    public var compressionMethod: UInt8 = 0
    public var hasExtensionBlock = false
    /// Wire order, GREASE included.
    public var extensionTypes: [UInt16] = []
    /// supported_versions: the version TLS 1.3 servers select.
    public var selectedVersion: ProtocolVersion?
    /// key_share: the server share's group, or the group a HelloRetryRequest asks for.
    public var keyShareGroup: NamedGroup?
    public var alpn: String?
    /// `random` is SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
    public var isHelloRetryRequest = false
    /// use_srtp (RFC 5764): the SRTP protection profile the server chose.
    public var srtpProfile: SRTPProtectionProfile?
    /// An SSL 2.0 SERVER-HELLO: the cipher kinds the server lists (it names no one suite).
    public var sslv2CipherSpecs: [SSLv2CipherKind] = []

    public init() {}

    /// RFC 8446 §4.1.3: the special value of `Random` in a HelloRetryRequest.
    public static let helloRetryRequestRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]

    /// RFC 8446 §4.1.3 downgrade protection: "44 4F 57 4E 47 52 44 01" ends
    /// the random of a TLS 1.3 server negotiating TLS 1.2, "... 00" one
    /// negotiating TLS 1.1 or below.
    static let downgradePrefix: [UInt8] = [0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44]

    public var negotiatedVersion: ProtocolVersion { selectedVersion ?? legacyVersion }

    /// The TLS 1.3 downgrade sentinel in the last 8 bytes of `random`, if
    /// present: `.tls12` for "DOWNGRD\x01", `.tls11` for "DOWNGRD\x00".
    public var downgradeSentinel: ProtocolVersion? {
        guard random.count == 32, Array(random[24..<31]) == Self.downgradePrefix else { return nil }
        switch random[31] {
        case 0x01: return .tls12
        case 0x00: return .tls11
        default: return nil
        }
    }
}
