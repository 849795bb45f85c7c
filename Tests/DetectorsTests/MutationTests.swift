import Facts
import Testing
import TestSupport
@testable import Detectors

/// Bad input at the detector layer: bodies cut at every byte and mutated at random
/// (flipped bytes, inserted quotes, brackets, escapes, percent signs, '=' and
/// base64 padding, duplicated and dropped spans), inspected as their own kind and
/// as the kinds a misrouted body gets (text, JSON, binary). Nothing may crash, the
/// same input must give the same findings, and every finding must be well formed:
/// masked, counted, with a confidence in (0, 1].
@Suite struct MutationTests {
    static let device = try! DeviceIdentifiers(entries: [
        ("imei", "861234567890127"), ("phone", "+86 153 1234 2212"), ("mac", "A4:5E:60:E2:11:3B"),
        ("idfa", "6D92078A-8246-4BA4-AE5B-76104861E7DC"), ("android_id", "9774d56d682e549c"),
        ("home_lat", "39.916527"), ("home_lon", "116.397128"), ("serial", "R58M41ABCDE"),
    ])
    static let inspectors = [PIInspector(), PIInspector(device: device)]

    /// Each reaches a different part of the scanner: nested JSON with escapes and
    /// package lists, coordinates, encoded layers (base64 JSON, gzip in base64, hex,
    /// percent), JWTs, forms, cookies, authorization headers, key=value lines, DNS names.
    static let seeds: [(String, ContentKind)] = [
        (#"{"header":{"app_id":"com.example.shop","imei":"861234567890127","sid":"c9af910bb08a5302"},"events":[{"event":"ad_show","ts":1763870840166,"eid":"542b5879-69f6-4fe3-a1f2-6c589160afd4","props":{"exp":["exp_434","exp_24"],"note":"line\nnext \"q\" \\ \u00e9\ud83d\ude00"}}],"apps":["com.tencent.mm","com.eg.android.AlipayGphone","com.ss.android.ugc.aweme","com.sina.weibo","com.taobao.taobao"]}"#, .json),
        (#"{"loc":{"lat":"39.916527","lng":116.397128},"wifi":{"ssid":"Home-Office 5G","bssid":"8c:a6:df:12:34:56"},"mac":"a4:5e:60:e2:11:3b","pwd":"hunter2","idfa":"6D92078A-8246-4BA4-AE5B-76104861E7DC"}"#, .json),
        (#"{"d":"eyJpbWVpIjoiODYxMjM0NTY3ODkwMTI3IiwicGhvbmUiOiIxNTMxMjM0MjIxMiJ9","z":"H4sIAAAAAAAAA6tWysxNzVSyUrIwMzQyNjE1M7ewVKoFAGJ1pcgcAAAA","h":"383631323334353637383930313237","p":"%7B%22tel%22%3A%2215312342212%22%7D","n":{"inner":"{\"idcard\":\"11010519491231002X\"}"}}"#, .json),
        (#"{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxNTMxMjM0MjIxMiIsImVtYWlsIjoiYUBiLmNvIn0.c2lnbmF0dXJl","card":"6222 0212 3456 7890 128","mail":"zhang.san@example.com"}"#, .json),
        ("imei=861234567890127&phone=%2B8615312342212&name=%E5%BC%A0%E4%B8%89&q=a+b&oaid=0f3e4c9b-1d2a-4b5c-8d7e-6f5a4b3c2d1e&pwd=s3cret", .form),
        ("sid=c9af910bb08a5302; uid=10086331; mobile=15312342212; token=b082619acd09e303b067186192cb55e7", .cookieHeader),
        ("Basic dXNlcjpodW50ZXIy", .headerValue(name: "Authorization")),
        ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJwaG9uZSI6IjE1MzEyMzQyMjEyIn0.sig", .headerValue(name: "Authorization")),
        ("EVT 1763870840166|ad_show|seq=54790|sid=c9af910bb08a5302|imei=861234567890127|mac=A4-5E-60-E2-11-3B|lat=39.916527|lon=116.397128|sfz=11010519491231002X|mail=li.si@example.cn\n", .text),
        ("device 861234567890127 user 15312342212 at 39.916527,116.397128 card 6222021234567890128 id 11010519491231002X", .text),
        ("861234567890127.dev.track.example.com", .dnsName),
        ("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHR8eHRsaHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL", .multipartField(name: "face_image")),
    ]

    /// Bytes a mutation likes to insert: the ones that start something.
    static let tokens: [[UInt8]] = ["\"", "\\", "{", "[", "]", "}", ",", ":", "%", "%2", "=", "==", "@", "\\u", "\\ud83d", "&", ";", "+", "\n", "\u{0}", "\u{FF}"].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        for _ in 0..<rng.next(1...4) {
            guard !b.isEmpty else { b = Self.tokens[rng.next(0...(Self.tokens.count - 1))]; continue }
            let at = rng.next(0...(b.count - 1))
            switch rng.next(0...5) {
            case 0: b[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: b.insert(contentsOf: Self.tokens[rng.next(0...(Self.tokens.count - 1))], at: at)
            case 2: b.removeSubrange(at..<min(b.count, at + rng.next(1...8)))
            case 3: b.insert(contentsOf: b[at..<min(b.count, at + rng.next(1...24))], at: rng.next(0...(b.count - 1)))
            case 4: b.removeSubrange(at...)
            default: b[at] ^= 0x20
            }
        }
        return b
    }

    static func check(_ input: [UInt8], _ kind: ContentKind, _ inspector: PIInspector) -> String? {
        let first = inspector.inspect(input, as: kind)
        let again = inspector.inspect(input, as: kind)
        guard first == again else { return "not deterministic" }
        for m in first {
            if m.masked.isEmpty { return "\(m.type): empty mask" }
            if m.value.count >= 8, m.masked == m.value { return "\(m.type): masked value equals the value" }
            if m.occurrences < 1 { return "\(m.type): \(m.occurrences) occurrences" }
            if !(m.confidence > 0 && m.confidence <= 1) { return "\(m.type): confidence \(m.confidence)" }
        }
        return nil
    }

    /// `check` with every inspector and each of `kinds`; records the first problem.
    static func checkAll(_ input: [UInt8], as kinds: [ContentKind], _ label: String) -> Bool {
        for kind in kinds {
            for inspector in Self.inspectors {
                if let problem = Self.check(input, kind, inspector) {
                    Issue.record("\(label) as \(kind): \(problem); input \(input)")
                    return false
                }
            }
        }
        return true
    }

    @Test func everyPrefixOfEverySeed() {
        for (index, (seed, kind)) in Self.seeds.enumerated() {
            let bytes = Array(seed.utf8)
            for cut in 0...bytes.count {
                guard Self.checkAll(Array(bytes[..<cut]), as: [kind], "seed \(index) cut at \(cut)") else { return }
            }
        }
    }

    @Test func randomMutationsOfEverySeed() {
        var rng = SplitMix64(seed: 0x5EED_2026_1123)
        for (index, (seed, kind)) in Self.seeds.enumerated() {
            let bytes = Array(seed.utf8)
            for round in 0..<120 {
                let input = Self.mutate(bytes, &rng)
                guard Self.checkAll(input, as: [kind, .text, .json, .binary], "seed \(index) mutation \(round)") else { return }
            }
        }
    }

    /// The mutations reach the detectors, not just the parsers' error paths: most
    /// seeds still yield findings after one small change.
    @Test func mutatedSeedsStillFindThings() {
        var rng = SplitMix64(seed: 42)
        var withFindings = 0, total = 0
        for (seed, kind) in Self.seeds {
            for _ in 0..<20 {
                total += 1
                var b = Array(seed.utf8)
                b.insert(contentsOf: Self.tokens[rng.next(0...(Self.tokens.count - 1))], at: rng.next(0...(b.count - 1)))
                if !Self.inspectors[1].inspect(b, as: kind).isEmpty { withFindings += 1 }
            }
        }
        #expect(withFindings * 10 >= total * 7, "\(withFindings) of \(total) mutated seeds kept a finding")
    }
}
