import CertificateModel
import Testing

@testable import ProtocolX509

/// Hand-built certificates covering shapes OpenSSL will not produce.
@Suite struct SyntheticCertificateTests {
    typealias B = DERBuilder

    static let rsaSPKI = B.seq(
        B.seq(B.oid("1.2.840.113549.1.1.1"), B.null),
        B.bitString(B.seq(B.int([0x00, 0x80] + [UInt8](repeating: 0x11, count: 127)), B.int([0x03]))))

    @Test func baselineSyntheticCertificate() throws {
        let cert = try #require(CertificateParse.parse(B.certificate(spki: Self.rsaSPKI)).certificate)
        #expect(cert.version == 3)
        #expect(cert.serialNumber == "8001")
        #expect(cert.publicKey.keyType == .rsa)
        #expect(cert.publicKey.bits == 1024)
        #expect(cert.publicKey.rsaExponent == "3")
        #expect(cert.notBefore == 1_709_208_000)  // 2024-02-29T12:00:00Z
        #expect(cert.notAfter == -631_152_000)  // UTCTime "50" → 1950-01-01
        #expect(!cert.isSelfIssued)
        #expect(cert.issuer.rendered == "CN=issuer")
    }

    @Test func undecodableKeyStillYieldsCertificate() throws {
        let spki = B.seq(B.seq(B.oid("1.2.840.113549.1.1.1"), B.null), B.bitString([0xde, 0xad]))
        let cert = try #require(CertificateParse.parse(B.certificate(spki: spki)).certificate)
        #expect(cert.publicKey.keyType == .rsa)
        #expect(cert.publicKey.bits == nil)
        #expect(cert.publicKey.securityBits == nil)
        #expect(cert.publicKey.rsaExponent == nil)
    }

    @Test func dsaWithoutParametersHasNoBits() throws {
        let spki = B.seq(B.seq(B.oid("1.2.840.10040.4.1")), B.bitString(B.int([0x05])))
        let cert = try #require(CertificateParse.parse(B.certificate(spki: spki)).certificate)
        #expect(cert.publicKey.keyType == .dsa)
        #expect(cert.publicKey.bits == nil)
    }

    @Test func sm2AsKeyAlgorithm() throws {
        let spki = B.seq(B.seq(B.oid("1.2.156.10197.1.301")), B.bitString([0x04] + [UInt8](repeating: 1, count: 64)))
        let cert = try #require(CertificateParse.parse(B.certificate(spki: spki)).certificate)
        #expect(cert.publicKey.keyType == .sm2)
        #expect(cert.publicKey.bits == 256)
        #expect(cert.publicKey.curveName == "SM2")
        #expect(cert.publicKey.securityBits == 128)
    }

    @Test func unknownNamedCurveUsesPointSize() throws {
        let spki = B.seq(
            B.seq(B.oid("1.2.840.10045.2.1"), B.oid("1.2.3.4.5")),
            B.bitString([0x04] + [UInt8](repeating: 7, count: 96)))
        let cert = try #require(CertificateParse.parse(B.certificate(spki: spki)).certificate)
        #expect(cert.publicKey.keyType == .ec)
        #expect(cert.publicKey.bits == 384)
        #expect(cert.publicKey.curveName == nil)
        #expect(cert.publicKey.curveOID == "1.2.3.4.5")
    }

    @Test func unknownAlgorithms() throws {
        let spki = B.seq(B.seq(B.oid("1.2.3.4")), B.bitString([1, 2, 3]))
        let cert = try #require(
            CertificateParse.parse(B.certificate(spki: spki, signature: B.seq(B.oid("1.3.6.1.4.1.99999.7")))).certificate)
        #expect(cert.publicKey.keyType == .unknown)
        #expect(cert.publicKey.algorithmOID == "1.2.3.4")
        #expect(cert.publicKey.bits == nil)
        #expect(cert.signatureAlgorithm.name == "1.3.6.1.4.1.99999.7")
        #expect(cert.signatureAlgorithm.hash == .unknown)
    }

    @Test func legacySignatureOIDs() throws {
        let table: [(String, String, SignatureDigest)] = [
            ("1.3.14.3.2.29", "sha1WithRSA", .sha1),
            ("1.3.14.3.2.3", "md5WithRSA", .md5),
            ("1.2.840.113549.1.1.2", "md2WithRSAEncryption", .md2),
            ("1.2.840.113549.1.1.3", "md4WithRSAEncryption", .md4),
            ("1.3.14.3.2.15", "shaWithRSAEncryption", .sha1),
            ("2.16.840.1.101.3.4.3.1", "dsa_with_SHA224", .sha224),
            ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512", .sha512),
            ("1.2.643.7.1.1.3.2", "GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)", .unknown),
        ]
        for (oid, name, hash) in table {
            let der = B.certificate(spki: Self.rsaSPKI, signature: B.seq(B.oid(oid), B.null))
            let cert = try #require(CertificateParse.parse(der).certificate)
            #expect(cert.signatureAlgorithm.oid == oid)
            #expect(cert.signatureAlgorithm.name == name)
            #expect(cert.signatureAlgorithm.hash == hash)
        }
    }

    @Test func pssParameterVariants() throws {
        let pss = "1.2.840.113549.1.1.10"
        func hash(_ signature: [UInt8]) throws -> SignatureDigest {
            try #require(CertificateParse.parse(B.certificate(spki: Self.rsaSPKI, signature: signature)).certificate)
                .signatureAlgorithm.hash
        }
        #expect(try hash(B.seq(B.oid(pss))) == .sha1)  // parameters absent
        #expect(try hash(B.seq(B.oid(pss), B.seq())) == .sha1)  // all defaults
        let sha512 = B.tlv(0xa0, B.seq(B.oid("2.16.840.1.101.3.4.2.3"), B.null))
        #expect(try hash(B.seq(B.oid(pss), B.seq(sha512))) == .sha512)
        #expect(try hash(B.seq(B.oid(pss), B.int([1]))) == .unknown)  // malformed
    }

    @Test func gostKey() throws {
        let spki = B.seq(
            B.seq(B.oid("1.2.643.7.1.1.1.1"), B.seq(B.oid("1.2.643.7.1.2.1.1.1"))),
            B.bitString(B.tlv(0x04, [UInt8](repeating: 9, count: 64))))
        let cert = try #require(CertificateParse.parse(B.certificate(spki: spki)).certificate)
        #expect(cert.publicKey.keyType == .gost)
        #expect(cert.publicKey.bits == 256)
        #expect(cert.publicKey.curveOID == "1.2.643.7.1.2.1.1.1")
    }

    @Test func unparseableTimesAreNil() throws {
        let der = B.certificate(
            spki: Self.rsaSPKI, notBefore: B.utcTime("991332000000Z"), notAfter: B.utf8("tomorrow"))
        let cert = try #require(CertificateParse.parse(der).certificate)
        #expect(cert.notBefore == nil)
        #expect(cert.notAfter == nil)
    }

    @Test func extensionsOddities() throws {
        let san = B.seq(
            B.oid("2.5.29.17"),
            B.tlv(
                0x04,
                B.seq(
                    B.tlv(0x82, Array("a\nb".utf8)),
                    B.tlv(0x87, [192, 168, 0, 1, 255, 255, 255, 0]),
                    B.tlv(0xa4, B.name(cn: "dir")),
                    B.tlv(0x88, Array(B.oid("1.2.3").dropFirst(2))),
                    B.tlv(0xa0, B.oid("1.3.6.1.4.1.311.20.2.3") + B.tlv(0xa0, B.utf8("upn"))))))  // [0] IMPLICIT OtherName
        let basic = B.seq(B.oid("2.5.29.19"), B.tlv(0x01, [0xff]), B.tlv(0x04, B.seq()))
        let broken = B.seq(B.oid("2.5.29.15"), B.tlv(0x04, [0xff, 0xff]))
        let cert = try #require(CertificateParse.parse(B.certificate(spki: Self.rsaSPKI, extensions: san + basic + broken)).certificate)
        #expect(
            cert.subjectAlternativeNames == [
                "DNS:a\\x0ab", "IP:#c0a80001ffffff00", "DirName:CN=dir", "RID:1.2.3",
                "othername:1.3.6.1.4.1.311.20.2.3",
            ])
        #expect(cert.isCA == false)  // empty BasicConstraints: cA DEFAULT FALSE
    }

    @Test func malformedSANIsIgnored() throws {
        let san = B.seq(B.oid("2.5.29.17"), B.tlv(0x04, [0x30, 0x05, 0x82]))
        let cert = try #require(CertificateParse.parse(B.certificate(spki: Self.rsaSPKI, extensions: san)).certificate)
        #expect(cert.subjectAlternativeNames.isEmpty)
    }

    @Test func invalidVersionIsRejected() {
        var der = B.certificate(spki: Self.rsaSPKI)
        // [0] { INTEGER 2 } sits right after the two SEQUENCE headers.
        guard let index = der.firstIndex(of: 0xa0), der[index + 4] == 2 else {
            Issue.record("version not found")
            return
        }
        der[index + 4] = 7
        #expect(CertificateParse.parse(der).notDER?.reason.contains("version") == true)
    }

    @Test func nameStringTypesAndUnknownValues() throws {
        let bmp = B.tlv(0x1e, [0x00, 0x41, 0x00, 0x2c, 0x4e, 0x2d])  // "A,中"
        let teletex = B.tlv(0x14, [0x63, 0x61, 0x66, 0xe9])  // "café" in Latin-1
        let universal = B.tlv(0x1c, [0, 0, 0, 0x5a])
        let badUTF8 = B.tlv(0x0c, [0xff])
        let intValue = B.int([5])
        let name = B.seq(
            B.set(B.seq(B.oid("2.5.4.10"), bmp)),
            B.set(B.seq(B.oid("2.5.4.11"), teletex)),
            B.set(B.seq(B.oid("2.5.4.7"), universal)),
            B.set(B.seq(B.oid("2.5.4.3"), badUTF8)),
            B.set(B.seq(B.oid("2.5.4.5"), intValue)))
        let node = try DERParsing.parse(name)
        let dn = try #require(NameRenderer.decode(node))
        #expect(dn.rendered == #"serialNumber=#020105,CN=#0C01FF,L=Z,OU=café,O=A\,中"#)
        #expect(dn.commonName == nil)
    }
}
