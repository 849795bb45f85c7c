import Crypto
import Detectors
import ProtocolDNS
import ProtocolHTTP
import WireBytes

/// What to look for in plaintext, shared by every flow.
public struct PlaintextInspection: Sendable {
    public var inspector: PIInspector
    /// Inspect UDP payloads (DNS names and unknown protocols).
    public var inspectUDP = true
    /// Bytes of one direction of an unknown protocol scanned at most.
    public var maximumRawBytesPerDirection = 8 << 20

    public init(inspector: PIInspector) {
        self.inspector = inspector
    }

    /// Endpoints whose paths or field names mark an image as a face or biometric sample.
    static let biometricWords = ["face", "liveness", "biometric", "selfie", "renlian", "rlsb", "huoti", "portrait", "idphoto"]

    static func isBiometricContext(_ text: String?) -> Bool {
        guard let text = text?.lowercased() else { return false }
        return biometricWords.contains { text.contains($0) }
    }
}

/// Follows one plaintext TCP connection: HTTP (and WebSocket after an
/// upgrade) when the bytes are HTTP, otherwise the raw stream, scanned in
/// bounded chunks. Findings are folded per (type, value).
final class PlaintextAnalyzer {
    private let inspection: PlaintextInspection
    private let flow: Int
    private let file: Int
    private var clientHTTP = HTTPStream(role: .client)
    private var serverHTTP = HTTPStream(role: .server)
    private var clientRaw: [UInt8] = []
    private var serverRaw: [UInt8] = []
    private var clientRawScanned = 0
    private var serverRawScanned = 0
    private var clientRawPacket = 0
    private var serverRawPacket = 0
    private var pendingRequests: [HTTPContext] = []
    private(set) var observations: [PIObservation] = []
    private var index: [String: Int] = [:]
    private(set) var sawHTTP = false
    private(set) var sawWebSocket = false
    /// Host header of the first request, to name the server.
    private(set) var host: String?
    /// A proxy accepted CONNECT: what follows in both directions is the
    /// tunnelled protocol (usually TLS), not HTTP.
    private(set) var tunnelOpened = false

    static let rawChunk = 64 << 10
    /// Kept from the previous raw chunk so a value cut by the chunk border is seen whole.
    static let rawOverlap = 256

    init(inspection: PlaintextInspection, flow: Int, file: Int) {
        self.inspection = inspection
        self.flow = flow
        self.file = file
    }

    var protocolName: String {
        sawWebSocket ? "websocket" : (sawHTTP ? "http" : "unknown")
    }

    func feed(_ bytes: RawSpan, fromClient: Bool, at reference: PacketReference) {
        if fromClient {
            if clientHTTP.phase != .notHTTP {
                handle(clientHTTP.feed(bytes, packet: reference.packet), fromClient: true, at: reference)
                if clientHTTP.phase != .notHTTP { return }
            }
            appendRaw(bytes, fromClient: true, at: reference)
        } else {
            if serverHTTP.phase != .notHTTP {
                handle(serverHTTP.feed(bytes, packet: reference.packet), fromClient: false, at: reference)
                if serverHTTP.phase != .notHTTP { return }
            }
            appendRaw(bytes, fromClient: false, at: reference)
        }
    }

    func noteGap(fromClient: Bool) {
        if fromClient { _ = clientHTTP.noteGap() } else { _ = serverHTTP.noteGap() }
    }

    func finish(at reference: PacketReference) {
        handle(clientHTTP.finish(), fromClient: true, at: reference)
        handle(serverHTTP.finish(), fromClient: false, at: reference)
        scanRaw(fromClient: true, final: true, at: reference)
        scanRaw(fromClient: false, final: true, at: reference)
    }

    // MARK: raw streams

    private func appendRaw(_ bytes: RawSpan, fromClient: Bool, at reference: PacketReference) {
        let limit = inspection.maximumRawBytesPerDirection
        if fromClient {
            guard clientRawScanned + clientRaw.count < limit else { return }
            if clientRaw.isEmpty { clientRawPacket = reference.packet }
            bytes.withUnsafeBytes { clientRaw.append(contentsOf: $0) }
            if clientRaw.count >= Self.rawChunk { scanRaw(fromClient: true, final: false, at: reference) }
        } else {
            guard serverRawScanned + serverRaw.count < limit else { return }
            if serverRaw.isEmpty { serverRawPacket = reference.packet }
            bytes.withUnsafeBytes { serverRaw.append(contentsOf: $0) }
            if serverRaw.count >= Self.rawChunk { scanRaw(fromClient: false, final: false, at: reference) }
        }
    }

    private func scanRaw(fromClient: Bool, final: Bool, at reference: PacketReference) {
        var buffer = fromClient ? clientRaw : serverRaw
        guard !buffer.isEmpty else { return }
        let firstPacket = fromClient ? clientRawPacket : serverRawPacket
        let kind = Self.guessKind(buffer)
        let matches = inspection.inspector.inspect(buffer, as: kind, field: nil, decoding: ["raw"])
        let start = PacketReference(file: file, packet: firstPacket, timeNanos: reference.timeNanos)
        record(matches, sender: fromClient ? .client : .server, http: nil, carrier: "tcp", first: start, last: reference.packet)
        let keep = final ? 0 : min(Self.rawOverlap, buffer.count)
        let scanned = buffer.count - keep
        buffer.removeFirst(scanned)
        if fromClient {
            clientRaw = buffer
            clientRawScanned += scanned
            clientRawPacket = reference.packet
        } else {
            serverRaw = buffer
            serverRawScanned += scanned
            serverRawPacket = reference.packet
        }
    }

    /// JSON or form text gets its structure walked; anything else is scanned as bytes.
    static func guessKind(_ bytes: [UInt8]) -> ContentKind {
        guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return .binary }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return .json }
        let sample = bytes.prefix(512)
        let printable = sample.filter { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.count
        if printable * 10 < sample.count * 9 { return .binary }
        if sample.contains(UInt8(ascii: "=")) && sample.contains(UInt8(ascii: "&")) && !sample.contains(UInt8(ascii: " ")) { return .form }
        return .text
    }

    // MARK: HTTP

    private func handle(_ events: [HTTPStreamEvent], fromClient: Bool, at reference: PacketReference) {
        for event in events {
            switch event {
            case .message(let message):
                sawHTTP = true
                inspect(message, fromClient: fromClient, at: reference)
            case .webSocket(let message):
                sawWebSocket = true
                let payload = message.payload
                let kind = payload.first == UInt8(ascii: "{") || payload.first == UInt8(ascii: "[") ? ContentKind.json : Self.guessKind(payload)
                let matches = inspection.inspector.inspect(payload, as: kind, field: nil, decoding: ["websocket"])
                let start = PacketReference(file: file, packet: message.firstPacket, timeNanos: reference.timeNanos)
                record(matches, sender: message.fromClient ? .client : .server, http: pendingRequests.first, carrier: "websocket",
                       first: start, last: message.lastPacket)
            case .malformed, .notHTTP:
                break
            }
        }
    }

    private func inspect(_ message: HTTPMessage, fromClient: Bool, at reference: PacketReference) {
        let context: HTTPContext
        if message.isRequest {
            context = HTTPContext(method: message.method, host: message.host, path: message.path, status: nil)
            if host == nil { host = message.host }
            // A one-sided capture never answers: keep only the requests a pipeline could hold.
            if pendingRequests.count < 64 { pendingRequests.append(context) }
            if let method = message.method { serverHTTP.expectResponse(toMethod: method) }
        } else {
            var request = pendingRequests.isEmpty ? HTTPContext() : pendingRequests.removeFirst()
            request.status = message.status
            context = request
            if request.method == "CONNECT", let status = message.status, (200..<300).contains(status) { tunnelOpened = true }
            if message.switchesToWebSocket {
                let deflate = message.negotiatesPermessageDeflate
                handle(clientHTTP.switchToWebSocket(permessageDeflate: deflate), fromClient: true, at: reference)
                handle(serverHTTP.switchToWebSocket(permessageDeflate: deflate), fromClient: false, at: reference)
            } else if message.status.map({ $0 >= 200 }) == true {
                if clientHTTP.phase == .upgradePending { handle(clientHTTP.resumeHTTP(), fromClient: true, at: reference) }
            }
        }
        let sender: Side = fromClient ? .client : .server
        let start = PacketReference(file: file, packet: message.firstPacket, timeNanos: reference.timeNanos)
        var matches: [PIMatch] = []
        let inspector = inspection.inspector
        if let query = message.query, !query.isEmpty {
            matches += inspector.inspect(Array(query.utf8), as: .queryString, field: nil, decoding: [])
        }
        if let path = message.path, path.count > 1 {
            matches += inspector.inspect(Array(path.utf8), as: .text, field: nil, decoding: ["path"])
        }
        for header in message.headers {
            switch header.name.lowercased() {
            case "host", "content-length", "content-type", "content-encoding", "transfer-encoding", "connection",
                 "accept", "accept-encoding", "accept-language", "date", "server", "user-agent", "cache-control",
                 "upgrade", "sec-websocket-key", "sec-websocket-accept", "sec-websocket-version", "sec-websocket-extensions", "expect":
                continue
            case "cookie":
                matches += inspector.inspect(Array(header.value.utf8), as: .cookieHeader, field: nil, decoding: [])
            default:
                matches += inspector.inspect(Array(header.value.utf8), as: .headerValue(name: header.name), field: header.name, decoding: [])
            }
        }
        if !message.body.isEmpty {
            matches += inspectBody(message, context: context)
        }
        record(matches, sender: sender, http: context, carrier: "http", first: start, last: message.lastPacket)
    }

    private func inspectBody(_ message: HTTPMessage, context: HTTPContext) -> [PIMatch] {
        let inspector = inspection.inspector
        let steps = message.bodyDecoding.filter { $0 != "chunked" }
        let type = message.contentType ?? ""
        if type.hasPrefix("multipart/"), let header = message.header("Content-Type") {
            var matches: [PIMatch] = []
            for part in Multipart.parts(body: message.body, contentTypeHeader: header) {
                let name = part.name ?? "part"
                if PIInspector.looksLikeImage(part.body),
                   PlaintextInspection.isBiometricContext(context.path) || PlaintextInspection.isBiometricContext(part.name)
                    || PlaintextInspection.isBiometricContext(part.filename) {
                    matches.append(Self.faceImage(part.body, field: name, decoding: steps + ["multipart:\(name)"]))
                    continue
                }
                let kind: ContentKind = (part.contentType ?? "").contains("json") ? .json : .multipartField(name: name)
                matches += inspector.inspect(part.body, as: kind, field: name, decoding: steps + ["multipart:\(name)"])
            }
            return matches
        }
        if PIInspector.looksLikeImage(message.body) {
            guard message.isRequest, PlaintextInspection.isBiometricContext(context.path) else { return [] }
            return [Self.faceImage(message.body, field: nil, decoding: steps + ["body"])]
        }
        let kind: ContentKind
        if type.contains("json") { kind = .json }
        else if type == "application/x-www-form-urlencoded" { kind = .form }
        else { kind = Self.guessKind(message.body) }
        return inspector.inspect(message.body, as: kind, field: nil, decoding: steps)
    }

    static func faceImage(_ bytes: [UInt8], field: String?, decoding: [String]) -> PIMatch {
        let digest = Hex.string(SHA256.hash(data: bytes))
        return PIMatch(type: .faceImage, value: "sha256:\(digest)", masked: "image \(bytes.count) bytes, sha256 \(digest.prefix(12))…",
                       decoding: decoding, field: field, confirmed: false, confidence: 0.9,
                       detail: "raw image posted to a face/biometric endpoint")
    }

    // MARK: UDP

    func inspectDatagram(_ payload: RawSpan, fromClient: Bool, dns: Bool, at reference: PacketReference) {
        let sender: Side = fromClient ? .client : .server
        if dns, let message = try? DNSMessage(parsing: payload) {
            var matches: [PIMatch] = []
            if !message.isResponse {
                for name in message.questions {
                    matches += inspection.inspector.inspect(Array(name.utf8), as: .dnsName, field: nil, decoding: ["dns"])
                }
            }
            record(matches, sender: sender, http: nil, carrier: "dns", first: reference, last: reference.packet)
            return
        }
        let bytes = payload.withUnsafeBytes { Array($0) }
        let matches = inspection.inspector.inspect(bytes, as: Self.guessKind(bytes), field: nil, decoding: ["udp"])
        record(matches, sender: sender, http: nil, carrier: "udp", first: reference, last: reference.packet)
    }

    // MARK: folding

    private func record(_ matches: [PIMatch], sender: Side, http: HTTPContext?, carrier: String, first: PacketReference, last: Int) {
        for match in matches {
            let key = "\(match.type.rawValue)\u{0}\(match.value)"
            if let existing = index[key] {
                observations[existing].count += match.occurrences
                if observations[existing].packets.count < 16 && !observations[existing].packets.contains(last) {
                    observations[existing].packets.append(last)
                }
                // A confirmed sighting outranks a pattern-only one.
                if match.confirmed && !observations[existing].match.confirmed { observations[existing].match.confirmed = true }
                continue
            }
            index[key] = observations.count
            let packets = first.packet == last ? [last] : [first.packet, last]
            observations.append(PIObservation(flow: flow, file: file, sender: sender, match: match, http: http,
                                              packets: packets, first: first, count: match.occurrences, carrier: carrier))
        }
    }
}

