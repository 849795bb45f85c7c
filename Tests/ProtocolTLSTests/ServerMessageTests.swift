import TLSModel
import Testing
import WireBytes
@testable import ProtocolTLS

/// Server-side messages from the make-fixtures.sh captures; expected values
/// are tshark 4.0.17's decoding (`tshark -V`, TLS 1.3 decrypted with the key log).
@Suite struct ServerMessageTests {
    func ske(_ name: String, _ kx: KeyExchange, _ au: Authentication, _ version: ProtocolVersion) throws -> ServerKeyExchange {
        let body = try Fixture.body(name, type: .serverKeyExchange)
        return try withReader(body) { (r: inout ByteReader) throws(ParseError) in
            try ServerKeyExchange(parsing: &r, keyExchange: kx, authentication: au, version: version)
        }
    }

    func certificate(_ name: String, _ format: CertificateFormat) throws -> CertificateMessage {
        let body = try Fixture.body(name, type: .certificate)
        return try withReader(body) { (r: inout ByteReader) throws(ParseError) in
            try CertificateMessage(parsing: &r, format: format)
        }
    }

    @Test func serverHello12() throws {
        let hello = try parseServerHello(try Fixture.body("tls12.2", type: .serverHello))
        #expect(hello.legacyVersion == .tls12)
        #expect(hello.cipherSuite == CipherSuite(0xc030))
        #expect(hello.compressionMethod == 0)
        #expect(hello.selectedVersion == nil)
        #expect(hello.negotiatedVersion == .tls12)
        #expect(!hello.isHelloRetryRequest)
        #expect(hello.random.count == 32)
        // OpenSSL is TLS 1.3-capable, so a 1.2 answer ends its random with "DOWNGRD\x01".
        #expect(hello.downgradeSentinel == .tls12)
        #expect(hello.ja3s == "ec74a5c51106f0419184d0dd08fb05bc")
    }

    @Test func serverHello10() throws {
        let hello = try parseServerHello(try Fixture.body("tls10.2", type: .serverHello))
        #expect(hello.negotiatedVersion == .tls10)
        #expect(hello.cipherSuite == CipherSuite(0xc014))
        #expect(hello.downgradeSentinel == .tls11)
    }

    @Test func serverHello13() throws {
        let hello = try parseServerHello(try Fixture.body("tls13.2", type: .serverHello))
        #expect(hello.legacyVersion == .tls12)
        #expect(hello.cipherSuite == CipherSuite(0x1302))
        #expect(hello.selectedVersion == .tls13)
        #expect(hello.negotiatedVersion == .tls13)
        #expect(hello.keyShareGroup == NamedGroup(rawValue: 29))
        #expect(hello.extensionTypes == [43, 51])
        #expect(!hello.isHelloRetryRequest)
        #expect(hello.downgradeSentinel == nil)
        #expect(hello.ja3s == "15af977ce25de452b96affa2addb1036")
    }

    @Test func helloRetryRequest() throws {
        let retry = try parseServerHello(try Fixture.body("hrr.2", type: .serverHello))
        #expect(retry.isHelloRetryRequest)
        #expect(retry.random == ServerHello.helloRetryRequestRandom)
        #expect(retry.selectedVersion == .tls13)
        #expect(retry.keyShareGroup == NamedGroup(rawValue: 24))  // "Selected Group: secp384r1 (24)"
        #expect(retry.cipherSuite == CipherSuite(0x1302))
        let real = try parseServerHello(try Fixture.body("hrr.2.2", type: .serverHello))
        #expect(!real.isHelloRetryRequest)
        #expect(real.keyShareGroup == NamedGroup(rawValue: 24))
    }

    @Test func encryptedExtensions() throws {
        let body = try Fixture.body("tls13.8", type: .encryptedExtensions)
        let ee = try withReader(body) { (r: inout ByteReader) throws(ParseError) in try EncryptedExtensions(parsing: &r) }
        #expect(ee.alpn == nil)  // s_server was not given -alpn
    }

    @Test func certificate12() throws {
        let chain = try certificate("tls12.11", .tls12)
        #expect(chain.certificates.map(\.count) == [701, 797])  // tls.handshake.certificate_length
        #expect(chain.certificates.allSatisfy { $0.first == 0x30 })
        let leaf = try #require(chain.leaf)
        let name = Array("example.com".utf8)
        #expect((0...(leaf.count - name.count)).contains { Array(leaf[$0..<$0 + name.count]) == name })
        #expect(chain.requestContext.isEmpty)
        // TLCP has the TLS 1.2 layout.
        #expect(try certificate("tls12.11", .tlcp).certificates == chain.certificates)
        // The client's certificate in the same handshake.
        #expect(try certificate("tls12.11.2", .tls12).certificates.map(\.count) == [696])
    }

    @Test func certificate13() throws {
        let chain = try certificate("tls13.11", .tls13)
        #expect(chain.certificates.map(\.count) == [701, 797])
        #expect(chain.requestContext.isEmpty)
        #expect(chain.entryExtensionTypes == [[], []])
        #expect(try certificate("tls12.11", .tls12).certificates.map(\.count) == [701, 797])
        // The client had no certificate: an empty list.
        #expect(try certificate("tls13.11.2", .tls13).certificates.isEmpty)
        // The 1.2 layout does not parse as 1.3.
        #expect(parseError { () throws(ParseError) in
            try withReader(try! Fixture.body("tls12.11", type: .certificate)) { (r: inout ByteReader) throws(ParseError) in
                try CertificateMessage(parsing: &r, format: .tls13)
            }
        } != nil)
    }

    @Test func certificateCaps() throws {
        func parse(_ entries: [[UInt8]]) -> ParseError? {
            let list = entries.flatMap { u24($0.count) + $0 }
            return parseError { () throws(ParseError) in
                try withReader(u24(list.count) + list) { (r: inout ByteReader) throws(ParseError) in
                    try CertificateMessage(parsing: &r, format: .tls12)
                }
            }
        }
        #expect(parse(Array(repeating: [0x30, 0x00], count: 32)) == nil)
        #expect(isLimit(parse(Array(repeating: [0x30, 0x00], count: 33))))
        #expect(isLimit(parse([[UInt8](repeating: 0x30, count: 200 * 1024), [UInt8](repeating: 0x30, count: 70 * 1024)])))
        #expect(isInvalid(parse([[]])))
    }

    @Test func serverKeyExchangeECDHE12() throws {
        let message = try ske("tls12.12", .ecdhe, .rsa, .tls12)
        #expect(message.parameters == .ecdhe(curveType: 3, group: NamedGroup(rawValue: 0x001d)))
        #expect(message.signatureScheme == SignatureScheme(rawValue: 0x0804))  // rsa_pss_rsae_sha256
        #expect(message.signatureLength == 256)
        #expect(message.isSigned)
        #expect(message.publicValueLength == 32)
    }

    @Test func serverKeyExchangeECDHE10() throws {
        let message = try ske("tls10.12", .ecdhe, .rsa, .tls10)
        #expect(message.parameters == .ecdhe(curveType: 3, group: NamedGroup(rawValue: 0x001d)))
        #expect(message.signatureScheme == nil)
        #expect(message.signatureLength == 256)
    }

    @Test func serverKeyExchangeDHE() throws {
        let message = try ske("tls12dhe.12", .dhe, .rsa, .tls12)
        // tshark: p Length 256, g Length 1 (OpenSSL's automatic group is ffdhe2048, g = 2).
        #expect(message.parameters == .dhe(primeBits: 2048, generatorBits: 2))
        #expect(message.signatureScheme == SignatureScheme(rawValue: 0x0804))
        #expect(message.signatureLength == 256)
    }

    @Test func serverKeyExchangeSynthetic() throws {
        func parse(_ bytes: [UInt8], _ kx: KeyExchange, _ au: Authentication, _ v: ProtocolVersion) throws(ParseError) -> ServerKeyExchange {
            try withReader(bytes) { (r: inout ByteReader) throws(ParseError) in
                try ServerKeyExchange(parsing: &r, keyExchange: kx, authentication: au, version: v)
            }
        }
        let point: [UInt8] = [4, 1, 2, 3, 4]
        // DHE_PSK: hint "id", then p (leading zero stripped: 0x01FF → 9 bits), g, Ys; no signature.
        let dhePSK: [UInt8] = [0, 2, 0x69, 0x64, 0, 3, 0x00, 0x01, 0xFF, 0, 1, 5, 0, 1, 7]
        let a = try parse(dhePSK, .dhePSK, .psk, .tls12)
        #expect(a.parameters == .dhe(primeBits: 9, generatorBits: 3))
        #expect(a.pskIdentityHintLength == 2)
        #expect(!a.isSigned)
        #expect(a.signatureScheme == nil)
        // ECDH_anon: params, no signature.
        let anon = try parse([3, 0, 23] + point, .ecdhe, .anonymous, .tls12)
        #expect(anon.parameters == .ecdhe(curveType: 3, group: NamedGroup(rawValue: 23)))
        #expect(!anon.isSigned)
        // Plain PSK: only a hint.
        #expect(try parse([0, 0], .psk, .psk, .tls12).parameters == .psk(hintLength: 0))
        // RSA export: 512-bit modulus, exponent, signature (TLS 1.0: no algorithm).
        let rsa = try parse([0x00, 0x40] + [0xC0] + [UInt8](repeating: 1, count: 63) + [0, 3, 1, 0, 1] + [0, 2, 9, 9], .rsa, .rsa, .tls10)
        #expect(rsa.parameters == .rsaExport(modulusBits: 512))
        #expect(rsa.signatureLength == 2)
        // TLCP ECC: only signature<0..2^16-1>, no algorithm.
        let ecc = try parse([0, 3, 1, 2, 3], .sm2, .sm2, .tlcp)
        #expect(ecc.parameters == .tlcpECC)
        #expect(ecc.signatureScheme == nil)
        #expect(ecc.signatureLength == 3)
        // TLCP ECDHE: ECParameters (curveSM2 = 41) + point, then the signature.
        let sm2dhe = try parse([3, 0, 41] + point + [0, 1, 0xAA], .sm2dhe, .sm2, .tlcp)
        #expect(sm2dhe.parameters == .ecdhe(curveType: 3, group: NamedGroup(rawValue: 41)))
        #expect(sm2dhe.signatureLength == 1)
        // Trailing bytes after the signature, unknown curve type, truncated signature.
        #expect(isInvalid(parseError { () throws(ParseError) in try parse([3, 0, 23] + point + [0x08, 0x04, 0, 1, 0xAA, 0], .ecdhe, .rsa, .tls12) }))
        #expect(isInvalid(parseError { () throws(ParseError) in try parse([9, 0, 23] + point, .ecdhe, .anonymous, .tls12) }))
        #expect(parseError { () throws(ParseError) in try parse([3, 0, 23] + point + [0x08, 0x04, 0, 9, 0xAA], .ecdhe, .rsa, .tls12) }?.isTruncation == true)
    }

    @Test func certificateRequest12() throws {
        let body = try Fixture.body("tls12.13", type: .certificateRequest)
        let request = try withReader(body) { (r: inout ByteReader) throws(ParseError) in try CertificateRequest(parsing: &r, version: .tls12) }
        #expect(request.certificateTypes == [1, 2, 64])  // rsa_sign, dss_sign, ecdsa_sign
        #expect(request.signatureAlgorithms.map(\.rawValue) == ClientHelloTests.openSSLSignatureAlgorithms)
        #expect(request.certificateAuthorities.isEmpty)  // "Distinguished Names Length: 0"
    }

    @Test func certificateRequest13() throws {
        let body = try Fixture.body("tls13.13", type: .certificateRequest)
        let request = try withReader(body) { (r: inout ByteReader) throws(ParseError) in try CertificateRequest(parsing: &r, version: .tls13) }
        #expect(request.certificateTypes.isEmpty)
        #expect(request.requestContext.isEmpty)
        #expect(request.extensionTypes == [13])
        #expect(request.signatureAlgorithms.map(\.rawValue) == [
            0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806,
            0x0401, 0x0501, 0x0601, 0x0303, 0x0301,
        ])
    }

    @Test func certificateRequestOldLayouts() throws {
        // TLS 1.0 / TLCP: certificate_types then certificate_authorities (one 3-byte DN).
        let bytes: [UInt8] = [1, 1, 0, 5, 0, 3, 0x30, 0x01, 0x00]
        for version in [ProtocolVersion.tls10, .tlcp] {
            let request = try withReader(bytes) { (r: inout ByteReader) throws(ParseError) in try CertificateRequest(parsing: &r, version: version) }
            #expect(request.certificateTypes == [1])
            #expect(request.signatureAlgorithms.isEmpty)
            #expect(request.certificateAuthorities == [[0x30, 0x01, 0x00]])
        }
    }

    @Test func certificateVerify() throws {
        for (name, version) in [("tls12.15", ProtocolVersion.tls12), ("tls13.15", .tls13)] {
            let body = try Fixture.body(name, type: .certificateVerify)
            let verify = try withReader(body) { (r: inout ByteReader) throws(ParseError) in try CertificateVerify(parsing: &r, version: version) }
            #expect(verify.signatureScheme == SignatureScheme(rawValue: 0x0804), "\(name)")
            #expect(verify.signatureLength == 256)
        }
        let old = try withReader([0, 2, 1, 2]) { (r: inout ByteReader) throws(ParseError) in try CertificateVerify(parsing: &r, version: .tls11) }
        #expect(old.signatureScheme == nil)
        #expect(old.signatureLength == 2)
    }

    @Test func alerts() throws {
        let fatal = try withReader([2, 40]) { (r: inout ByteReader) throws(ParseError) in try AlertMessage(parsing: &r) }
        #expect(fatal.isFatal)
        #expect(fatal.description.rawValue == 40)
        let close = try withReader([1, 0]) { (r: inout ByteReader) throws(ParseError) in try AlertMessage(parsing: &r) }
        #expect(!close.isFatal)
        #expect(close.isCloseNotify)
        #expect(parseError { () throws(ParseError) in
            try withReader([2]) { (r: inout ByteReader) throws(ParseError) in try AlertMessage(parsing: &r) }
        }?.isTruncation == true)
    }
}
