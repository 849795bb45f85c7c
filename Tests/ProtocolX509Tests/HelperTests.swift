import CertificateModel
import SwiftASN1
import Testing

@testable import ProtocolX509

enum DERParsing {
    static func parse(_ bytes: [UInt8]) throws -> ASN1Node { try DER.parse(bytes) }
}

@Suite struct HelperTests {
    @Test func securityStrengthTable() {
        let table: [(Int, Int)] = [
            (512, 32), (768, 48), (1024, 80), (1536, 96), (2048, 112), (3072, 128), (4096, 142),
            (7680, 192), (8192, 196), (15360, 256), (16384, 256),
        ]
        for (bits, strength) in table {
            #expect(SecurityStrength.finiteField(bits) == strength, "\(bits)")
        }
        #expect(SecurityStrength.ellipticCurve(256) == 128)
        #expect(SecurityStrength.ellipticCurve(521) == 260)
    }

    @Test func times() throws {
        func t(_ tag: UInt8, _ s: String) throws -> Int64? {
            ASN1Time.unixSeconds(try DER.parse(DERBuilder.tlv(tag, Array(s.utf8))))
        }
        #expect(try t(0x17, "700101000000Z") == 0)
        #expect(try t(0x17, "491231235959Z") == 2_524_607_999)
        #expect(try t(0x17, "500101000000Z") == -631_152_000)
        #expect(try t(0x17, "7001010000Z") == 0)  // no seconds
        #expect(try t(0x17, "700101010000+0100") == 0)  // offset
        #expect(try t(0x18, "20240229235960Z") == 1_709_251_200)  // leap day, leap second
        #expect(try t(0x18, "19700101000000.123Z") == 0)
        #expect(try t(0x18, "99991231235959Z") == 253_402_300_799)
        #expect(try t(0x18, "20230229000000Z") == nil)  // not a leap year
        #expect(try t(0x18, "2023010100000Z") == nil)
        #expect(try t(0x17, "70010100000aZ") == nil)
        #expect(try t(0x17, "") == nil)
        #expect(try t(0x0c, "700101000000Z") == nil)  // wrong type
    }

    @Test func objectIdentifiers() {
        #expect(OIDText.dotted([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]) == "1.2.840.113549.1.1.11")
        #expect(OIDText.dotted([0x88, 0x37]) == "2.999")
        #expect(OIDText.dotted([]) == nil)
        #expect(OIDText.dotted([0x86]) == nil)  // unterminated
        #expect(OIDText.dotted([0x2a] + [UInt8](repeating: 0xff, count: 12) + [0x01]) == nil)  // arc > 64 bits
    }

    @Test func ipAddresses() {
        #expect(ExtensionDecoder.ipAddress([10, 0, 0, 1]) == "10.0.0.1")
        #expect(ExtensionDecoder.ipAddress(ArraySlice([UInt8](repeating: 0, count: 16))) == "::")
        var loopback = [UInt8](repeating: 0, count: 16)
        loopback[15] = 1
        #expect(ExtensionDecoder.ipAddress(ArraySlice(loopback)) == "::1")
        let mixed: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]
        #expect(ExtensionDecoder.ipAddress(ArraySlice(mixed)) == "2001:db8:0:1::1")
        let single: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]
        #expect(ExtensionDecoder.ipAddress(ArraySlice(single)) == "2001:db8:0:1:1:1:1:1")
    }

    @Test func rfc4514Escaping() {
        #expect(NameRenderer.escape("a,b+c") == #"a\,b\+c"#)
        #expect(NameRenderer.escape("#x#") == "\\#x#")
        #expect(NameRenderer.escape(" ") == #"\ "#)
        #expect(NameRenderer.escape("a\u{0}b\nc") == #"a\00b\0Ac"#)
        #expect(NameRenderer.escape(#"back\slash"#) == #"back\\slash"#)
    }

    @Test func magnitudes() {
        #expect(Magnitude.bitLength([0x00, 0x00, 0x01]) == 1)
        #expect(Magnitude.bitLength([0x00, 0x80, 0x00]) == 16)
        #expect(Magnitude.bitLength([]) == 0)
        #expect(Magnitude.decimalOrHex([0x01, 0x00, 0x01]) == "65537")
        #expect(Magnitude.decimalOrHex(ArraySlice([0x01] + [UInt8](repeating: 0, count: 8))) == "0x010000000000000000")
    }
}
