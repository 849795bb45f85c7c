import Foundation
import Testing
@testable import ProtocolHTTP
import TestSupport

/// A captured TCP connection: payload segments in capture order.
struct Segment {
    var packet: Int
    var fromClient: Bool
    var bytes: [UInt8]
}

enum Fixture {
    static func segments(_ name: String) throws -> [Segment] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "stream", subdirectory: "Fixtures"),
                               "missing fixture \(name).stream")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return Segment(packet: Int(fields[0])!, fromClient: fields[1] == "C", bytes: try #require(hex(String(fields[2]))))
        }
    }

    static func hex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let hi = value(digits[index]), let lo = value(digits[index + 1]) else { return nil }
            out.append(hi << 4 | lo)
            index += 2
        }
        return out
    }
}

/// How a test splits each segment before feeding it.
enum Split: CustomStringConvertible, CaseIterable {
    case whole, byteAtATime, random
    var description: String {
        switch self { case .whole: "whole"; case .byteAtATime: "byte"; case .random: "random" }
    }
}

/// A deterministic generator so random splits are reproducible.
/// Both directions of a connection, wired as the dissector will: each request
/// method goes to the server direction; a 101 switches both to WebSocket.
struct Connection {
    var client = HTTPStream(role: .client)
    var server = HTTPStream(role: .server)
    var events: [(fromClient: Bool, event: HTTPStreamEvent)] = []

    init(limits: HTTPLimits = .init()) {
        client = HTTPStream(role: .client, limits: limits)
        server = HTTPStream(role: .server, limits: limits)
    }

    mutating func feed(_ bytes: [UInt8], fromClient: Bool, packet: Int) {
        if fromClient {
            for event in client.feed(bytes, packet: packet) {
                if case .message(let message) = event, let method = message.method {
                    server.expectResponse(toMethod: method)
                }
                events.append((true, event))
            }
        } else {
            for event in server.feed(bytes, packet: packet) {
                events.append((false, event))
                guard case .message(let message) = event, let status = message.status, status >= 200 || status == 101 else { continue }
                if message.switchesToWebSocket {
                    let deflate = message.negotiatesPermessageDeflate
                    for e in client.switchToWebSocket(permessageDeflate: deflate) { events.append((true, e)) }
                    for e in server.switchToWebSocket(permessageDeflate: deflate) { events.append((false, e)) }
                } else if client.phase == .upgradePending {
                    for e in client.resumeHTTP() { events.append((true, e)) }
                }
            }
        }
    }

    mutating func finish() {
        for e in client.finish() { events.append((true, e)) }
        for e in server.finish() { events.append((false, e)) }
    }

    static func run(_ segments: [Segment], split: Split, seed: UInt64 = 1, limits: HTTPLimits = .init()) -> Connection {
        var connection = Connection(limits: limits)
        var rng = SplitMix64(seed: seed)
        for segment in segments {
            switch split {
            case .whole:
                connection.feed(segment.bytes, fromClient: segment.fromClient, packet: segment.packet)
            case .byteAtATime:
                for byte in segment.bytes { connection.feed([byte], fromClient: segment.fromClient, packet: segment.packet) }
            case .random:
                var index = 0
                while index < segment.bytes.count {
                    let n = Int.random(in: 1...max(1, min(97, segment.bytes.count - index)), using: &rng)
                    connection.feed(Array(segment.bytes[index..<(index + n)]), fromClient: segment.fromClient, packet: segment.packet)
                    index += n
                }
            }
        }
        connection.finish()
        return connection
    }

    var requests: [HTTPMessage] { messages(fromClient: true) }
    var responses: [HTTPMessage] { messages(fromClient: false) }

    func messages(fromClient: Bool) -> [HTTPMessage] {
        events.compactMap { item in
            guard item.fromClient == fromClient, case .message(let message) = item.event else { return nil }
            return message
        }
    }

    var webSocketMessages: [WebSocketMessage] {
        events.compactMap { if case .webSocket(let m) = $0.event { m } else { nil } }
    }

    var malformed: [String] {
        events.compactMap { if case .malformed(let why) = $0.event { why.detail } else { nil } }
    }

    var tolerated: [String] {
        events.compactMap { if case .tolerated(let why) = $0.event { why.detail } else { nil } }
    }

    /// A comparable rendering of every event, for split-independence checks.
    var summary: [String] {
        events.map { item in
            let side = item.fromClient ? "C" : "S"
            switch item.event {
            case .message(let m):
                return "\(side) \(m.method ?? "") \(m.target ?? "") \(m.status.map(String.init) ?? "") host=\(m.host ?? "-") "
                    + "h=\(m.headers.count) t=\(m.trailers.count) body=\(m.body.hexString) dec=\(m.bodyDecoding) cut=\(m.bodyTruncated) "
                    + "pk=\(m.firstPacket)-\(m.lastPacket)"
            case .webSocket(let w):
                return "\(side) ws op=\(w.opcode) \(w.payload.hexString) c=\(w.compressed) cut=\(w.truncated) pk=\(w.firstPacket)-\(w.lastPacket)"
            case .malformed(let why): return "\(side) malformed \(why)"
            case .tolerated(let why): return "\(side) tolerated \(why)"
            case .skipped(let bytes, let packet): return "\(side) skipped \(bytes.count) from \(packet)"
            case .notHTTP: return "\(side) notHTTP"
            }
        }
    }
}

extension Array where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in self { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
    var text: String { String(decoding: self, as: UTF8.self) }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

/// The JSON body the fixture server sends (servers.py BODY).
let serverBody = #"{"imei":"867530912345678","phone":"13812345678","note":""# + String(repeating: "wirecheck ", count: 40) + #""}"#
