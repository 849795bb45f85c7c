import Testing
@testable import ProtocolHTTP
import WireCodings

/// Hand-built streams for what real clients rarely send.
@Suite struct EdgeCaseTests {
    func run(_ role: HTTPRole, _ text: String, limits: HTTPLimits = .init(), methods: [String] = []) -> (HTTPStream, [HTTPStreamEvent]) {
        run(role, text.bytes, limits: limits, methods: methods)
    }

    func run(_ role: HTTPRole, _ bytes: [UInt8], limits: HTTPLimits = .init(), methods: [String] = []) -> (HTTPStream, [HTTPStreamEvent]) {
        var stream = HTTPStream(role: role, limits: limits)
        for method in methods { stream.expectResponse(toMethod: method) }
        var events = stream.feed(bytes, packet: 1)
        events += stream.finish()
        return (stream, events)
    }

    func messages(_ events: [HTTPStreamEvent]) -> [HTTPMessage] {
        events.compactMap { if case .message(let m) = $0 { m } else { nil } }
    }

    func tolerated(_ events: [HTTPStreamEvent]) -> [String] {
        events.compactMap { if case .tolerated(let why) = $0 { why.detail } else { nil } }
    }

    func malformed(_ events: [HTTPStreamEvent]) -> [String] {
        events.compactMap { if case .malformed(let why) = $0 { why.detail } else { nil } }
    }

    @Test func garbageIsNotHTTP() {
        for garbage in ["\u{16}\u{03}\u{01}\u{00}", "SSH-2.0-OpenSSH_9.0\r\n", "{\"imei\":1}", "GET  / HTTP/1.1\r\n", "hello world\n"] {
            var stream = HTTPStream(role: .client)
            var events: [HTTPStreamEvent] = []
            for byte in garbage.bytes { events += stream.feed([byte], packet: 1) }
            #expect(events.count == 1, "\(garbage)")
            if case .notHTTP = events.first {} else { Issue.record("\(garbage): \(events)") }
            #expect(stream.phase == .notHTTP)
            #expect(stream.feed("GET / HTTP/1.1\r\n\r\n".bytes, packet: 2).isEmpty)
        }
        let (server, events) = run(.server, "HTTP/2 200\r\n\r\n")
        #expect(server.phase == .notHTTP)
        #expect(events.count == 1)
    }

    @Test func lfOnlyLineEndingsAndAbsoluteForm() {
        let (_, events) = run(.client, "POST http://user@api.example.com:8080/v1/x?a=%20b#frag HTTP/1.0\nHost: ignored\nContent-Length: 3\n\nabc")
        let m = messages(events)
        #expect(m.count == 1)
        #expect(m.first?.host == "api.example.com:8080")
        #expect(m.first?.path == "/v1/x")
        #expect(m.first?.query == "a=%20b")
        #expect(m.first?.body.text == "abc")
    }

    @Test func requestWithoutLengthHasNoBodyAndPipelines() {
        let (_, events) = run(.client, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n\r\nGET /b?x HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(messages(events).map { $0.path ?? "" } == ["/a", "/b"])
        #expect(malformed(events).isEmpty)
    }

    @Test func obsFoldJoinsTheFieldBeforeAndIsReported() {
        let (_, events) = run(.client, "GET /a HTTP/1.1\r\nX-Long: one\r\n two\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
        #expect(tolerated(events).contains { $0.contains("obs-fold") })
        #expect(messages(events).map { $0.path ?? "" } == ["/a", "/b"])
        #expect(messages(events).first?.header("x-long") == "one two")
    }

    @Test func headLinesThatAreNotFieldsKeepTheMessageAndAreScannedRaw() {
        let head = "POST /up?phone=13912340001 HTTP/1.1\r\nHost: h\r\nno colon here 13812340002\r\nX Client Id: 42\r\nX-Trace : abc\r\n"
        let (_, events) = run(.client, head + "Content-Length: 2\r\n\r\n{}GET /next HTTP/1.1\r\n\r\n")
        #expect(messages(events).map { $0.path ?? "" } == ["/up", "/next"])
        #expect(messages(events).first?.body.text == "{}")
        #expect(messages(events).first?.unparsedHead.text == "no colon here 13812340002\nX Client Id: 42\nX-Trace : abc\n")
        #expect(tolerated(events) == ["3 header line(s) that are not fields, scanned as text"])
        #expect(malformed(events).isEmpty)
    }

    @Test func bytesSkippedWhileResynchronisingGoToTheRawScan() {
        let (_, events) = run(.client, "GET /a HTTP/1.1\r\nContent-Length: zz\r\n\r\nphone=13812340003\r\nGET /b HTTP/1.1\r\n\r\n")
        #expect(!malformed(events).isEmpty)
        let skipped = events.compactMap { if case .skipped(let bytes, _) = $0 { bytes.text } else { nil } }.joined()
        #expect(skipped.contains("phone=13812340003"))
        #expect(messages(events).map { $0.path ?? "" }.last == "/b")
    }

    @Test func lyingContentLength() {
        let (_, events) = run(.server, "HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000000\r\n\r\nabc")
        #expect(!malformed(events).isEmpty)
        #expect(messages(events).first?.bodyTruncated == true)
        let (_, overflow) = run(.server, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n")
        #expect(malformed(overflow).contains { $0.contains("overflows") })
        let (_, conflict) = run(.client, "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
        #expect(malformed(conflict).contains { $0.contains("conflicting") })
        let (_, negative) = run(.client, "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")
        #expect(!malformed(negative).isEmpty)
    }

    @Test func shortBodyAtEndOfStreamIsCut() {
        let (_, events) = run(.server, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        let m = messages(events)
        #expect(m.first?.body.text == "abc")
        #expect(m.first?.bodyTruncated == true)
    }

    @Test func badChunkSizes() {
        for bad in ["zz", "fffffffffffffffffff", "7fffffffffffffff", "1 x", ""] {
            let (_, events) = run(.server, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(bad)\r\nabc\r\n0\r\n\r\n")
            #expect(!malformed(events).isEmpty, "\(bad)")
        }
        // Chunk data longer than its size.
        let (_, events) = run(.server, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n")
        #expect(malformed(events).contains { $0.contains("chunk") })
    }

    @Test func chunkExtensionsTrailersAndUppercaseHex() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA ; ext=\"q;x\"\r\n0123456789\r\n1;a\r\nZ\r\n0\r\nX-T: 1\r\nY-T: 2\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
        var stream = HTTPStream(role: .server)
        var events: [HTTPStreamEvent] = []
        for byte in text.bytes { events += stream.feed([byte], packet: 1) }
        let m = messages(events)
        #expect(m.count == 2)
        #expect(m.first?.body.text == "0123456789Z")
        #expect(m.first?.trailers.count == 2)
        #expect(m.last?.status == 204)
        #expect(malformed(events).isEmpty)
    }

    @Test func bodyCapKeepsParsing() {
        let limits = HTTPLimits(maxBodyBytes: 10)
        let (_, events) = run(.client, "POST / HTTP/1.1\r\nContent-Length: 26\r\n\r\nabcdefghijklmnopqrstuvwxyzGET /next HTTP/1.1\r\n\r\n", limits: limits)
        let m = messages(events)
        #expect(m.count == 2)
        #expect(m[0].body.text == "abcdefghij")
        #expect(m[0].bodyTruncated)
        #expect(m[1].path == "/next")
    }

    @Test func zipBombIsCapped() {
        // 16 MiB of zeros deflates to about 16 KiB; a 1 MiB cap stops it.
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        let gz = Decompression.inflate([], windowBits: 31, limit: 1)  // empty input is fine
        #expect(gz.output.isEmpty)
        let bomb = gzipStored(zeros)
        let limits = HTTPLimits(maxBodyBytes: 32 << 20, maxDecompressedBytes: 1 << 20)
        var head = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: \(bomb.count)\r\n\r\n".bytes
        head += bomb
        let (_, events) = run(.server, head, limits: limits)
        let m = messages(events)
        #expect(m.first?.body.count == 1 << 20)
        #expect(m.first?.bodyTruncated == true)
    }

    @Test func corruptGzipLeftEncoded() {
        let body: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        var bytes = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: \(body.count)\r\n\r\n".bytes
        bytes += body
        let (_, events) = run(.server, bytes)
        #expect(messages(events).first?.body == body)
        #expect(!malformed(events).isEmpty)
        let (_, unknown) = run(.server, "HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\nContent-Length: 3\r\n\r\nabc")
        #expect(messages(unknown).first?.body.text == "abc")
        #expect(messages(unknown).first?.bodyDecoding == [])
    }

    @Test func headerCaps() {
        // Past 200 fields the message still counts, framed by its Content-Length; the rest is kept for a raw scan.
        let many = (0..<240).map { "X-\($0): v\r\n" }.joined()
        let (_, events) = run(.client, "POST / HTTP/1.1\r\n\(many)Content-Length: 3\r\n\r\nabcGET /ok HTTP/1.1\r\n\r\n")
        #expect(tolerated(events) == ["40 header field(s) past the first 200, scanned as text"])
        #expect(messages(events).map { $0.path ?? "" } == ["/", "/ok"])
        #expect(messages(events).first?.body.text == "abc")
        #expect(messages(events).first?.headers.count == 201)
        let huge = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 70_000)
        var stream = HTTPStream(role: .client)
        let hugeEvents = stream.feed(huge.bytes, packet: 1)
        #expect(malformed(hugeEvents).contains { $0.contains("header section") })
    }

    @Test func responseNoBodyRules() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        let (_, events) = run(.server, text, methods: ["HEAD", "GET", "GET"])
        let m = messages(events)
        #expect(m.map { $0.status ?? 0 } == [100, 200, 304, 200])
        #expect(m[1].body.isEmpty)
        #expect(m[3].body.text == "ok")
    }

    @Test func gapResynchronises() {
        var stream = HTTPStream(role: .client)
        var events = stream.feed("POST /a HTTP/1.1\r\nContent-Length: 100\r\n\r\nhalf".bytes, packet: 1)
        events += stream.noteGap()
        events += stream.feed("st of the body\r\nGET /b?q=1 HTTP/1.1\r\nHost: h\r\n\r\n".bytes, packet: 3)
        let m = messages(events)
        #expect(m.map { $0.path ?? "" } == ["/a", "/b"])
        #expect(m[0].bodyTruncated)
        #expect(m[1].firstPacket == 3)
        // A gap right at a message boundary.
        var server = HTTPStream(role: .server)
        _ = server.feed("HTTP/1.1 200 OK\r\nContent-Len".bytes, packet: 1)
        server.noteGap()
        let resumed = server.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".bytes, packet: 2)
        #expect(messages(resumed).first?.status == 404)
    }

    @Test func webSocketLyingLengthAndReservedOpcode() {
        var stream = HTTPStream(role: .client)
        _ = stream.feed("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".bytes, packet: 1)
        #expect(stream.phase == .upgradePending)
        // Frame bytes arrive before the caller switches: they are held.
        let held = stream.feed([0x81, 0x82, 1, 2, 3, 4, 0x68 ^ 1, 0x69 ^ 2], packet: 2)
        #expect(held.isEmpty)
        let events = stream.switchToWebSocket()
        if case .webSocket(let m) = events.first { #expect(m.payload.text == "hi") } else { Issue.record("\(events)") }
        let lie = stream.feed([0x82, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4], packet: 3)
        #expect(!malformed(lie).isEmpty)
        #expect(!stream.wantsBytes)

        var other = HTTPStream(role: .server)
        other.switchToWebSocket()
        #expect(!malformed(other.feed([0x83, 0x00], packet: 1)).isEmpty)
    }

    @Test func refusedUpgradeResumesHTTP() {
        var stream = HTTPStream(role: .client)
        _ = stream.feed("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\nGET /next HTTP/1.1\r\n\r\n".bytes, packet: 1)
        let events = stream.resumeHTTP()
        #expect(messages(events).first?.path == "/next")
    }

    @Test func connectTunnel() {
        var server = HTTPStream(role: .server)
        server.expectResponse(toMethod: "CONNECT")
        let events = server.feed("HTTP/1.1 200 Connection established\r\n\r\n\u{16}\u{03}\u{01}".bytes, packet: 1)
        #expect(messages(events).count == 1)
        #expect(server.phase == .tunnel)
        var client = HTTPStream(role: .client)
        let request = messages(client.feed("CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n".bytes, packet: 1))
        #expect(request.first?.host == "api.example.com:443")
        #expect(request.first?.path == nil)
        #expect(client.phase == .upgradePending)
    }

    @Test func nonUTF8HeaderValuesSurvive() {
        var bytes = "GET / HTTP/1.1\r\nX-Name: ".bytes
        bytes += [0xD6, 0xD0, 0xCE, 0xC4]   // GBK, not UTF-8
        bytes += "\r\n\r\n".bytes
        let (_, events) = run(.client, bytes)
        let value = messages(events).first?.header("x-name")
        #expect(value?.unicodeScalars.map { UInt8($0.value) } == [0xD6, 0xD0, 0xCE, 0xC4])
    }

    @Test func multipartEdgeCases() {
        let body = "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x;y.txt\"\r\nContent-Type: Text/Plain; charset=utf-8\r\n\r\nline1\r\nline2\r\n--b--\r\nepilogue"
        let parts = Multipart.parts(body: body.bytes, contentTypeHeader: "multipart/form-data; boundary=\"b\"")
        #expect(parts.map { $0.name ?? "" } == ["a", "f"])
        #expect(parts[1].filename == "x;y.txt")
        #expect(parts[1].contentType == "text/plain")
        #expect(parts[1].body.text == "line1\r\nline2")
        #expect(Multipart.parts(body: body.bytes, contentTypeHeader: "multipart/form-data").isEmpty)
        // Cut short: the open part is returned with what arrived.
        let cut = Multipart.parts(body: Array(body.bytes.prefix(70)), contentTypeHeader: "multipart/form-data; boundary=b")
        #expect(cut.count == 2)
    }
}

/// A gzip member holding `data` in a fixed-Huffman deflate stream, built with
/// zlib through the module under test's own inflate counterpart.
func gzipStored(_ data: [UInt8]) -> [UInt8] {
    gzipCompress(data)
}
