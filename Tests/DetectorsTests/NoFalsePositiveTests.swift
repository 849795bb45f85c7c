import Facts
import Testing
@testable import Detectors
import TestSupport

/// 4 MiB of ordinary app traffic text (headers, JSON with timestamps, hashes,
/// UUIDs, versions, prose, URLs) in which nothing may be reported.
enum RealisticText {
    static func make(bytes: Int) -> [UInt8] {
        var rng = SplitMix64(seed: 42)
        var out = [UInt8]()
        out.reserveCapacity(bytes + 4096)
        let words = ["the", "quick", "application", "request", "response", "content", "configuration", "banner",
                     "recommend", "feed", "video", "comment", "share", "like", "profile", "settings", "network", "cache"]
        while out.count < bytes {
            let ts = 1_700_000_000 + Int(rng.next() % 50_000_000)
            let ms = ts * 1000 + Int(rng.next() % 1000)
            let hex = (0..<4).map { _ in String(rng.next() & 0xFFFF_FFFF, radix: 16) }.joined()
            let uuid = "\(String(rng.next() & 0xFFFF_FFF, radix: 16))0-1b2c-4d3e-8f4a-5b6c7d8e9f0a"
            let prose = (0..<12).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
            let chunk = """
            GET /api/v2/feed/list?page=\(rng.next() % 100)&size=20&ts=\(ts)&trace=\(hex) HTTP/1.1\r
            Host: api.example.com\r
            User-Agent: okhttp/4.12.0 (Linux; Android 13; Build/TQ3A.230901.001) AppVersion/8.21.3\r
            Accept-Encoding: gzip\r
            \r
            {"code":0,"msg":"ok","serverTime":\(ms),"requestId":"\(uuid)","data":{"items":[{"id":\(rng.next() % 1_000_000),"title":"\(prose)","cover":"https://img.example.com/a/b/c@2x.png","duration":\(rng.next() % 600),"score":\(Double(rng.next() % 1000) / 100)}],"version":"3.14.159","etag":"W/\\"\(hex)\\""}}
            <p>\(prose). See docs at https://developer.example.org/guide#section-\(rng.next() % 50).</p>\n
            """
            out.append(contentsOf: Array(chunk.utf8))
        }
        return out
    }
}

@Suite struct NoFalsePositiveTests {
    @Test func fourMiBWithoutFindings() {
        let text = RealisticText.make(bytes: 4 << 20)
        let m = PIInspector().inspect(text, as: .binary)
        #expect(m.isEmpty, "\(m.prefix(5).map { "\($0.type.rawValue)=\($0.value)" })")
        let withDevice = PIInspector(device: DeviceTests.device).inspect(text, as: .binary)
        #expect(withDevice.isEmpty)
    }
}
