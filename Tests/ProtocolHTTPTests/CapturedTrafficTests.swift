import Testing
@testable import ProtocolHTTP

/// Real loopback traffic (make-fixtures.sh), fed whole, a byte at a time and
/// in random splits: every way must give the same events.
@Suite struct CapturedTrafficTests {
    static let fixtures = ["chunked", "encodings", "head", "pipelined", "slow", "http10", "upload", "chunkedupload", "ws_raw", "ws_deflate"]

    @Test(arguments: fixtures)
    func splitsDoNotChangeResults(_ name: String) throws {
        let segments = try Fixture.segments(name)
        let whole = Connection.run(segments, split: .whole)
        #expect(whole.malformed.isEmpty, "\(name): \(whole.malformed)")
        #expect(whole.byteEquivalent(Connection.run(segments, split: .byteAtATime)), "\(name) byte-at-a-time differs")
        for seed in 1...5 as ClosedRange<UInt64> {
            #expect(whole.byteEquivalent(Connection.run(segments, split: .random, seed: seed)), "\(name) random split \(seed) differs")
        }
    }

    @Test func chunkedResponseWithExtensionsAndTrailers() throws {
        let c = Connection.run(try Fixture.segments("chunked"), split: .whole)
        #expect(c.requests.count == 1)
        #expect(c.requests[0].method == "GET")
        #expect(c.requests[0].path == "/chunked")
        #expect(c.requests[0].host == "127.0.0.1:49200")
        let response = try #require(c.responses.first)
        #expect(response.status == 200)
        #expect(response.bodyDecoding == ["chunked"])
        #expect(response.body.text == serverBody)
        #expect(response.trailers == [HTTPHeader(name: "X-Checksum", value: "abc123")])
        #expect(response.contentType == "application/json")
        #expect(!response.bodyTruncated)
        #expect(response.firstPacket < response.lastPacket)
    }

    @Test func contentEncodings() throws {
        let c = Connection.run(try Fixture.segments("encodings"), split: .whole)
        #expect(c.requests.map { $0.path ?? "" } == ["/gzip", "/deflate-zlib", "/deflate-raw", "/br", "/gzip-br"])
        #expect(c.responses.map(\.bodyDecoding) == [["gzip"], ["deflate"], ["deflate"], ["br"], ["br", "gzip"]])
        for response in c.responses {
            #expect(response.body.text == serverBody)
            #expect(!response.bodyTruncated)
        }
    }

    @Test func headResponseHasNoBody() throws {
        let c = Connection.run(try Fixture.segments("head"), split: .whole)
        #expect(c.requests.map { $0.method ?? "" } == ["HEAD"])
        #expect(c.requests[0].query == "x=1")
        let response = try #require(c.responses.first)
        #expect(response.header("content-length") == String(serverBody.utf8.count))
        #expect(response.body.isEmpty)
        #expect(!response.bodyTruncated)
    }

    @Test func pipelinedRequestsHeadAnd304() throws {
        let c = Connection.run(try Fixture.segments("pipelined"), split: .whole)
        let requests = c.requests
        #expect(requests.map { $0.method ?? "" } == ["GET", "POST", "HEAD", "GET", "GET"])
        #expect(requests.map { $0.path ?? "" } == ["/hello", "/echo", "/etag", "/etag", "/te-gzip"])
        #expect(requests[0].query == "imei=867530912345678&x=1")
        #expect(requests[1].body.text == #"{"deviceId":"a1b2c3","phone":"13812345678"}"#)
        // All five requests arrived in one segment.
        #expect(Set(requests.map(\.firstPacket)).count == 1)
        let responses = c.responses
        #expect(responses.map { $0.status ?? 0 } == [200, 200, 200, 304, 200])
        #expect(responses[0].body.text == "hello from /hello")
        #expect(responses[2].body.isEmpty)          // HEAD
        #expect(responses[3].body.isEmpty)          // 304
        #expect(responses[4].bodyDecoding == ["chunked", "gzip"])   // Transfer-Encoding: gzip, chunked
        #expect(responses[4].body.text == serverBody)
    }

    @Test func requestSentFewBytesPerSegment() throws {
        let segments = try Fixture.segments("slow")
        let c = Connection.run(segments, split: .whole)
        let request = try #require(c.requests.first)
        #expect(request.query == "sfz=110101199003074258")
        #expect(request.host == "slow.example")
        #expect(request.firstPacket == segments.first!.packet)
        #expect(request.lastPacket > request.firstPacket)
        #expect(c.responses.first?.body.text == "hello from /slow")
    }

    @Test func http10ReadUntilClose() throws {
        let c = Connection.run(try Fixture.segments("http10"), split: .whole)
        #expect(c.requests.first?.version == "HTTP/1.0")
        #expect(c.requests.first?.query == "mac=00:1a:2b:3c:4d:5e")
        let response = try #require(c.responses.first)
        #expect(response.version == "HTTP/1.0")
        #expect(response.header("content-length") == nil)
        #expect(response.body.text == "read until close: " + serverBody)
        #expect(!response.bodyTruncated)
    }

    @Test func expectContinueAndMultipart() throws {
        let c = Connection.run(try Fixture.segments("upload"), split: .whole)
        let request = try #require(c.requests.first)
        #expect(request.header("expect") == "100-continue")
        #expect(request.contentType == "multipart/form-data")
        #expect(c.responses.map { $0.status ?? 0 } == [100, 200])
        let parts = Multipart.parts(body: request.body, contentTypeHeader: try #require(request.header("content-type")))
        #expect(parts.count == 2)
        #expect(parts[0].name == "phone")
        #expect(parts[0].body.text == "13812345678")
        #expect(parts[1].name == "profile")
        #expect(parts[1].filename == "form.json")
        #expect(parts[1].contentType == "application/json")
        #expect(parts[1].body.text == #"{"idcard":"110101199003074258","name":"test"}"#)
    }

    @Test func chunkedUpload() throws {
        let c = Connection.run(try Fixture.segments("chunkedupload"), split: .whole)
        let request = try #require(c.requests.first)
        #expect(request.bodyDecoding == ["chunked"])
        #expect(request.body.count == 3000)
        #expect(c.responses.first?.body.text.hasPrefix("got 3000 bytes") == true)
    }

    @Test func webSocketMaskedFragmentedFrames() throws {
        let c = Connection.run(try Fixture.segments("ws_raw"), split: .whole)
        #expect(c.requests.first?.requestsUpgrade == true)
        #expect(c.responses.first?.status == 101)
        #expect(c.client.phase == .tunnel)   // finished after the close frame
        let fromClient = c.webSocketMessages.filter(\.fromClient)
        #expect(fromClient.map(\.opcode) == [9, 1, 2, 2, 8])
        #expect(fromClient[0].payload.text == "ping!")
        #expect(fromClient[1].payload.text == "Hello, phone 13812345678 end")
        #expect(fromClient[1].firstPacket < fromClient[1].lastPacket)
        #expect(fromClient[2].payload == Array(0...255) + Array(0...255))
        #expect(fromClient[3].payload == [UInt8](repeating: 0x78, count: 70000))
        let fromServer = c.webSocketMessages.filter { !$0.fromClient }
        #expect(fromServer.map(\.opcode) == [10, 1, 2, 2, 8])  // pong, echoes, close
        #expect(fromServer[1].payload.text == "Hello, phone 13812345678 end")
    }

    @Test func webSocketPermessageDeflate() throws {
        let c = Connection.run(try Fixture.segments("ws_deflate"), split: .whole)
        #expect(c.responses.first?.negotiatesPermessageDeflate == true)
        let fromClient = c.webSocketMessages.filter(\.fromClient)
        let texts = fromClient.filter { $0.opcode == 1 }.map(\.payload.text)
        #expect(texts == [#"{"imei":"867530912345678"}"#, #"{"imei":"867530912345678","again":true}"#,
                          String(repeating: "z", count: 5000), "frag-one frag-two"])
        #expect(fromClient.contains { $0.compressed })
        let echoed = c.webSocketMessages.filter { !$0.fromClient && $0.opcode == 1 }.map(\.payload.text)
        #expect(echoed == texts)
    }
}

extension Connection {
    func byteEquivalent(_ other: Connection) -> Bool {
        summary == other.summary
    }
}
