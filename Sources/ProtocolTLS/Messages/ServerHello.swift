import TLSModel
import WireBytes

/// The server's answer to a ClientHello, or a HelloRetryRequest (which has
/// the same layout and a fixed `random`).
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
/// Decoded extensions: supported_versions (`ProtocolVersion selected_version`),
/// key_share (`KeyShareEntry server_share`, or in a HelloRetryRequest
/// `NamedGroup selected_group`), ALPN (a `ProtocolNameList` with exactly one
/// name, RFC 7301 §3.1). Others are skipped by length.
extension ServerHello {
    public init(parsing r: inout ByteReader) throws(ParseError) {
        self.init()
        legacyVersion = ProtocolVersion(try r.readUInt16())
        random = try r.readBytes(count: 32)
        let sessionAt = r.absoluteOffset
        sessionID = try WireVectors.readOpaque(&r, prefixBytes: 1)
        guard sessionID.count <= 32 else {
            throw ParseError.invalid("legacy_session_id_echo longer than 32 bytes (\(sessionID.count))", at: sessionAt)
        }
        cipherSuite = CipherSuite(try r.readUInt16())
        compressionMethod = try r.readUInt8()
        isHelloRetryRequest = random == Self.helloRetryRequestRandom
        extensionTypes = []
        selectedVersion = nil
        keyShareGroup = nil
        alpn = nil
        hasExtensionBlock = !r.isAtEnd
        guard hasExtensionBlock else { return }

        var block = try r.readLengthPrefixed(prefixBytes: 2)
        try r.expectEnd("ServerHello extensions")
        while !block.isAtEnd {
            let type = try WireVectors.readExtensionType(&block, types: &extensionTypes)
            var body = try block.readLengthPrefixed(prefixBytes: 2)
            switch type {
            case ExtensionType.supportedVersions.rawValue:
                // struct { ProtocolVersion selected_version; } (ServerHello / HelloRetryRequest)
                selectedVersion = ProtocolVersion(try body.readUInt16())
            case ExtensionType.keyShare.rawValue:
                // HelloRetryRequest: struct { NamedGroup selected_group; } KeyShareHelloRetryRequest;
                // ServerHello:       struct { KeyShareEntry server_share; } KeyShareServerHello;
                keyShareGroup = NamedGroup(rawValue: try body.readUInt16())
                if !isHelloRetryRequest {
                    _ = try WireVectors.skipOpaque(&body, prefixBytes: 2)
                }
            case useSRTPExtension:
                let profiles = try ClientHello.parseUseSRTP(&body)
                guard profiles.count == 1 else {
                    throw ParseError.invalid("ServerHello use_srtp must name exactly one profile (\(profiles.count))", at: body.absoluteOffset)
                }
                srtpProfile = profiles[0]
            case ExtensionType.alpn.rawValue:
                let names = try WireVectors.readProtocolNameList(&body)
                guard names.count == 1 else {
                    throw ParseError.invalid("ServerHello ALPN must name exactly one protocol (\(names.count))",
                                             at: body.absoluteOffset)
                }
                alpn = String(decoding: names[0], as: UTF8.self)
            default:
                continue
            }
            try body.expectEnd("extension \(type)")
        }
    }
}
