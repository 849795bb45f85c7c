import TLSModel
import WireBytes

/// The client's opening message.
///
/// RFC 8446 §4.1.2 (TLS 1.3; RFC 5246 §7.4.1.2 is the same layout with the
/// extensions optional):
/// ```
/// uint16 ProtocolVersion;
/// opaque Random[32];
/// uint8 CipherSuite[2];    /* Cryptographic suite selector */
///
/// struct {
///     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///     Random random;
///     opaque legacy_session_id<0..32>;
///     CipherSuite cipher_suites<2..2^16-2>;
///     opaque legacy_compression_methods<1..2^8-1>;
///     Extension extensions<8..2^16-1>;
/// } ClientHello;
/// ```
/// Extensions decoded here: server_name (RFC 6066 §3), supported_groups and
/// ec_point_formats (RFC 8422 §5.1), signature_algorithms and
/// signature_algorithms_cert (RFC 8446 §4.2.3), ALPN (RFC 7301 §3.1),
/// supported_versions (RFC 8446 §4.2.1) and key_share (RFC 8446 §4.2.8).
/// Every other extension is skipped by its length.
/// use_srtp (RFC 5764 §4.1.1).
let useSRTPExtension: UInt16 = 14

extension ClientHello {
    public init(parsing r: inout ByteReader) throws(ParseError) {
        try self.init(parsing: &r, datagram: false)
    }

    /// `datagram`: a DTLS ClientHello, which carries a cookie after the session id (RFC 6347 §4.2.1).
    public init(parsing r: inout ByteReader, datagram: Bool) throws(ParseError) {
        self.init()
        legacyVersion = ProtocolVersion(try r.readUInt16())
        random = try r.readBytes(count: 32)
        let sessionAt = r.absoluteOffset
        sessionID = try WireVectors.readOpaque(&r, prefixBytes: 1)
        guard sessionID.count <= 32 else {
            throw ParseError.invalid("legacy_session_id longer than 32 bytes (\(sessionID.count))", at: sessionAt)
        }
        if datagram {
            cookie = try WireVectors.readOpaque(&r, prefixBytes: 1)
        }
        cipherSuites = try WireVectors.readUInt16List(&r, prefixBytes: 2, what: "cipher_suites",
                                                      limit: WireLimits.maxCipherSuites).map(CipherSuite.init(rawValue:))
        compressionMethods = try WireVectors.readUInt8List(&r, prefixBytes: 1, what: "compression_methods")

        isSSLv2Compatible = false
        sslv2CipherKinds = []
        hasExtensionBlock = !r.isAtEnd
        guard hasExtensionBlock else { return }

        var block = try r.readLengthPrefixed(prefixBytes: 2)
        try r.expectEnd("ClientHello extensions")
        while !block.isAtEnd {
            let type = try WireVectors.readExtensionType(&block, types: &extensionTypes)
            var body = try block.readLengthPrefixed(prefixBytes: 2)
            switch type {
            case ExtensionType.serverName.rawValue:
                serverName = try Self.parseServerName(&body)
            case ExtensionType.supportedGroups.rawValue:
                supportedGroups = try WireVectors.readUInt16List(&body, prefixBytes: 2, what: "supported_groups")
                    .map(NamedGroup.init(rawValue:))
            case ExtensionType.ecPointFormats.rawValue:
                ecPointFormats = try WireVectors.readUInt8List(&body, prefixBytes: 1, what: "ec_point_formats")
            case ExtensionType.signatureAlgorithms.rawValue:
                signatureAlgorithms = try WireVectors.readUInt16List(&body, prefixBytes: 2, what: "signature_algorithms")
                    .map(SignatureScheme.init(rawValue:))
            case ExtensionType.signatureAlgorithmsCert.rawValue:
                signatureAlgorithmsCert = try WireVectors.readUInt16List(&body, prefixBytes: 2, what: "signature_algorithms_cert")
                    .map(SignatureScheme.init(rawValue:))
            case ExtensionType.alpn.rawValue:
                alpnRaw = try WireVectors.readProtocolNameList(&body)
                alpn = alpnRaw.map { String(decoding: $0, as: UTF8.self) }
            case ExtensionType.supportedVersions.rawValue:
                // struct { ProtocolVersion versions<2..254>; } SupportedVersions; (ClientHello form)
                supportedVersions = try WireVectors.readUInt16List(&body, prefixBytes: 1, what: "supported_versions")
                    .map(ProtocolVersion.init(rawValue:))
            case ExtensionType.keyShare.rawValue:
                keyShareGroups = try Self.parseKeyShare(&body)
            case useSRTPExtension:
                srtpProfiles = try Self.parseUseSRTP(&body)
            default:
                continue  // unknown or undecoded: skipped by its length
            }
            try body.expectEnd("extension \(type)")
        }
    }

    /// RFC 6066 §3:
    /// ```
    /// struct {
    ///     NameType name_type;
    ///     select (name_type) {
    ///         case host_name: HostName;
    ///     } name;
    /// } ServerName;
    /// enum { host_name(0), (255) } NameType;
    /// opaque HostName<1..2^16-1>;
    /// struct { ServerName server_name_list<1..2^16-1> } ServerNameList;
    /// ```
    /// An empty extension body (what servers echo) yields nil. Other name
    /// types are read as `opaque<1..2^16-1>` too, as every implementation does.
    @_lifetime(body: copy body)
    static func parseServerName(_ body: inout ByteReader) throws(ParseError) -> String? {
        guard !body.isAtEnd else { return nil }
        var list = try body.readLengthPrefixed(prefixBytes: 2)
        var hostName: String?
        var count = 0
        while !list.isAtEnd {
            count += 1
            guard count <= WireLimits.maxListEntries else {
                throw ParseError(.limitExceeded("server_name: too many names"), at: list.absoluteOffset)
            }
            let nameType = try list.readUInt8()
            let name = try WireVectors.readOpaque(&list, prefixBytes: 2)
            if nameType == 0, hostName == nil, !name.isEmpty {
                hostName = String(decoding: name, as: UTF8.self)
            }
        }
        return hostName
    }

    /// RFC 8446 §4.2.8 (ClientHello form):
    /// ```
    /// struct {
    ///     NamedGroup group;
    ///     opaque key_exchange<1..2^16-1>;
    /// } KeyShareEntry;
    /// struct {
    ///     KeyShareEntry client_shares<0..2^16-1>;
    /// } KeyShareClientHello;
    /// ```
    /// ```
    /// uint8 SRTPProtectionProfile[2];
    /// struct { SRTPProtectionProfile SRTPProtectionProfiles<2..2^16-1>; opaque srtp_mki<0..255>; } UseSRTPData;
    /// ```
    @_lifetime(body: copy body)
    static func parseUseSRTP(_ body: inout ByteReader) throws(ParseError) -> [SRTPProtectionProfile] {
        let profiles = try WireVectors.readUInt16List(&body, prefixBytes: 2, what: "use_srtp profiles")
        _ = try WireVectors.skipOpaque(&body, prefixBytes: 1)
        return profiles.map(SRTPProtectionProfile.init(rawValue:))
    }

    @_lifetime(body: copy body)
    static func parseKeyShare(_ body: inout ByteReader) throws(ParseError) -> [NamedGroup] {
        var list = try body.readLengthPrefixed(prefixBytes: 2)
        var groups: [NamedGroup] = []
        while !list.isAtEnd {
            guard groups.count < WireLimits.maxListEntries else {
                throw ParseError(.limitExceeded("key_share: too many entries"), at: list.absoluteOffset)
            }
            groups.append(NamedGroup(rawValue: try list.readUInt16()))
            _ = try WireVectors.skipOpaque(&list, prefixBytes: 2)
        }
        return groups
    }

    /// An SSL 2.0-compatible ClientHello (RFC 5246 Appendix E.2, RFC 6101
    /// Appendix E): the bytes after the 2-byte v2 record header, starting at
    /// `msg_type`.
    /// ```
    /// uint8 V2CipherSpec[3];
    /// struct {
    ///     uint16 msg_length;          /* the record header, not included here */
    ///     uint8 msg_type;             /* 1 */
    ///     Version version;
    ///     uint16 cipher_spec_length;
    ///     uint16 session_id_length;
    ///     uint16 challenge_length;
    ///     V2CipherSpec cipher_specs[V2ClientHello.cipher_spec_length];
    ///     opaque session_id[V2ClientHello.session_id_length];
    ///     opaque challenge[V2ClientHello.challenge_length;
    /// } V2ClientHello;
    /// ```
    /// Cipher specs whose first byte is 0 are TLS suites (`0x00 XX YY` →
    /// `0xXXYY`); the others go to `sslv2CipherKinds`. The challenge (16 to
    /// 32 bytes) becomes `random`.
    public init(sslv2Message r: inout ByteReader) throws(ParseError) {
        self.init()
        let typeAt = r.absoluteOffset
        let msgType = try r.readUInt8()
        guard msgType == 1 else {
            throw ParseError.invalid("SSL 2.0 message type \(msgType) is not CLIENT-HELLO", at: typeAt)
        }
        legacyVersion = ProtocolVersion(try r.readUInt16())
        let lengthsAt = r.absoluteOffset
        let cipherSpecLength = Int(try r.readUInt16())
        let sessionIDLength = Int(try r.readUInt16())
        let challengeLength = Int(try r.readUInt16())
        guard cipherSpecLength % 3 == 0 else {
            throw ParseError.invalid("cipher_spec_length \(cipherSpecLength) is not a multiple of 3", at: lengthsAt)
        }
        guard sessionIDLength <= 32 else {
            throw ParseError.invalid("session_id_length \(sessionIDLength) exceeds 32", at: lengthsAt + 2)
        }
        guard (16...32).contains(challengeLength) else {
            throw ParseError.invalid("challenge_length \(challengeLength) outside 16...32", at: lengthsAt + 4)
        }
        var specs = try r.readSlice(count: cipherSpecLength)
        var suites: [CipherSuite] = []
        var kinds: [UInt32] = []
        while !specs.isAtEnd {
            guard suites.count + kinds.count < WireLimits.maxCipherSuites else {
                throw ParseError(.limitExceeded("too many cipher specs"), at: specs.absoluteOffset)
            }
            let spec = try specs.readUInt24()
            if spec >> 16 == 0 {
                suites.append(CipherSuite(UInt16(spec & 0xFFFF)))
            } else {
                kinds.append(spec)
            }
        }
        sessionID = try r.readBytes(count: sessionIDLength)
        random = try r.readBytes(count: challengeLength)
        try r.expectEnd("SSL 2.0 ClientHello")

        cipherSuites = suites
        sslv2CipherKinds = kinds
        compressionMethods = []
        hasExtensionBlock = false
        isSSLv2Compatible = true
    }
}
