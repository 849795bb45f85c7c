import TLSModel
import Testing
import WireBytes
@testable import ProtocolTLS

/// JA4 against the FoxIO specification's worked example (technical_details/JA4.md)
/// and JA3/JA4 against a published Chrome fingerprint, rebuilt as ClientHello bytes
/// with GREASE values added (they must not change anything).
@Suite struct FingerprintTests {
    static let specCiphers: [UInt16] = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
                                        0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035]
    static let specSignatures: [UInt16] = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]

    static func body(for type: UInt16, signatures: [UInt16] = specSignatures) -> [UInt8] {
        switch type {
        case 0x0000: HelloBuilder.sni("example.com")
        case 0x0010: HelloBuilder.alpn([Array("h2".utf8), Array("http/1.1".utf8)])
        case 0x000d: HelloBuilder.list16([0x5A5A] + signatures)
        case 0x002b: HelloBuilder.versions([0x3A3A, 0x0304, 0x0303])
        case 0x0033: HelloBuilder.keyShare([0x4A4A, 0x001d])
        case 0x000a: HelloBuilder.list16([0x6A6A, 0x11ec, 0x001d, 0x0017, 0x0018])
        case 0x000b: [1, 0]
        default: []
        }
    }

    /// The spec's example: JA4_ro lists the extensions in wire order
    /// "001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015".
    @Test func foxIOSpecificationExample() throws {
        let order: [UInt16] = [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005,
                               0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015]
        var builder = HelloBuilder()
        builder.ciphers = [0x0A0A] + Self.specCiphers
        builder.extensions = [(0x1A1A, [])] + order.map { ($0, Self.body(for: $0)) } + [(0x2A2A, [0])]
        let hello = try parseClientHello(builder.bytes())
        #expect(hello.ja4 == "t13d1516h2_8daaf6152771_e5627efa2ab1")
        #expect(hello.ja4Raw == "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601")
        // The spec's hash of the same extension list without signature algorithms.
        #expect(JA4.truncatedHash("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01") == "6d807ffa2a79")
    }

    /// A Chrome 143 hello as published by browserleaks (ja4, ja4_r, ja4_ro, ja3_text, ja3_hash).
    @Test func publishedChromeFingerprint() throws {
        let order: [UInt16] = [0x002d, 0x0033, 0x0010, 0xfe0d, 0x0017, 0x44cd, 0x0000, 0x000b, 0x000a,
                               0x002b, 0xff01, 0x0023, 0x0012, 0x0005, 0x000d, 0x001b]
        var builder = HelloBuilder()
        builder.ciphers = [0x8A8A] + Self.specCiphers
        builder.extensions = [(0x9A9A, [])] + order.map { ($0, Self.body(for: $0)) } + [(0xBABA, [0])]
        let hello = try parseClientHello(builder.bytes())
        #expect(hello.ja4 == "t13d1516h2_8daaf6152771_d8a2da3f94cd")
        #expect(hello.ja4Raw == "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0017,001b,0023,002b,002d,0033,44cd,fe0d,ff01_0403,0804,0401,0503,0805,0501,0806,0601")
        #expect(hello.ja3String == "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0")
        #expect(hello.ja3 == "98487aa16281980e7d1120d399efb6a4")
    }

    @Test func alpnCharacters() {
        // FoxIO JA4.md "ALPN Extension Value" examples.
        #expect(JA4.alpnCode(nil) == "00")
        #expect(JA4.alpnCode([]) == "00")
        #expect(JA4.alpnCode(Array("h2".utf8)) == "h2")
        #expect(JA4.alpnCode(Array("http/1.1".utf8)) == "h1")
        #expect(JA4.alpnCode(Array("h".utf8)) == "hh")
        #expect(JA4.alpnCode([0xAB]) == "ab")
        #expect(JA4.alpnCode([0xAB, 0xCD]) == "ad")
        #expect(JA4.alpnCode([0x30, 0xAB]) == "3b")
        #expect(JA4.alpnCode([0x30, 0x31, 0xAB, 0xCD]) == "3d")
        #expect(JA4.alpnCode([0x30, 0xAB, 0xCD, 0x31]) == "01")
    }

    @Test func edgeRules() throws {
        // No ciphers, no extensions at all: both hashes are twelve zeros.
        var bare = HelloBuilder()
        bare.ciphers = []
        bare.extensions = []
        let empty = try parseClientHello(Array(bare.bytes().dropLast(2)))
        #expect(!empty.hasExtensionBlock)
        #expect(empty.ja4 == "t12i000000_000000000000_000000000000")
        // Only SNI and ALPN: the sorted list is empty after removing them → zeros, counts still 02.
        var onlyNames = HelloBuilder()
        onlyNames.extensions = [(0x0000, HelloBuilder.sni("a.example")), (0x0010, HelloBuilder.alpn([[0xAB, 0xCD]]))]
        let named = try parseClientHello(onlyNames.bytes())
        #expect(named.ja4.hasPrefix("t12d0102ad_"))
        #expect(named.ja4.hasSuffix("_000000000000"))
        // More than 99 ciphers → "99"; unknown version → "00"; only-GREASE supported_versions → legacy.
        var many = HelloBuilder()
        many.version = 0x0302
        many.ciphers = (0..<120).map { UInt16(0x0100 + $0) }
        many.extensions = [(0x002b, HelloBuilder.versions([0x7A7A]))]
        #expect(try parseClientHello(many.bytes()).ja4.hasPrefix("t11i9901"))
        many.version = 0x0305
        many.extensions = []
        #expect(try parseClientHello(many.bytes()).ja4.hasPrefix("t00i9900"))
    }

    @Test func ja3sAgainstTshark() throws {
        for scenario in ["tls12", "tls13", "tls10", "tls12dhe", "hrr"] {
            let hello = try parseServerHello(try Fixture.body("\(scenario).2", type: .serverHello))
            #expect(hello.ja3s == (try Fixture.tshark(scenario))["tls.handshake.ja3s"]?.first, "\(scenario)")
        }
    }
}
