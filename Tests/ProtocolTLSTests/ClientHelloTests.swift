import TLSModel
import Testing
import WireBytes
@testable import ProtocolTLS

/// ClientHellos captured from OpenSSL 3.0.19 s_client (make-fixtures.sh);
/// expected values are tshark 4.0.17's decoding of the same packets.
@Suite struct ClientHelloTests {
    static let openSSLCiphers13: [UInt16] = [
        0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e,
        0xc024, 0xc028, 0x006b, 0xc023, 0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033,
        0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff,
    ]
    static let openSSLSignatureAlgorithms: [UInt16] = [
        0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806,
        0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602,
    ]

    @Test func tls13ClientHelloWithALPN() throws {
        let hello = try parseClientHello(try Fixture.body("tls13.1", type: .clientHello))
        #expect(hello.legacyVersion == .tls12)
        #expect(hello.random.count == 32)
        #expect(hello.sessionID.count == 32)  // middlebox-compatibility session id
        #expect(hello.cipherSuites.map(\.rawValue) == Self.openSSLCiphers13)
        #expect(hello.compressionMethods == [0])
        #expect(hello.extensionTypes == [0, 11, 10, 35, 16, 22, 23, 13, 43, 45, 51])
        #expect(hello.serverName == "example.com")
        #expect(hello.alpn == ["h2", "http/1.1"])
        #expect(hello.supportedVersions == [.tls13, .tls12, .tls11, .tls10])
        #expect(hello.offeredVersions == [.tls13, .tls12, .tls11, .tls10])
        #expect(hello.supportedGroups.map(\.rawValue) == [0x001d, 0x0017, 0x001e, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104])
        #expect(hello.ecPointFormats == [0, 1, 2])
        #expect(hello.signatureAlgorithms.map(\.rawValue) == Self.openSSLSignatureAlgorithms)
        #expect(hello.signatureAlgorithmsCert.isEmpty)
        #expect(hello.keyShareGroups.map(\.rawValue) == [29])
        #expect(!hello.isSSLv2Compatible)
        #expect(hello.signalsSecureRenegotiation)
        // tshark tls.handshake.ja3_full / tls.handshake.ja3
        #expect(hello.ja3String == "771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-16-22-23-13-43-45-51,29-23-30-25-24-256-257-258-259-260,0-1-2")
        #expect(hello.ja3 == "5a1edc7f170af1014fc65c994878e63c")
        // JA4 by hand (FoxIO technical_details/JA4.md):
        //  a: "t" TCP, "13" highest supported_versions, "d" SNI present, "31" ciphers
        //     (0x00ff counts), "11" extensions (SNI and ALPN count), "h2" first ALPN value.
        //  b: sorted ciphers "002f,0033,0035,0039,003c,003d,0067,006b,009c,009d,009e,009f,00ff,
        //     1301,1302,1303,c009,c00a,c013,c014,c023,c024,c027,c028,c02b,c02c,c02f,c030,cca8,cca9,ccaa"
        //     → sha256[0..<12] = e8f1e7e78f70 (the same value curl+OpenSSL shows in public JA4 logs).
        //  c: "000a,000b,000d,0016,0017,0023,002b,002d,0033" + "_" + the 20 signature algorithms in
        //     wire order "0403,0503,…,0602" → sha256[0..<12] = 1f22a2ca17c4.
        #expect(hello.ja4 == "t13d3111h2_e8f1e7e78f70_1f22a2ca17c4")
        #expect(hello.ja4Raw == "t13d3111h2_002f,0033,0035,0039,003c,003d,0067,006b,009c,009d,009e,009f,00ff,1301,1302,1303,c009,c00a,c013,c014,c023,c024,c027,c028,c02b,c02c,c02f,c030,cca8,cca9,ccaa_000a,000b,000d,0016,0017,0023,002b,002d,0033_0403,0503,0603,0807,0808,0809,080a,080b,0804,0805,0806,0401,0501,0601,0303,0301,0302,0402,0502,0602")
    }

    @Test func tls12OnlyClientHello() throws {
        let hello = try parseClientHello(try Fixture.body("tls12.1", type: .clientHello))
        #expect(hello.legacyVersion == .tls12)
        #expect(hello.cipherSuites.count == 28)
        #expect(!hello.cipherSuites.contains(CipherSuite(0x1301)))
        #expect(hello.extensionTypes == [0, 11, 10, 35, 22, 23, 13])
        #expect(hello.supportedVersions.isEmpty)
        #expect(hello.offeredVersions == [.ssl3, .tls10, .tls11, .tls12])
        #expect(hello.supportedGroups.map(\.rawValue) == [0x001d, 0x0017, 0x001e, 0x0019, 0x0018])
        #expect(hello.keyShareGroups.isEmpty)
        #expect(hello.alpn.isEmpty)
        #expect(hello.ja3String == "771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-22-23-13,29-23-30-25-24,0-1-2")
        #expect(hello.ja3 == "871a754af286dfb70c1b53c6887c62e0")
        #expect(hello.ja4.hasPrefix("t12d280700_"))
    }

    @Test func tls10ClientHello() throws {
        let hello = try parseClientHello(try Fixture.body("tls10.1", type: .clientHello))
        #expect(hello.legacyVersion == .tls10)
        #expect(hello.cipherSuites.map(\.rawValue) == [0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033, 0x0035, 0x002f, 0x00ff])
        #expect(hello.extensionTypes == [11, 10, 35, 22, 23])
        #expect(hello.serverName == nil)
        #expect(hello.signatureAlgorithms.isEmpty)
        #expect(hello.offeredVersions == [.ssl3, .tls10])
        #expect(hello.ja3String == "769,49162-49172-57-49161-49171-51-53-47-255,11-10-35-22-23,29-23-30-25-24,0-1-2")
        #expect(hello.ja3 == "53652b2730564404986852cde177b6d9")
        // No SNI → "i", no ALPN → "00", no signature_algorithms → ja4_c hashes the
        // extension list alone ("000a,000b,0016,0017,0023", no trailing "_").
        #expect(hello.ja4 == "t10i090500_c491f621fb4c_195413a0cc0f")
        #expect(hello.ja4Raw == "t10i090500_002f,0033,0035,0039,00ff,c009,c00a,c013,c014_000a,000b,0016,0017,0023")
    }

    @Test func helloRetryRequestSecondClientHello() throws {
        let first = try parseClientHello(try Fixture.body("hrr.1", type: .clientHello))
        let second = try parseClientHello(try Fixture.body("hrr.1.2", type: .clientHello))
        #expect(first.keyShareGroups.map(\.rawValue) == [29])
        #expect(second.keyShareGroups.map(\.rawValue) == [24])
        #expect(first.random == second.random)
        #expect(first.ja3 == "a3afc2c46ba4a7d7fbe1cfb7a3031c2f")
    }

    /// Every ClientHello fixture against tshark's decoding written by make-fixtures.sh.
    @Test(arguments: ["tls13", "tls12", "tls12dhe", "tls10", "hrr"])
    func matchesTshark(scenario: String) throws {
        let hello = try parseClientHello(try Fixture.body("\(scenario).1", type: .clientHello))
        let t = try Fixture.tshark(scenario)
        #expect(hello.ja3 == t["tls.handshake.ja3"]?.first)
        #expect(hello.ja3String == t["tls.handshake.ja3_full"]?.first)
        #expect(hello.legacyVersion.rawValue == t["tls.handshake.version"].flatMap { tsharkNumber($0[0]) })
        #expect(hello.cipherSuites.map(\.rawValue) == (t["tls.handshake.ciphersuite"] ?? []).compactMap(tsharkNumber))
        #expect(hello.extensionTypes == (t["tls.handshake.extension.type"] ?? []).compactMap(tsharkNumber))
        #expect(hello.serverName == t["tls.handshake.extensions_server_name"]?.first)
        #expect(hello.alpn == t["tls.handshake.extensions_alpn_str"] ?? [])
        #expect(hello.supportedVersions.map(\.rawValue) == (t["tls.handshake.extensions.supported_version"] ?? []).compactMap(tsharkNumber))
        #expect(hello.supportedGroups.map(\.rawValue) == (t["tls.handshake.extensions_supported_group"] ?? []).compactMap(tsharkNumber))
        #expect(hello.ecPointFormats.map(UInt16.init) == (t["tls.handshake.extensions_ec_point_format"] ?? []).compactMap(tsharkNumber))
        #expect(hello.signatureAlgorithms.map(\.rawValue) == (t["tls.handshake.sig_hash_alg"] ?? []).compactMap(tsharkNumber))
        #expect(hello.keyShareGroups.map(\.rawValue) == (t["tls.handshake.extensions_key_share_group"] ?? []).compactMap(tsharkNumber))
    }

    @Test func sslv2CompatibleClientHello() throws {
        // RFC 5246 E.2 layout: msg_type 1, version 3.1, cipher_spec_length 9,
        // session_id_length 0, challenge_length 16; specs SSL_CK_RC4_128_WITH_MD5
        // (0x010080), TLS_DHE_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA.
        let challenge = [UInt8](repeating: 0xC5, count: 16)
        let message: [UInt8] = [0x01, 0x03, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, 0x10,
                                0x01, 0x00, 0x80, 0x00, 0x00, 0x39, 0x00, 0x00, 0x2F] + challenge
        let hello = try withReader(message) { (r: inout ByteReader) throws(ParseError) in try ClientHello(sslv2Message: &r) }
        #expect(hello.isSSLv2Compatible)
        #expect(hello.legacyVersion == .tls10)
        #expect(hello.cipherSuites.map(\.rawValue) == [0x0039, 0x002f])
        #expect(hello.sslv2CipherKinds == [0x010080])
        #expect(hello.random == challenge)
        #expect(hello.extensionTypes.isEmpty)
        #expect(hello.offeredVersions == [.ssl2, .ssl3, .tls10])
        #expect(hello.ja3String == "769,57-47,,,")
        #expect(hello.ja4.hasPrefix("t10i020000_"))

        func v2Error(_ bytes: [UInt8]) -> ParseError? {
            parseError { () throws(ParseError) in
                try withReader(bytes) { (r: inout ByteReader) throws(ParseError) in try ClientHello(sslv2Message: &r) }
            }
        }
        var badType = message; badType[0] = 2
        #expect(isInvalid(v2Error(badType)))
        var badSpecLength = message; badSpecLength[4] = 8
        #expect(isInvalid(v2Error(badSpecLength)))
        var shortChallenge = message; shortChallenge[8] = 15
        #expect(isInvalid(v2Error(shortChallenge)))
        #expect(isInvalid(v2Error(message + [0])))
        #expect(v2Error(Array(message.dropLast()))?.isTruncation == true)
    }

    @Test func handshakeTypeNames() {
        #expect(HandshakeType.name(of: 1) == "client_hello")
        #expect(HandshakeType.name(of: 25) == "compressed_certificate")
        #expect(HandshakeType.name(of: 7) == "unknown-7")
        #expect(HandshakeType(rawValue: 254) == .messageHash)
    }
}
