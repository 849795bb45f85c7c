import Facts
import Testing
@testable import Detectors

@Suite struct DeviceTests {
    static let device = try! DeviceIdentifiers(entries: [
        ("imei", "861234567890127"), ("phone", "+86 153 1234 2212"), ("mac", "A4:5E:60:E2:11:3B"),
        ("idfa", "6D92078A-8246-4BA4-AE5B-76104861E7DC"), ("wifi_ssid", "Home-Office 5G"), ("wifi_bssid", "8c:a6:df:12:34:56"),
        ("home_lat", "39.916527"), ("home_lon", "116.397128"), ("serial", "R58M41ABCDE"), ("android_id", "9774d56d682e549c"),
    ])
    static let inspector = PIInspector(device: device)

    @Test(arguments: [
        ("861234567890127", PIType.imei, [String]()),
        ("383631323334353637383930313237", .imei, ["hex"]),
        ("e8dc82f1dca0a25a05b0609f37f071a3", .imei, ["md5"]),
        ("58AEAFA5DD593D48FC9A332165B6FF885FB38291", .imei, ["sha1"]),
        ("45012e8930368e31f80f82679435036e28552a4d14ed67714a556c858258c848", .imei, ["sha256"]),
        ("6NyC8dygoloFsGCfN/Bxow==", .imei, ["base64", "md5"]),
        ("WK6vpd1ZPUj8mjMhZbb/iF+zgpE=", .imei, ["base64", "sha1"]),
        ("MTUzMTIzNDIyMTI=", .phoneCN, ["base64"]),
        ("+8615312342212", .phoneCN, []),
        ("a4:5e:60:e2:11:3b", .mac, []),
        ("A4-5E-60-E2-11-3B", .mac, []),
        ("A45E60E2113B", .mac, []),
        ("7a086ab8f8fded38c16019ed530777c8", .mac, ["md5"]),
        ("7bc6a68570fd13e263b3475af56b36868a58db09", .mac, ["sha1"]),
        ("6d92078a-8246-4ba4-ae5b-76104861e7dc", .idfa, []),
        ("f2d1311ca5c1ecb214c19a26e9ddbad0", .idfa, ["md5"]),
        ("Home-Office 5G", .ssid, []),
        ("8CA6DF123456", .bssid, []),
        ("39.9165271", .coordinates, []),
        ("r58m41abcde", .serial, []),
        ("9774D56D682E549C", .androidID, []),
    ])
    func variantsInText(_ variant: String, _ type: PIType, _ steps: [String]) {
        let m = T.run("sent \(variant) end", .text, inspector: Self.inspector).filter { $0.confirmed && $0.type == type }
        #expect(m.count == 1, "\(variant)")
        #expect(m.first?.decoding == steps)
        #expect(m.first?.confidence == 1)
    }

    /// Probes stop where the list's shortest variant no longer fits (here a 7-byte
    /// serial): one that ends exactly at the end of what is scanned is still found,
    /// through every path that probes (string triage in both of its words, bare
    /// number, text scan, form value).
    static let shortestVariantBodies: [(String, ContentKind)] = {
        let words: (Int) -> String = { String(repeating: "ab ", count: $0) }
        var bodies: [(String, ContentKind)] = [
            (#"{"v":"5512347"}"#, .json), (#"{"v":5512347}"#, .json), (#"{"v":"ab 5512347"}"#, .json),
            ("id 5512347", .text), ("5512347", .text), ("a=5512347", .form),
        ]
        // Ending at byte 64 and past it, and starting in the first 64 bytes, the second, and across.
        for count in [19, 20, 22] { bodies.append((#"{"v":""# + words(count) + #"5512347"}"#, .json)) }
        return bodies
    }()

    @Test(arguments: shortestVariantBodies)
    func shortestVariantAtTheEnd(_ body: String, _ kind: ContentKind) {
        let device = try! DeviceIdentifiers(entries: [("serial", "5512347"), ("imei", "861234567890127")])
        #expect(DeviceVariantIndex(device).lookup.minVariantLength == 7)
        let m = T.run(body, kind, inspector: PIInspector(device: device)).filter { $0.confirmed && $0.type == .serial }
        #expect(m.count == 1, "\(body)")
        // One byte short of the variant: nothing to confirm.
        let cut = body.replacingOccurrences(of: "5512347", with: "551234")
        #expect(T.run(cut, kind, inspector: PIInspector(device: device)).filter(\.confirmed).isEmpty, "\(cut)")
    }

    @Test func urlEncodedMacInQueryAndMD5InJSON() {
        let q = T.run("m=a4%253A5e%253A60%253Ae2%253A11%253A3b", .queryString, inspector: Self.inspector)
        #expect(q.contains { $0.confirmed && $0.type == .mac && $0.value == "a4:5e:60:e2:11:3b" })
        let j = T.run(#"{"d":{"x":"E8DC82F1DCA0A25A05B0609F37F071A3"}}"#, .json, inspector: Self.inspector)
        #expect(j.first?.confirmed == true)
        #expect(j.first?.decoding == ["json:$.d.x", "md5"])
        #expect(j.first?.detail == "md5 of device imei")
        #expect(j.first?.value == "861234567890127")
    }

    @Test func patternHitFoldsIntoConfirmed() {
        let m = T.run("imei=861234567890127", .queryString, inspector: Self.inspector).filter { $0.type == .imei }
        #expect(m.count == 1 && m[0].confirmed)
    }

    @Test func noHitInsideLongerRuns() {
        #expect(T.run("x 8612345678901270 y", .text, inspector: Self.inspector).filter(\.confirmed).isEmpty)
        #expect(T.run("x e8dc82f1dca0a25a05b0609f37f071a3ff y", .text, inspector: Self.inspector).filter(\.confirmed).isEmpty)
    }

    @Test func fileValidation() {
        func message(_ entries: [(key: String, value: String)]) -> String? {
            do { _ = try DeviceIdentifiers(entries: entries); return nil } catch { return "\(error.key): \(error.message)" }
        }
        #expect(message([("imei", "861234567890128")])?.contains("Luhn") == true)
        #expect(message([("imea", "861234567890127")])?.hasPrefix("imea: unknown key") == true)
        #expect(message([("mac", "02:00:00:00:00:00")])?.hasPrefix("mac:") == true)
        #expect(message([("mac", "zz:00:00:00:00:01")])?.hasPrefix("mac:") == true)
        #expect(message([("idfa", "00000000-0000-0000-0000-000000000000")])?.contains("all-zero") == true)
        #expect(message([("phone", "12345678901")])?.hasPrefix("phone:") == true)
        #expect(message([("home_lat", "95.1234")])?.hasPrefix("home_lat:") == true)
        #expect(message([("imei", "861234567890127"), ("imei", "358472091345610")])?.contains("more than once") == true)
        #expect(message([("imei2", "358472091345610"), ("meid", "A1000049B2C3D4"), ("iccid", "89860117812000891781")]) == nil)
    }
}

@Suite struct DecoyTests {
    @Test(arguments: [
        "ts=171234567890126&ms=1712345678901&us=1712345678901234",   // timestamps
        "order=6222021001123456780&no=20240101123456789012",           // Luhn fails / too long
        "v=1.2.3.4567&build=10.0.19045.3803&sdk=33",                    // versions
        "req=3f2a9c1e-7b4d-4e8f-9a6b-1c2d3e4f5a6b&trace=9f86d081884c7d659a2feaa0c55ad015", // UUID / hex without context
        "idfa=00000000-0000-0000-0000-000000000000&oaid=00000000-0000-0000-0000-000000000000",
        "mac=02:00:00:00:00:00&wifimac=02:00:00:00:00:00",
        "icon=user@2x.png&bg=banner@3x.jpg",
        "price=13812345678.50&ratio=0.15312342212",
        "sign=d41d8cd98f00b204e9800998ecf8427e&nonce=a8f5f167f44f4964e6c998dee827110c",
        "token=1&session=true&sid=abc",
    ])
    func decoysDoNotFire(_ s: String) {
        let m = T.run(s, .queryString)
        #expect(m.isEmpty, "\(m.map { "\($0.type.rawValue)=\($0.value)" })")
    }

    @Test func uuidNeedsContext() {
        #expect(T.run("id 6D92078A-8246-4BA4-AE5B-76104861E7DC x", .text).isEmpty)
        #expect(T.of(.idfa, T.run(#"{"idfa":"6D92078A-8246-4BA4-AE5B-76104861E7DC"}"#, .text)).count == 1)
    }
}

@Suite struct BoundsTests {
    @Test func deeplyNestedJSON() {
        let s = String(repeating: "[", count: 10_000) + "\"15312342212\"" + String(repeating: "]", count: 10_000)
        _ = T.run(s, .json)
        let obj = String(repeating: #"{"a":"#, count: 5_000) + "1" + String(repeating: "}", count: 5_000)
        _ = T.run(obj, .json)
    }

    @Test func hugeBase64IsCapped() {
        let chunk = "eyJkZXYiOnsicGhvbmUiOiIxNTMxMjM0MjIxMiJ9fQ"
        let s = "d=" + String(repeating: "QUJDRA", count: 400_000) + chunk
        let limits = InspectionLimits(maxDecodedBytes: 64 * 1024)
        _ = T.run(s, .form, inspector: PIInspector(limits: limits))
    }

    @Test func malformedGzipNeverCrashes() {
        // gzip magic, then garbage; and a truncated valid stream.
        let bad: [UInt8] = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 3] + Array(repeating: 0xAB, count: 64)
        _ = PIInspector().inspect(bad, as: .binary)
        let truncated = "H4sIAAAAAAACA6tWysxNzVSyUrIwMzQyNjE1M7ewN"
        _ = T.run(#"{"p":"\#(truncated)"}"#, .json)
        _ = T.run("z=eJzLSM3JyVcozy/KSQEAGgQEXQ", .queryString)
    }

    @Test func depthBudgetStopsRecursion() {
        // base64 nested six times: deeper than maxDepth (4), so nothing is found, and nothing crashes.
        var v = Array("phone=15312342212".utf8)
        for _ in 0..<6 { v = Array(DeviceVariantIndex.base64Forms(v)[0]) }
        let s = String(decoding: v, as: UTF8.self)
        #expect(T.of(.phoneCN, T.run("x=" + s, .queryString)).isEmpty)
        var w = Array("phone=15312342212".utf8)
        for _ in 0..<2 { w = Array(DeviceVariantIndex.base64Forms(w)[0]) }
        #expect(T.of(.phoneCN, T.run("x=" + String(decoding: w, as: UTF8.self), .queryString)).first?.decoding == ["query", "base64", "base64", "form"])
    }

    @Test func truncatedJSONStillScanned() {
        let m = T.run(#"{"a":{"mobile":"15312342212","b":[1,2"#, .json)
        #expect(T.of(.phoneCN, m).first?.field == "$.a.mobile")
    }

    @Test func images() {
        #expect(PIInspector.looksLikeImage([0xFF, 0xD8, 0xFF, 0xE0]))
        #expect(PIInspector.looksLikeImage([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(PIInspector.looksLikeImage(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)))
        #expect(!PIInspector.looksLikeImage(Array("GIF89a".utf8)))
    }
}
