import Facts
import Testing
@testable import Detectors

@Suite struct ValidatorTests {
    @Test(arguments: [("861234567890127", true), ("358472091345610", true), ("861234567890128", false),
                      ("171234567890126", false), ("000000000000000", false), ("350000000000006", false)])
    func imei(_ s: String, _ ok: Bool) {
        #expect(Validators.imei(T.bytes(s)) == ok)
    }

    @Test func luhn() {
        #expect(Luhn.isValid("4111111111111111"))
        #expect(!Luhn.isValid("4111111111111112"))
        #expect(Luhn.isValid("8986011781200089179"))
    }

    @Test(arguments: [("110105199003071239", "Beijing"), ("11010519491231002X", "Beijing"), ("11010519491231002x", "Beijing"),
                      ("440306198506123458", "Guangdong")])
    func residentIDValid(_ s: String, _ province: String) {
        #expect(Validators.residentID(T.bytes(s)) == province)
    }

    @Test(arguments: ["110105199003071238", /* check char */ "990105199003071234", /* province */
                      "110105199002301236", /* Feb 30 */ "110105209901011234", /* future */ "110105189901011230" /* before 1900 */])
    func residentIDInvalid(_ s: String) {
        #expect(Validators.residentID(T.bytes(s)) == nil)
    }

    @Test(arguments: [("460001357924680", "MCC 460 MNC 00 China Mobile"), ("460011357924680", "MCC 460 MNC 01 China Unicom"),
                      ("460031357924680", "MCC 460 MNC 03 China Telecom"), ("460111357924680", "MCC 460 MNC 11 China Telecom"),
                      ("460201357924680", "MCC 460 MNC 20 China Tietong")])
    func imsiNaming(_ s: String, _ detail: String) {
        #expect(Validators.imsiChina(T.bytes(s)) == detail)
        let m = T.of(.imsi, T.run("x \(s) y"))
        #expect(m.first?.detail == detail)
    }

    @Test func imsiOtherCountryNeedsKey() {
        #expect(T.of(.imsi, T.run("id 310150135792468 end")).isEmpty)
        let m = T.of(.imsi, T.run("imsi=310150135792468", .queryString))
        #expect(m.count == 1 && m[0].confidence >= 0.8)
        #expect(Validators.imsiChina(T.bytes("460101357924680")) == nil)  // MNC 10 unknown
    }

    @Test func iccidIssuer() {
        let m = T.of(.iccid, T.run("sim 8986011781200089179 ok"))
        #expect(m.first?.detail == "ICCID issuer China Unicom")
        #expect(T.of(.iccid, T.run("sim 8986031234567890124 ok")).first?.detail == "ICCID issuer China Telecom")
        #expect(T.of(.iccid, T.run("sim 8986011781200089178 ok")).isEmpty)  // Luhn fails, no key
        #expect(T.of(.iccid, T.run(#"{"iccid":"89860117812000891781"}"#, .json)).count == 1)  // no Luhn, key says ICCID
    }

    @Test(arguments: [("15312342212", "153****2212"), ("8615312342212", "153****2212"), ("008615312342212", "153****2212"),
                      ("+86 15312342212", "153****2212"), ("+86-15312342212", "153****2212"), ("19912340587", "199****0587"),
                      ("16612340587", "166****0587"), ("14512340587", "145****0587")])
    func phoneSegmentsAndPrefixes(_ s: String, _ masked: String) {
        let m = T.of(.phoneCN, T.run("tel \(s) end"))
        #expect(m.count == 1)
        #expect(m.first?.masked == masked)
    }

    @Test(arguments: ["14412345678", "12012345678", "17912345678", "153123422125", "1531234221", "0.15312342212", "15312342212.5", "13800000000"])
    func phoneRejects(_ s: String) {
        #expect(T.of(.phoneCN, T.run("n \(s) n")).isEmpty)
    }

    @Test func bankCards() {
        let m = T.of(.bankCard, T.run("pay 6222021001123456789 now"))
        #expect(m.first?.detail == "UnionPay")
        #expect(m.first?.masked == "6222 **** **** 6789")
        #expect(m.first.map { $0.confidence < 0.9 } == true)
        let keyed = T.of(.bankCard, T.run("yhkh=6228480012345671", .form))
        #expect(keyed.first?.confidence ?? 0 >= 0.9)
        #expect(T.of(.bankCard, T.run("order 6222021001123456780 ok")).isEmpty)  // Luhn fails
        #expect(T.of(.bankCard, T.run("n 9111111111111111111 n")).isEmpty)  // no issuer
    }

    @Test func macPlaceholders() {
        #expect(T.of(.mac, T.run("mac 02:00:00:00:00:00")).isEmpty)
        #expect(T.of(.mac, T.run("mac 00:00:00:00:00:00")).isEmpty)
        #expect(T.of(.mac, T.run("mac ff:ff:ff:ff:ff:ff")).isEmpty)
        #expect(T.of(.mac, T.run("mac 01:00:5e:00:00:fb")).isEmpty)  // multicast
        #expect(T.of(.mac, T.run("sha1 AB:CD:EF:01:23:45:67:89:AB:CD")).isEmpty)  // fingerprint, not MAC
        let m = T.of(.mac, T.run("mac A4-5E-60-E2-11-3B"))
        #expect(m.first?.value == "a4:5e:60:e2:11:3b")
        #expect(m.first?.masked == "a4:5e:60:**:**:**")
        #expect(T.of(.mac, T.run("macaddr=a45e60e2113b", .queryString)).first?.value == "a4:5e:60:e2:11:3b")
        #expect(T.of(.mac, T.run("id=a45e60e2113b", .queryString)).isEmpty)
    }

    @Test func emails() {
        let m = T.of(.email, T.run("contact: alice.w@example.com."))
        #expect(m.first?.value == "alice.w@example.com")
        #expect(m.first?.masked == "a***@example.com")
        #expect(T.of(.email, T.run("img user@2x.png and icon@3x.webp and a@b")).isEmpty)
    }

    @Test func imeiMasking() {
        let m = T.of(.imei, T.run("imei 861234567890127"))
        #expect(m.first?.masked == "8612********127")
        #expect(T.of(.residentIDCN, T.run("id 11010519491231002x")).first?.masked == "110105********002X")
    }
}
