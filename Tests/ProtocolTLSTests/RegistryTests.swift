@testable import TLSModel
import Testing
@testable import ProtocolTLS

/// Spot checks of the generated IANA tables (scripts/generate-tls-registry.py).
@Suite struct RegistryTests {
    @Test func cipherTableIsSortedWithUniqueIDs() {
        let ids = CipherSuite.registry.map(\.id)
        #expect(!ids.isEmpty)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "sorted ascending, no duplicates")
        // Every entry is reachable through the binary search.
        for entry in CipherSuite.registry {
            #expect(CipherSuite.lookup(entry.id)?.name == entry.name)
        }
    }

    @Test func ecdheRSAWithAES128GCM() throws {
        let info = try #require(CipherSuite(0xC02F).info)
        #expect(info.name == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        #expect(info.keyExchange == .ecdhe)
        #expect(info.authentication == .rsa)
        #expect(info.cipher == .aes128gcm)
        #expect(info.mac == .sha256)
        #expect(!info.isExport)
    }

    @Test func rsaWithRC4MD5() throws {
        let info = try #require(CipherSuite(0x0004).info)
        #expect(info.name == "TLS_RSA_WITH_RC4_128_MD5")
        #expect(info.keyExchange == .rsa)
        #expect(info.authentication == .rsa)
        #expect(info.cipher == .rc4_128)
        #expect(info.mac == .md5)
    }

    @Test func exportSuiteIsFlagged() throws {
        let info = try #require(CipherSuite(0x0003).info)
        #expect(info.name == "TLS_RSA_EXPORT_WITH_RC4_40_MD5")
        #expect(info.isExport)
        #expect(info.cipher == .rc4_40)
    }

    @Test func anonymousDH() throws {
        let info = try #require(CipherSuite(0x0034).info)
        #expect(info.name == "TLS_DH_anon_WITH_AES_128_CBC_SHA")
        #expect(info.keyExchange == .dhe)
        #expect(info.authentication == .anonymous)
        #expect(info.mac == .sha1)
    }

    @Test func tls13Suite() throws {
        let info = try #require(CipherSuite(0x1301).info)
        #expect(info.name == "TLS_AES_128_GCM_SHA256")
        #expect(info.keyExchange == .tls13)
        #expect(info.authentication == .tls13)
        #expect(info.cipher == .aes128gcm)
        #expect(info.mac == .sha256)
    }

    @Test func tlcpSuite() throws {
        let info = try #require(CipherSuite(0xE013).info)
        #expect(info.name == "TLCP_ECC_SM4_CBC_SM3")
        #expect(info.keyExchange == .sm2)
        #expect(info.authentication == .sm2)
        #expect(info.cipher == .sm4cbc)
        #expect(info.mac == .sm3)
    }

    @Test func scsvAndUnknownSuites() throws {
        let scsv = try #require(CipherSuite(0x00FF).info)
        #expect(scsv.name == "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")
        #expect(scsv.keyExchange == .null && scsv.cipher == .null)
        #expect(CipherSuite(0x5600).name == "TLS_FALLBACK_SCSV")
        #expect(CipherSuite(0x0A0A).name == "GREASE-0x0A0A")
        #expect(CipherSuite(0x1337).info == nil)
    }

    @Test func secp256r1Strength() throws {
        let info = try #require(NamedGroup(rawValue: 0x0017).info)
        #expect(info.name == "secp256r1")
        #expect(info.kind == .ellipticCurve)
        #expect(info.strengthBits == 128)
        #expect(info.sizeBits == 256)
        #expect(NamedGroup(rawValue: 0x11EC).info?.kind == .hybridPostQuantum)
        #expect(NamedGroup(rawValue: 0x0100).info?.strengthBits == 112)
    }

    @Test func rsaPKCS1SHA1() throws {
        let info = try #require(SignatureScheme(rawValue: 0x0201).info)
        #expect(info.name == "rsa_pkcs1_sha1")
        #expect(info.hash == .sha1)
        #expect(info.algorithm == .rsa)
        #expect(SignatureScheme(rawValue: 0x0807).info?.hash == .intrinsic)
    }

    @Test func alertAndExtensionNames() {
        #expect(AlertDescription(rawValue: 40).name == "handshake_failure")
        #expect(AlertDescription(rawValue: 21).name == "decryption_failed")
        #expect(ExtensionType.supportedVersions.name == "supported_versions")
        #expect(ExtensionType(rawValue: 65281).name == "renegotiation_info")
    }
}
