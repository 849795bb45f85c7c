import CertificateModel
import Testing

@testable import ProtocolX509
import TestSupport

/// Inputs that are not (exactly) a DER certificate must never crash the parser.
@Suite struct RobustnessTests {
    @Test func garbageIsNotDER() throws {
        let bytes = try Fixtures.bytes("garbage.bin")
        let result = CertificateParse.parse(bytes)
        let rejected = try #require(result.notDER)
        #expect(rejected.byteCount == bytes.count)
        #expect(rejected.sha256.count == 64)
        #expect(!rejected.reason.isEmpty)
    }

    @Test func truncatedIsNotDER() throws {
        let bytes = try Fixtures.bytes("truncated.bin")
        #expect(CertificateParse.parse(bytes).notDER?.byteCount == 300)
    }

    /// A chain entry must be exactly one certificate: trailing bytes → notDER.
    @Test func trailingBytesAreNotDER() throws {
        let bytes = try Fixtures.bytes("trailing.bin")
        let full = try Fixtures.certificate("rsa2048.der")
        let rejected = try #require(CertificateParse.parse(bytes).notDER)
        #expect(rejected.byteCount == full.der.count + 10)
        #expect(rejected.sha256 != full.sha256)
    }

    @Test func emptyInput() {
        let rejected = CertificateParse.parse([]).notDER
        #expect(rejected?.byteCount == 0)
        #expect(rejected?.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test(arguments: ["rsa2048.der", "ec-p-256.der", "san.der", "expired.der"])
    func everyPrefixIsRejectedWithoutCrashing(_ file: String) throws {
        let bytes = try Fixtures.bytes(file)
        for length in 0..<bytes.count {
            #expect(CertificateParse.parse(Array(bytes[..<length])).notDER != nil)
        }
        #expect(CertificateParse.parse(bytes).certificate != nil)
    }

    /// Deterministic byte flips, insertions and deletions over several fixtures.
    @Test func mutatedCertificatesNeverCrash() throws {
        var rng = SplitMix64(seed: 0x5EED)
        var parsed = 0
        for file in ["rsa2048.der", "ec-explicit-p256.der", "san.der", "dsa1024-sha1.der", "rsapss-key-sha384.der", "sm2-sm3.der"] {
            let original = try Fixtures.bytes(file)
            for _ in 0..<400 {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
                    default: bytes.remove(at: i)
                    }
                }
                if case .certificate = CertificateParse.parse(bytes) { parsed += 1 }
            }
        }
        #expect(parsed > 0)  // some mutations land in values and still parse
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 42)
        for length in [1, 2, 3, 10, 100, 1000] {
            for _ in 0..<200 {
                var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if rng.next() % 2 == 0 { bytes[0] = 0x30 }
                _ = CertificateParse.parse(bytes)
            }
        }
    }

    @Test func deepNestingIsRejected() {
        var bytes: [UInt8] = [0x05, 0x00]
        for _ in 0..<5000 { bytes = DERBuilder.tlv(0x30, bytes) }
        #expect(CertificateParse.parse(bytes).notDER != nil)
    }

    @Test func indefiniteLengthIsNotDER() {
        #expect(CertificateParse.parse([0x30, 0x80, 0x05, 0x00, 0x00, 0x00]).notDER != nil)
    }

    @Test func wellFormedDERThatIsNotACertificate() {
        let cases: [[UInt8]] = [
            DERBuilder.null,
            DERBuilder.seq(),
            DERBuilder.seq(DERBuilder.null, DERBuilder.null, DERBuilder.null),
            DERBuilder.seq(DERBuilder.seq(), DERBuilder.seq(DERBuilder.oid("1.2.3")), DERBuilder.bitString([])),
            DERBuilder.tlv(0x10, [0x01]),  // SEQUENCE tag with primitive encoding
        ]
        for bytes in cases {
            #expect(CertificateParse.parse(bytes).notDER != nil)
        }
    }
}
