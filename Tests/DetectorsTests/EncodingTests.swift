import Facts
import Foundation
import Testing
@testable import Detectors
import TestSupport

@Suite struct EncodingTests {
    @Test func queryValueWithKeyContext() {
        let m = T.of(.imei, T.run("a=1&imei=861234567890127&b=2", .queryString))
        #expect(m.count == 1)
        #expect(m[0].decoding == ["query"])
        #expect(m[0].field == "imei")
        #expect(m[0].confidence >= 0.9)
    }

    @Test func formPlusIsSpaceAndPercent() {
        let m = T.of(.phoneCN, T.run("note=call+me+%2B86+15312342212", .form))
        #expect(m.first?.value == "15312342212")
        #expect(m.first?.decoding == ["form"])
    }

    @Test func jsonPath() {
        let m = T.of(.imei, T.run(#"{"dev":{"imei":"861234567890127","n":1},"list":[1,2]}"#, .json))
        #expect(m.first?.decoding == ["json:$.dev.imei"])
        #expect(m.first?.field == "$.dev.imei")
    }

    @Test func percentBase64JSONChain() {
        // Double percent-encoding: the query split undoes one layer, "percent" the other.
        let m = T.of(.phoneCN, T.run("d=eyJkZXYiOnsicGhvbmUiOiIxNTMxMjM0MjIxMiJ9fQ%253D%253D", .queryString))
        #expect(m.count == 1)
        #expect(m.first?.decoding == ["query", "percent", "base64", "json:$.dev.phone"])
        #expect(m.first?.field == "d")
        #expect(m.first?.confidence ?? 0 >= 0.9)
    }

    @Test func base64JSONInQuery() {
        let m = T.of(.imei, T.run("p=eyJkZXYiOnsiaW1laSI6Ijg2MTIzNDU2Nzg5MDEyNyJ9fQ%3D%3D", .queryString))
        #expect(m.first?.decoding == ["query", "base64", "json:$.dev.imei"])
    }

    @Test func gzipBase64InsideJSON() {
        let body = #"{"payload":"H4sIAAAAAAACA6tWysxNzVSyUrIwMzQyNjE1M7ewNDA0MleqBQALbU1WGgAAAA=="}"#
        let m = T.of(.imei, T.run(body, .json))
        #expect(m.count == 1)
        #expect(m.first?.decoding == ["json:$.payload", "base64", "gzip", "json:$.imei"])
        #expect(m.first?.field == "$.payload")
    }

    /// base64 of text with a Latin-1 byte up front: malformed UTF-8, but within the tenth
    /// `isMostlyPrintable` allows, so the quick look at the first six bytes must not stop it.
    @Test func base64OfTextWithAStrayByteUpFront() {
        let text: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" call 13812345678 after six".utf8)
        let m = T.of(.phoneCN, T.run(#"{"note":""# + Data(text).base64EncodedString() + #""}"#, .json))
        #expect(m.map(\.value) == ["13812345678"])
        #expect(m.first?.decoding == ["json:$.note", "base64"])
    }

    /// The quick look at a base64 run's first six decoded bytes rejects it for malformed
    /// UTF-8 only when the whole decoded value would fail `isMostlyPrintable` too.
    @Test func malformedPrefixRejectsOnlyWhatTheWholeValueFails() {
        var rng = SplitMix64(seed: 6)
        let pieces: [[UInt8]] = [[0x61], [0x20], [0x31], [0xC3, 0xA9], [0xE6, 0x9C, 0x8D], [0xF0, 0x9F, 0x98, 0x80],
                                 [0xA0], [0xFF], [0xC0], [0xE6, 0x41], [0xF0, 0x9F, 0x98], [0xC3]]
        var rejected = 0, passedWithStrayBytes = 0
        for _ in 0..<20000 {
            var d = [UInt8]()
            let length = rng.next(6...48)
            while d.count < length { d += pieces[rng.next(0...(pieces.count - 1))] }
            var acc: UInt64 = 0
            for k in 0..<6 { acc = acc << 8 | UInt64(d[k]) }
            let runLength = (d.count + 2) / 3 * 4
            let malformed = Inspection.malformedUTF8(inTopSixBytesOf: acc)
            let printable = d.withUnsafeBufferPointer { Decoders.isMostlyPrintable($0) }
            if malformed > runLength * 3 / 4 / 10 {
                rejected += 1
                #expect(!printable, "\(d)")
            } else if malformed > 0, printable {
                passedWithStrayBytes += 1
            }
        }
        // Both sides occur: a rule that rejected any stray byte would fail above.
        #expect(rejected > 1000)
        #expect(passedWithStrayBytes > 100)
    }

    /// Digit runs in text whose length no identifier has (a 13-digit timestamp, 12 and
    /// 14 digits) skip the digit detectors; a 13-digit run after `86` is still a phone.
    @Test func digitRunsInTextByLength() {
        let m = T.run("1763870400883 INFO ts=176387040088 id 12345678901234 tel 8613912348876 dev 861234567890127\n", .text)
        #expect(m.map { "\($0.type) \($0.value)" }.sorted() == ["imei 861234567890127", "phoneCN 13912348876"])
    }

    @Test func hexInForm() {
        let m = T.of(.phoneCN, T.run("data=70686f6e653d3135333132333432323132", .form))
        #expect(m.first?.decoding == ["form", "hex", "form"])
        #expect(m.first?.confidence ?? 0 >= 0.9)
    }

    @Test func nestedJSONString() {
        let m = T.of(.phoneCN, T.run(#"{"ext":"{\"user\":{\"mobile\":\"15312342212\"}}"}"#, .json))
        #expect(m.first?.decoding == ["json:$.ext", "json:$.user.mobile"])
    }

    @Test func basicAuthorization() {
        let m = T.run("Basic YWxpY2U6czNjcmV0IQ==", .headerValue(name: "Authorization"))
        let b = T.of(.basicAuth, m)
        #expect(b.first?.value == "alice:s3cret!")
        #expect(b.first?.masked == "a****:******")
        #expect(b.first?.decoding == ["base64"])
        #expect(b.first?.field == "Authorization")
        #expect(b.first?.confidence ?? 0 >= 0.95)
    }

    @Test func bearerJWT() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSIsIm1vYmlsZSI6IjE1MzEyMzQyMjEyIn0.c2lnbmF0dXJlX2J5dGVz"
        let m = T.run("Bearer " + jwt, .headerValue(name: "Authorization"))
        #expect(T.of(.authToken, m).first?.value == jwt)
        #expect(T.of(.phoneCN, m).first?.decoding == ["jwt", "json:$.mobile"])
    }

    @Test func cookies() {
        let m = T.run("lang=zh; JSESSIONID=8F3A9C2B7D1E4F6A0B5C; uid=42", .cookieHeader)
        #expect(T.of(.authToken, m).first?.field == "JSESSIONID")
        #expect(T.of(.authToken, m).first?.decoding == ["cookie"])
    }

    @Test func headerNameContext() {
        let m = T.run("a1b2c3d4e5f60718", .headerValue(name: "X-Device-Id"))
        #expect(T.of(.androidID, m).first?.field == "X-Device-Id")
        #expect(T.of(.imei, T.run("861234567890127", .headerValue(name: "X-IMEI"))).first?.confidence ?? 0 >= 0.9)
    }

    @Test func dnsLabels() {
        #expect(T.of(.imei, T.run("861234567890127.t.example.com", .dnsName)).count == 1)
        let b32 = T.of(.imei, T.run("ha3dcmrtgq2tmnzyheydcmrx.t.example.com", .dnsName))
        #expect(b32.first?.decoding == ["base32"])
        let hex = T.of(.imei, T.run("383631323334353637383930313237.t.example.com", .dnsName))
        #expect(hex.first?.decoding == ["hex"])
    }

    @Test func multipartAndText() {
        let m = T.run("15312342212", .multipartField(name: "mobile"))
        #expect(T.of(.phoneCN, m).first?.field == "mobile")
        let raw = T.run("\u{01}\u{02}LOGIN|sjh=15312342212|pwd=hunter2x|\u{00}", .binary)
        #expect(T.of(.phoneCN, raw).first?.confidence ?? 0 >= 0.9)
        #expect(T.of(.password, raw).first?.value == "hunter2x")
    }

    @Test func callerDecodingPrefix() {
        let m = T.run(#"{"imei":"861234567890127"}"#, .json, decoding: ["gzip"])
        #expect(m.first?.decoding == ["gzip", "json:$.imei"])
    }
}

@Suite struct ContextTests {
    @Test(arguments: [("sjh", PIType.phoneCN, "15312342212"), ("shouji", .phoneCN, "15312342212"),
                      ("sfzh", .residentIDCN, "110105199003071239"), ("sfz", .residentIDCN, "110105199003071239"),
                      ("yhkh", .bankCard, "6228480012345671"), ("deviceId", .imei, "861234567890127"),
                      ("userMobile", .phoneCN, "15312342212"), ("dev_imei", .imei, "861234567890127")])
    func keyBoostsConfidence(_ key: String, _ type: PIType, _ value: String) {
        let m = T.of(type, T.run(#"{"\#(key)":"\#(value)"}"#, .json))
        #expect(m.count == 1)
        #expect(m.first?.confidence ?? 0 >= 0.9)
        let bare = T.of(type, T.run("v \(value) v"))
        #expect(bare.first.map { $0.confidence < 0.9 } ?? true)
    }

    @Test func keyedOnlyTypes() {
        let m = T.run(#"{"mima":"abc123","pwd":"p@ss","密码":"x9","sbh":"a1b2c3d4e5f60718","sn":"R58M41ABCDE","oaid":"1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b","idfa":"6D92078A-8246-4BA4-AE5B-76104861E7DC","idfv":"00000000-0000-0000-0000-000000000000","wifi_ssid":"ChinaNet-5G","bssid":"8c:a6:df:12:34:56","meid":"A1000049B2C3D4","imei":"86123456789012","token":"9f8e7d6c5b4a39281706f5e4d3c2b1a0"}"#, .json)
        #expect(T.of(.password, m).count == 3)
        #expect(T.of(.androidID, m).first?.field == "$.sbh")
        #expect(T.of(.serial, m).first?.value == "R58M41ABCDE")
        #expect(T.of(.oaid, m).count == 1)
        #expect(T.of(.idfa, m).first?.value == "6D92078A-8246-4BA4-AE5B-76104861E7DC")
        #expect(T.of(.idfv, m).isEmpty)  // all-zero placeholder
        #expect(T.of(.ssid, m).first?.value == "ChinaNet-5G")
        #expect(T.of(.bssid, m).first?.value == "8c:a6:df:12:34:56")
        #expect(T.of(.meid, m).first?.value == "A1000049B2C3D4")
        #expect(T.of(.imei, m).first?.detail?.contains("14-digit") == true)
        #expect(T.of(.authToken, m).count == 1)
        #expect(T.of(.password, m).allSatisfy { $0.masked == "******" })
    }

    @Test func coordinatesPinyinAndPairs() {
        let m = T.of(.coordinates, T.run(#"{"jd":"116.397128","wd":"39.916527"}"#, .json))
        #expect(m.first?.value == "39.916527,116.397128")
        #expect(m.first?.masked == "39.9***,116.3***")
        #expect(T.of(.coordinates, T.run("lat=39.916527&lng=116.397128", .queryString)).count == 1)
        #expect(T.of(.coordinates, T.run("location=116.397128,39.916527", .queryString)).first?.value == "39.916527,116.397128")
        #expect(T.of(.coordinates, T.run("lat=39.9&lng=116.4", .queryString)).isEmpty)  // coarse
        #expect(T.of(.coordinates, T.run("lat=139.916527&lng=116.397128", .queryString)).isEmpty)  // out of range
        let raw = T.of(.coordinates, T.run(#"raw {"lat":39.916527,"lon":-116.397128} end"#, .binary))
        #expect(raw.first?.value == "39.916527,-116.397128", "\(raw)")
    }

    @Test func appList() {
        let json = #"{"apps":["com.tencent.mm","com.eg.android.AlipayGphone","com.ss.android.ugc.aweme","com.sina.weibo","com.taobao.taobao"]}"#
        let m = T.of(.appList, T.run(json, .json))
        #expect(m.count == 1 && m.first?.field == "$.apps")
        let flat = T.of(.appList, T.run("list=com.tencent.mm,com.eg.android.AlipayGphone,com.ss.android.ugc.aweme,com.sina.weibo,com.taobao.taobao", .form))
        #expect(flat.count == 1)
        #expect(T.of(.appList, T.run("hosts=www.example.com,api.example.cn,cdn.example.net,img.example.org,a.b.com", .form)).isEmpty)
    }

    @Test func contextWordTable() {
        #expect(ContextWords.tags(forKey: "X-Device-Id").contains(.device))
        #expect(ContextWords.tags(forKey: "user_phone").contains(.phone))
        #expect(ContextWords.tags(forKey: "loginPassword").contains(.password))
        #expect(ContextWords.tags(forKey: "sfzh").contains(.residentID))
        #expect(ContextWords.tags(forKey: "page").isEmpty)
    }
}
