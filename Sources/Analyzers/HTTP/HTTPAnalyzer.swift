import Crypto
import Detectors
import Facts
import PacketDecoding
import ProtocolHTTP
import WireBytes

/// HTTP/1.x on any port, and WebSocket after an upgrade: requests paired
/// with their responses, every message emitted as a fact and, when PI
/// inspection is on, its query, path, headers and body inspected. A CONNECT
/// that the proxy accepts hands both sides back for probing (the tunnel is
/// usually TLS).
public final class HTTPAnalyzer: StreamAnalyzer {
    public static let name = "http"

    public static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult {
        switch HTTPStream.probe(prefix, role: side == .client ? .client : .server) {
        case true?: .match
        case false?: .noMatch
        case nil: final ? .noMatch : .needMoreBytes
        }
    }

    private let context: FlowContext
    private var clientHTTP: HTTPStream
    private var serverHTTP: HTTPStream
    /// Requests not yet answered, oldest first, to give each response its request's context
    /// (and, for an HTTPDNS request, the names it asked for).
    private var pendingRequests: [HTTPContext] = []
    private var pendingHTTPDNS: [[String]] = []
    private var sawHTTP = false
    private var sawWebSocket = false
    private var tunnelOpened = false

    public init(context: FlowContext) {
        self.context = context
        clientHTTP = HTTPStream(role: .client, limits: context.environment.httpLimits)
        serverHTTP = HTTPStream(role: .server, limits: context.environment.httpLimits)
    }

    public var plaintextProtocol: PlaintextProtocol? { sawWebSocket ? .websocket : (sawHTTP ? .http : nil) }

    public func attach(_ side: Side, afterGap: Bool) {}

    public func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests: inout FlowRequests) {
        let events = side == .client ? clientHTTP.feed(bytes, packet: packet.packet) : serverHTTP.feed(bytes, packet: packet.packet)
        handle(events, from: side, at: packet)
        if tunnelOpened {
            // Both sides now carry the tunnelled protocol.
            requests.handOff(.client, held: clientHTTP.takeHeldBytes())
            requests.handOff(.server, held: serverHTTP.takeHeldBytes())
            tunnelOpened = false
        }
    }

    public func noteGap(from side: Side, at reference: PacketReference) {
        let events = side == .client ? clientHTTP.noteGap() : serverHTTP.noteGap()
        handle(events, from: side, at: reference)
    }

    public func finish(at last: PacketReference) {
        handle(clientHTTP.finish(), from: .client, at: last)
        handle(serverHTTP.finish(), from: .server, at: last)
        context.environment.limits.record(.httpSkippedUnscanned, count: 0,
                                          skippedBytes: clientHTTP.skippedUnscanned + serverHTTP.skippedUnscanned)
    }

    private func handle(_ events: [HTTPStreamEvent], from side: Side, at reference: PacketReference) {
        for event in events {
            switch event {
            case .message(let message):
                sawHTTP = true
                for cap in message.capsHit {
                    switch cap {
                    case .bodyBytes: context.environment.limits.record(.httpBodyBytes, skippedBytes: message.bodyBytesSkipped)
                    case .decompressedBytes: context.environment.limits.record(.httpDecompressedBytes)
                    }
                }
                let http = message.isRequest ? HTTPContext(method: message.method, host: message.host, path: message.path)
                    : (pendingRequests.first.map { HTTPContext(method: $0.method, host: $0.host, path: $0.path, status: message.status) }
                       ?? HTTPContext(status: message.status))
                inspect(message, from: side, at: reference)
                if !message.unparsedHead.isEmpty {
                    scanRaw(message.unparsedHead, step: "http-head", http: http, from: side,
                            at: context.reference(packet: message.firstPacket, timeNanos: reference.timeNanos), lastPacket: message.lastPacket)
                }
            case .skipped(let bytes, let firstPacket):
                scanRaw(bytes, step: "http-skipped", http: nil, from: side,
                        at: context.reference(packet: firstPacket, timeNanos: reference.timeNanos), lastPacket: reference.packet)
            case .tolerated(let problem):
                context.emitAnomaly(Self.anomaly(problem.kind), from: side, problem.detail, at: reference)
                if problem.kind == .tooManyHeaders { context.environment.limits.record(.httpHeaderFields) }
            case .webSocket(let message):
                sawWebSocket = true
                guard let inspection = context.environment.inspection else { continue }
                let payload = message.payload
                let kind = payload.first == UInt8(ascii: "{") || payload.first == UInt8(ascii: "[")
                    ? ContentKind.json : PlaintextInspection.guessKind(payload)
                let matches = inspection.inspector.inspect(payload, as: kind, field: nil, decoding: ["websocket"])
                let start = context.reference(packet: message.firstPacket, timeNanos: reference.timeNanos)
                context.emitSightings(matches, sender: message.fromClient ? .client : .server, http: pendingRequests.first,
                                      carrier: .websocket, first: start, lastPacket: message.lastPacket)
            case .malformed(let problem):
                context.emitAnomaly(Self.anomaly(problem.kind), from: side, problem.detail, at: reference)
                switch problem.kind {
                case .headTooLong: context.environment.limits.record(.httpHeadBytes)
                case .declaredLength: context.environment.limits.record(problem.detail.hasPrefix("WebSocket") ? .webSocketFrameLength : .httpDeclaredLength)
                default: break
                }
            case .notHTTP:
                break
            }
        }
    }

    /// Bytes the HTTP grammar could not place (head lines that are not fields,
    /// bytes skipped after a malformed message) get the raw scan, so nothing
    /// they carry is dropped with them.
    private func scanRaw(_ bytes: [UInt8], step: String, http: HTTPContext?, from side: Side, at start: PacketReference, lastPacket: Int) {
        guard let inspection = context.environment.inspection else { return }
        let matches = inspection.inspector.inspect(bytes, as: PlaintextInspection.guessKind(bytes), field: nil, decoding: [step])
        context.emitSightings(matches, sender: side, http: http, carrier: .http, first: start, lastPacket: lastPacket)
    }

    /// An HTTPDNS answer binds addresses to names like a DNS answer does.
    private func emitHTTPDNS(_ answers: [HTTPDNS.Answer], asked: [String], at reference: PacketReference) {
        guard !answers.isEmpty else { return }
        let records = answers.flatMap { answer in
            answer.addresses.map { DNSRecordFact(name: answer.name, type: $0.isIPv6 ? 28 : 1, ttl: answer.ttl, address: $0, target: nil) }
        }
        context.emit(.dnsAnswer(DNSAnswerFact(flow: context.id, file: context.file, at: reference, questions: asked,
                                              answers: records, source: .httpdns)))
    }

    static func anomaly(_ kind: HTTPProblem.Kind) -> ProtocolAnomaly {
        switch kind {
        case .startLine: .httpStartLineInvalid
        case .headerLine: .httpHeaderLineInvalid
        case .tooManyHeaders: .httpTooManyHeaders
        case .headTooLong: .httpHeadTooLong
        case .headTruncated: .httpHeadTruncated
        case .bodyFraming: .httpBodyFramingInvalid
        case .declaredLength: .httpDeclaredLengthImplausible
        case .contentCoding: .httpContentCodingFailed
        case .webSocketFrame: .webSocketFrameInvalid
        }
    }

    private func inspect(_ message: HTTPMessage, from side: Side, at reference: PacketReference) {
        let http: HTTPContext
        if message.isRequest {
            http = HTTPContext(method: message.method, host: message.host, path: message.path, status: nil)
            // A one-sided capture never answers: keep only the requests a pipeline could hold.
            if pendingRequests.count < 64 {
                pendingRequests.append(http)
                pendingHTTPDNS.append(HTTPDNS.askedNames(path: message.path, query: message.query))
            }
            if let method = message.method { serverHTTP.expectResponse(toMethod: method) }
        } else {
            var request = pendingRequests.isEmpty ? HTTPContext() : pendingRequests.removeFirst()
            let asked = pendingHTTPDNS.isEmpty ? [] : pendingHTTPDNS.removeFirst()
            request.status = message.status
            http = request
            if !asked.isEmpty, message.status == 200 { emitHTTPDNS(HTTPDNS.answers(body: message.body, asked: asked), asked: asked, at: reference) }
            if request.method == "CONNECT", let status = message.status, (200..<300).contains(status) { tunnelOpened = true }
            if message.switchesToWebSocket {
                let deflate = message.negotiatesPermessageDeflate
                handle(clientHTTP.switchToWebSocket(permessageDeflate: deflate), from: .client, at: reference)
                handle(serverHTTP.switchToWebSocket(permessageDeflate: deflate), from: .server, at: reference)
            } else if message.status.map({ $0 >= 200 }) == true {
                if clientHTTP.phase == .upgradePending { handle(clientHTTP.resumeHTTP(), from: .client, at: reference) }
            }
        }
        let start = context.reference(packet: message.firstPacket, timeNanos: reference.timeNanos)
        var fact = HTTPMessageFact(
            flow: context.id, file: context.file, sender: side, isRequest: message.isRequest, method: message.method,
            host: message.host, path: message.path, query: message.query, status: message.status,
            contentType: message.contentType, bodyBytes: message.body.count, first: start, lastPacket: message.lastPacket)
        if message.isRequest { fact.signature = HTTPDNS.signature(path: message.path, query: message.query) }
        context.emit(.httpMessage(fact))
        guard let inspection = context.environment.inspection else { return }
        let inspector = inspection.inspector
        var matches: [PIMatch] = []
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
            matches += inspectBody(message, http: http, inspector: inspector)
        }
        context.emitSightings(matches, sender: side, http: http, carrier: .http, first: start, lastPacket: message.lastPacket)
    }

    private func inspectBody(_ message: HTTPMessage, http: HTTPContext, inspector: PIInspector) -> [PIMatch] {
        let steps = message.bodyDecoding.filter { $0 != "chunked" }
        let type = message.contentType ?? ""
        if type.hasPrefix("multipart/"), let header = message.header("Content-Type") {
            var matches: [PIMatch] = []
            for part in Multipart.parts(body: message.body, contentTypeHeader: header) {
                let name = part.name ?? "part"
                if PIInspector.looksLikeImage(part.body),
                   PlaintextInspection.isBiometricContext(http.path) || PlaintextInspection.isBiometricContext(part.name)
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
            guard message.isRequest, PlaintextInspection.isBiometricContext(http.path) else { return [] }
            return [Self.faceImage(message.body, field: nil, decoding: steps + ["body"])]
        }
        let kind: ContentKind
        if type.contains("json") { kind = .json }
        else if type == "application/x-www-form-urlencoded" { kind = .form }
        else { kind = PlaintextInspection.guessKind(message.body) }
        return inspector.inspect(message.body, as: kind, field: nil, decoding: steps)
    }

    static func faceImage(_ bytes: [UInt8], field: String?, decoding: [String]) -> PIMatch {
        let digest = Hex.string(SHA256.hash(data: bytes))
        return PIMatch(type: .faceImage, value: "sha256:\(digest)", masked: "image \(bytes.count) bytes, sha256 \(digest.prefix(12))…",
                       decoding: decoding, field: field, confirmed: false, confidence: 0.9,
                       detail: "raw image posted to a face/biometric endpoint")
    }
}
