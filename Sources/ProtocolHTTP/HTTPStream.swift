import WireCodings

/// One direction of an HTTP/1.x connection: bytes fed from TCP reassembly →
/// requests (client direction) or responses (server direction). Messages may
/// be split anywhere across segments and several may share one (pipelining);
/// bytes are buffered until a message is complete. Bodies are consumed as
/// they arrive and only `maxBodyBytes` of each is kept, so a lying length
/// costs time, not memory.
///
/// The server direction cannot frame a response without knowing the request
/// (a response to HEAD has no body whatever its headers say), so the caller
/// passes each request method on with `expectResponse(toMethod:)`, in order.
/// After a 101 the caller switches both directions with `switchToWebSocket`.
public struct HTTPStream: Sendable {
    public enum Phase: Sendable, Equatable {
        /// Nothing decided yet: waiting for a start line.
        case probing
        case http
        /// A request asked to switch protocols (client direction) or a 101
        /// was sent (server direction): bytes are held until the caller says
        /// what follows (`switchToWebSocket`, `switchToTunnel`, `resumeHTTP`).
        case upgradePending
        case webSocket
        /// A CONNECT tunnel or another protocol after an upgrade: not parsed.
        case tunnel
        case notHTTP
    }

    private enum BodyState: Sendable {
        case length(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
    }

    private struct PacketMark: Sendable {
        /// Absolute stream offset one past the packet's last byte.
        var end: Int
        var packet: Int
    }

    public let role: HTTPRole
    public let limits: HTTPLimits
    public private(set) var phase: Phase = .probing
    public var isWebSocket: Bool { phase == .webSocket }
    /// Whether the stream still parses its input as HTTP (or WebSocket).
    public var wantsBytes: Bool { phase == .probing || phase == .http || phase == .upgradePending || phase == .webSocket }

    private var buffer: [UInt8] = []
    /// Index of the first unconsumed byte in `buffer`.
    private var start = 0
    /// Absolute stream offset of `buffer[0]`.
    private var bufferBase = 0
    private var marks: [PacketMark] = []
    private var lastPacket = 0

    // Message in progress.
    private var message: HTTPMessage?
    private var body: BodyState?
    private var rawBody: [UInt8] = []
    private var bodyBytesSkipped = 0
    private var bodyCapped = false
    private var chunked = false
    private var codings: [String] = []
    private var trailerBytes = 0
    /// Bytes after `start` known not to hold the end of the header section.
    private var scanned = 0
    private var firstLineChecked = false

    /// After a gap or a framing error: searching for the next start line.
    private var resynchronising = false
    private var skippedScanned = 0
    /// Bytes skipped past `maxSkippedScanBytes`: never scanned (a cap the report counts).
    public private(set) var skippedUnscanned = 0
    /// Whether the byte at `start` may itself begin a message (true after a
    /// gap, since segments often start messages; false after an error).
    private var candidateAtStart = false

    private var pendingMethods: [String] = []
    private var pendingIndex = 0
    /// The request method the response being framed answers.
    private var answeredMethod = "GET"
    private var webSocket: WebSocketDecoder?
    /// The bytes that followed a CONNECT's 2xx response: the tunnel's first bytes.
    private var tunnelHeld: [UInt8] = []

    public init(role: HTTPRole, limits: HTTPLimits = .init()) {
        self.role = role
        self.limits = limits
    }

    // MARK: - Caller interface

    /// Appends bytes carried by `packet` and returns what they completed.
    public mutating func feed(_ bytes: RawSpan, packet: Int) -> [HTTPStreamEvent] {
        guard wantsBytes else { return [] }
        let count = bytes.byteCount
        guard count > 0 else { return [] }
        bytes.withUnsafeBytes { buffer.append(contentsOf: $0) }
        marks.append(PacketMark(end: bufferBase + buffer.count, packet: packet))
        lastPacket = packet
        var events: [HTTPStreamEvent] = []
        process(&events)
        compact()
        return events
    }

    /// Convenience for callers holding an array.
    public mutating func feed(_ bytes: [UInt8], packet: Int) -> [HTTPStreamEvent] {
        bytes.withUnsafeBytes { feed(RawSpan(_unsafeBytes: $0), packet: packet) }
    }

    /// The server direction learns each request's method, in request order,
    /// so it can frame responses to HEAD (no body) and CONNECT (tunnel).
    public mutating func expectResponse(toMethod method: String) {
        pendingMethods.append(method.uppercased())
    }

    /// Bytes were lost. A message whose body was under way is handed out cut
    /// (`bodyTruncated`); a partial header section is dropped. Parsing
    /// resumes at the next plausible start line. A WebSocket stream cannot
    /// find frame boundaries again and stops.
    @discardableResult
    public mutating func noteGap() -> [HTTPStreamEvent] {
        var events: [HTTPStreamEvent] = []
        switch phase {
        case .probing, .http:
            if message != nil && body != nil { completeMessage(&events, cut: true) }
            resetMessage()
            start = buffer.count
            resynchronising = true
            candidateAtStart = true
        case .webSocket:
            webSocket?.flush(packet: lastPacket, events: &events)
            phase = .tunnel
        case .upgradePending:
            phase = .tunnel
        case .tunnel, .notHTTP:
            break
        }
        compact()
        return events
    }

    /// End of the stream: a response read until close ends here; anything
    /// else still open is handed out cut.
    public mutating func finish() -> [HTTPStreamEvent] {
        var events: [HTTPStreamEvent] = []
        switch phase {
        case .probing, .http:
            if message != nil, let body {
                if case .untilClose = body { completeMessage(&events, cut: false) }
                else { completeMessage(&events, cut: true) }
            } else if !resynchronising, buffer.count > start,
                      buffer[start...].contains(where: { $0 != 0x0D && $0 != 0x0A }) {
                events.append(.malformed(HTTPProblem(.headTruncated, "stream ended inside a header section")))
            }
        case .webSocket:
            webSocket?.flush(packet: lastPacket, events: &events)
        default:
            break
        }
        resetMessage()
        buffer = []
        start = 0
        if phase == .probing || phase == .http || phase == .webSocket || phase == .upgradePending { phase = .tunnel }
        return events
    }

    /// After a 101 with `Upgrade: websocket`: parse the held and following
    /// bytes as WebSocket frames.
    @discardableResult
    public mutating func switchToWebSocket(permessageDeflate: Bool = false) -> [HTTPStreamEvent] {
        guard phase == .upgradePending || phase == .http || phase == .probing else { return [] }
        phase = .webSocket
        webSocket = WebSocketDecoder(fromClient: role == .client, permessageDeflate: permessageDeflate, limits: limits)
        var events: [HTTPStreamEvent] = []
        process(&events)
        compact()
        return events
    }

    /// The upgrade was refused (no 101): the held bytes are HTTP again.
    @discardableResult
    public mutating func resumeHTTP() -> [HTTPStreamEvent] {
        guard phase == .upgradePending else { return [] }
        phase = .http
        var events: [HTTPStreamEvent] = []
        process(&events)
        compact()
        return events
    }

    /// After a CONNECT was accepted, the bytes that belong to the tunnel: on
    /// the client side those held since the request, on the server side those
    /// after the response head. The stream parses nothing more; empty afterwards.
    public mutating func takeHeldBytes() -> [UInt8] {
        switch phase {
        case .upgradePending:
            let held = Array(buffer[start...])
            phase = .tunnel
            buffer = []
            start = 0
            return held
        case .tunnel:
            defer { tunnelHeld = [] }
            return tunnelHeld
        default:
            return []
        }
    }

    /// Whether a side that begins with `prefix` speaks HTTP/1.x in `role`: the
    /// same test the stream applies to its first start line. Undecided (nil)
    /// while the first line is incomplete and shorter than the header limit.
    public static func probe(_ prefix: RawSpan, role: HTTPRole, limits: HTTPLimits = .init()) -> Bool? {
        var first = 0
        let count = prefix.byteCount
        while first < count {
            let byte = prefix.unsafeLoad(fromByteOffset: first, as: UInt8.self)
            guard byte == 0x0D || byte == 0x0A else { break }
            first += 1
        }
        guard first < count else { return nil }
        var lineEnd = first
        while lineEnd < count, prefix.unsafeLoad(fromByteOffset: lineEnd, as: UInt8.self) != 0x0A { lineEnd += 1 }
        let line = prefix.extracting(first..<lineEnd).withUnsafeBytes { Array($0) }
        if !StartLine.plausiblePrefix(line, from: 0, to: min(line.count, 16), role: role) { return false }
        guard lineEnd < count else { return count - first > limits.maxHeaderBytes ? false : nil }
        let contentEnd = line.last == 0x0D ? line.count - 1 : line.count
        return StartLine.parse(line, from: 0, to: contentEnd, role: role) != nil
    }

    /// What follows is another protocol (CONNECT tunnel, h2c): stop parsing.
    public mutating func switchToTunnel() {
        guard phase != .notHTTP else { return }
        phase = .tunnel
        buffer = []
        start = 0
    }

    // MARK: - Buffer and packet bookkeeping

    private mutating func compact() {
        if !wantsBytes {
            buffer = []
            marks = []
            start = 0
            return
        }
        if start >= buffer.count {
            bufferBase += buffer.count
            buffer.removeAll(keepingCapacity: buffer.count <= 1 << 20)
            start = 0
        } else if start > 0 && (start >= 1 << 16 || start * 2 >= buffer.count) {
            bufferBase += start
            buffer.removeFirst(start)
            start = 0
        }
        let consumedTo = bufferBase + start
        var drop = 0
        while drop < marks.count - 1, marks[drop].end <= consumedTo { drop += 1 }
        if drop > 0 { marks.removeFirst(drop) }
    }

    /// The packet that carried `buffer[index]`.
    private func packet(at index: Int) -> Int {
        let absolute = bufferBase + index
        for mark in marks where mark.end > absolute { return mark.packet }
        return lastPacket
    }

    // MARK: - Parsing

    private mutating func process(_ events: inout [HTTPStreamEvent]) {
        while true {
            switch phase {
            case .notHTTP, .tunnel, .upgradePending:
                return
            case .webSocket:
                guard var decoder = webSocket else { return }
                webSocket = nil
                let marksCopy = marks, base = bufferBase, last = lastPacket
                decoder.process(buffer, start: &start, packet: lastPacket, packetAt: { index in
                    let absolute = base + index
                    for mark in marksCopy where mark.end > absolute { return mark.packet }
                    return last
                }, events: &events)
                if decoder.failed { phase = .tunnel }
                webSocket = decoder
                return
            case .probing, .http:
                if resynchronising {
                    let from = start
                    let aligned = resynchronise()
                    reportSkipped(from: from, to: start, &events)
                    guard aligned else { return }
                }
                if body == nil {
                    guard parseHead(&events) else { return }
                } else {
                    guard consumeBody(&events) else { return }
                }
            }
        }
    }

    /// Bytes skipped by a resynchronisation go out for a raw scan, up to
    /// `maxSkippedScanBytes` a direction; the rest is only counted.
    private mutating func reportSkipped(from: Int, to end: Int, _ events: inout [HTTPStreamEvent]) {
        guard end > from else { return }
        let kept = min(end - from, max(0, limits.maxSkippedScanBytes - skippedScanned))
        if kept > 0 {
            events.append(.skipped(Array(buffer[from..<(from + kept)]), firstPacket: packet(at: from)))
            skippedScanned += kept
        }
        skippedUnscanned += end - from - kept
    }

    /// Looks for a line start holding a valid start line; true once aligned.
    private mutating func resynchronise() -> Bool {
        var candidate = start
        if !candidateAtStart {
            guard let lf = buffer[start...].firstIndex(of: 0x0A) else {
                start = buffer.count
                return false
            }
            candidate = lf + 1
        }
        while candidate < buffer.count {
            let lineEnd = buffer[candidate...].firstIndex(of: 0x0A)
            let prefixEnd = min(lineEnd ?? buffer.count, candidate + 16)
            if StartLine.plausiblePrefix(buffer, from: candidate, to: prefixEnd, role: role) {
                guard let lineEnd else {
                    // Wait for the rest of the line unless it is too long.
                    if buffer.count - candidate > limits.maxHeaderBytes { start = buffer.count; candidateAtStart = false; return false }
                    start = candidate
                    candidateAtStart = true
                    return false
                }
                let contentEnd = lineEnd > candidate && buffer[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
                if StartLine.parse(buffer, from: candidate, to: contentEnd, role: role) != nil {
                    start = candidate
                    resynchronising = false
                    candidateAtStart = false
                    return true
                }
            }
            guard let lineEnd else { break }
            candidate = lineEnd + 1
        }
        start = buffer.count
        candidateAtStart = true   // the next byte follows a line feed
        return false
    }

    private mutating func enterResync(_ why: HTTPProblem, _ events: inout [HTTPStreamEvent]) {
        events.append(.malformed(why))
        resetMessage()
        resynchronising = true
        candidateAtStart = false
    }

    private mutating func resetMessage() {
        message = nil
        body = nil
        rawBody = []
        bodyCapped = false
        bodyBytesSkipped = 0
        chunked = false
        codings = []
        trailerBytes = 0
        scanned = 0
        firstLineChecked = false
    }

    /// Parses a complete start line and header section; false when more
    /// bytes are needed or the stream stopped.
    private mutating func parseHead(_ events: inout [HTTPStreamEvent]) -> Bool {
        // Empty lines before a start line are ignored (RFC 9112 §2.2).
        if scanned == 0 {
            while start < buffer.count, buffer[start] == 0x0D || buffer[start] == 0x0A { start += 1 }
        }
        let available = buffer.count - start
        guard available > 0 else { return false }
        if !firstLineChecked {
            let prefixEnd = start + min(available, 16)
            if !StartLine.plausiblePrefix(buffer, from: start, to: prefixEnd, role: role) {
                return rejectStartLine(&events)
            }
        }
        // Find the end of the header section: a line feed followed by an empty line.
        var index = start + scanned
        var headEnd: Int?
        while index < buffer.count {
            guard let lf = buffer[index...].firstIndex(of: 0x0A) else { index = buffer.count; break }
            if !firstLineChecked {
                let contentEnd = lf > start && buffer[lf - 1] == 0x0D ? lf - 1 : lf
                guard StartLine.parse(buffer, from: start, to: contentEnd, role: role) != nil else {
                    return rejectStartLine(&events)
                }
                firstLineChecked = true
                if phase == .probing { phase = .http }
            }
            if lf + 1 >= buffer.count { index = lf; break }
            if buffer[lf + 1] == 0x0A { headEnd = lf + 2; break }
            if buffer[lf + 1] == 0x0D {
                if lf + 2 >= buffer.count { index = lf; break }
                if buffer[lf + 2] == 0x0A { headEnd = lf + 3; break }
            }
            index = lf + 1
        }
        guard let headEnd else {
            scanned = max(index - start, 0)
            if available > limits.maxHeaderBytes {
                if phase == .probing { return rejectStartLine(&events) }
                enterResync(HTTPProblem(.headTooLong, "header section over \(limits.maxHeaderBytes) bytes"), &events)
                return true
            }
            return false
        }
        if headEnd - start > limits.maxHeaderBytes {
            enterResync(HTTPProblem(.headTooLong, "header section over \(limits.maxHeaderBytes) bytes"), &events)
            return true
        }
        let firstPacket = packet(at: start)
        let headStart = start
        start = headEnd
        scanned = 0
        firstLineChecked = false
        switch buildMessage(headStart, headEnd, firstPacket: firstPacket) {
        case .failure(let why):
            enterResync(why, &events)
            candidateAtStart = true   // the next message may start right after this head
            return true
        case .success(let built, let tolerated):
            for problem in tolerated { events.append(.tolerated(problem)) }
            message = built
            return beginBody(&events)
        }
    }

    /// The first message's start line decides whether this is HTTP at all.
    private mutating func rejectStartLine(_ events: inout [HTTPStreamEvent]) -> Bool {
        if phase == .probing && !resynchronising {
            events.append(.notHTTP)
            phase = .notHTTP
            return false
        }
        enterResync(HTTPProblem(.startLine, role == .client ? "not a request line" : "not a status line"), &events)
        return true
    }

    private enum Built { case success(HTTPMessage, tolerated: [HTTPProblem]), failure(HTTPProblem) }

    /// Lines of the head → message. A line that is not a field (no colon,
    /// whitespace in or after the name) is kept aside for a raw scan, an
    /// obs-fold continues the previous field (RFC 9112 §5.2), fields past
    /// `maxHeaders` are kept aside too; each is a tolerated problem, so one
    /// bad line never hides the request and what it carries.
    private func buildMessage(_ headStart: Int, _ headEnd: Int, firstPacket: Int) -> Built {
        var lines: [Range<Int>] = []
        var lineStart = headStart
        var index = headStart
        while index < headEnd {
            if buffer[index] == 0x0A {
                let end = index > lineStart && buffer[index - 1] == 0x0D ? index - 1 : index
                lines.append(lineStart..<end)
                lineStart = index + 1
            }
            index += 1
        }
        // The last line is the empty one ending the section.
        if let last = lines.last, last.isEmpty { lines.removeLast() }
        guard let first = lines.first, let startLine = StartLine.parse(buffer, from: first.lowerBound, to: first.upperBound, role: role) else {
            return .failure(HTTPProblem(.startLine, "not a start line"))
        }
        var headers: [HTTPHeader] = []
        headers.reserveCapacity(min(lines.count - 1, limits.maxHeaders))
        var unparsed: [UInt8] = []
        var tolerated: [HTTPProblem] = []
        var folded = 0, unreadable = 0, beyondCap = 0
        for line in lines.dropFirst() {
            if headers.count >= limits.maxHeaders {
                // Past the cap, only the fields that frame the message (and say what it is) are kept.
                if case .success(let header) = parseField(line), Self.framingFields.contains(header.name.lowercased()) {
                    headers.append(header)
                    continue
                }
                beyondCap += 1
                unparsed.append(contentsOf: buffer[line])
                unparsed.append(0x0A)
                continue
            }
            switch parseField(line) {
            case .success(let header):
                headers.append(header)
            case .fold(let continuation) where !headers.isEmpty:
                folded += 1
                headers[headers.count - 1].value += " " + continuation
            case .fold, .failure:
                unreadable += 1
                unparsed.append(contentsOf: buffer[line])
                unparsed.append(0x0A)
            }
        }
        if unreadable > 0 { tolerated.append(HTTPProblem(.headerLine, "\(unreadable) header line(s) that are not fields, scanned as text")) }
        if folded > 0 { tolerated.append(HTTPProblem(.headerLine, "\(folded) obsolete line folding(s) (obs-fold) joined to the field before")) }
        if beyondCap > 0 { tolerated.append(HTTPProblem(.tooManyHeaders, "\(beyondCap) header field(s) past the first \(limits.maxHeaders), scanned as text")) }
        var message: HTTPMessage
        switch startLine {
        case let .request(method, target, version):
            message = HTTPMessage(isRequest: true, method: method, target: target, version: version, headers: headers)
            Self.splitTarget(target, method: method, into: &message)
        case let .response(version, status, reason):
            message = HTTPMessage(isRequest: false, version: version, status: status, reason: reason, headers: headers)
        }
        if message.host == nil, let host = message.header("host") { message.host = host }
        message.contentType = message.header("content-type").flatMap(HeaderText.mediaType)
        message.firstPacket = firstPacket
        message.unparsedHead = unparsed
        return .success(message, tolerated: tolerated)
    }

    static let framingFields: Set<String> = ["content-length", "transfer-encoding", "content-encoding", "content-type", "host",
                                             "connection", "upgrade"]

    private enum Field { case success(HTTPHeader), fold(String), failure(String) }

    private func parseField(_ line: Range<Int>) -> Field {
        guard let first = line.first else { return .failure("empty header line") }
        if buffer[first] == 0x20 || buffer[first] == 0x09 {
            var textStart = first
            while textStart < line.upperBound, buffer[textStart] == 0x20 || buffer[textStart] == 0x09 { textStart += 1 }
            return .fold(HeaderText.string(buffer[textStart..<line.upperBound]))
        }
        var colon = line.lowerBound
        while colon < line.upperBound, StartLine.isTokenChar(buffer[colon]) { colon += 1 }
        guard colon < line.upperBound, buffer[colon] == 0x3A, colon > line.lowerBound else {
            return .failure("header line without a field name and colon")
        }
        var valueStart = colon + 1
        var valueEnd = line.upperBound
        while valueStart < valueEnd, buffer[valueStart] == 0x20 || buffer[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, buffer[valueEnd - 1] == 0x20 || buffer[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        return .success(HTTPHeader(name: String(decoding: buffer[line.lowerBound..<colon], as: UTF8.self),
                                   value: HeaderText.string(buffer[valueStart..<valueEnd])))
    }

    /// Origin form `/p?q`, absolute form `http://h/p?q`, authority form
    /// `h:443` (CONNECT) and asterisk form `*`.
    static func splitTarget(_ target: String, method: String, into message: inout HTTPMessage) {
        if method == "CONNECT" {
            message.host = target
            return
        }
        let bytes = Array(target.utf8)
        var pathStart = 0
        if bytes.first != 0x2F, let colon = bytes.firstIndex(of: 0x3A),
           colon + 2 < bytes.count, bytes[colon + 1] == 0x2F, bytes[colon + 2] == 0x2F {
            let authorityStart = colon + 3
            var authorityEnd = authorityStart
            while authorityEnd < bytes.count, bytes[authorityEnd] != 0x2F, bytes[authorityEnd] != 0x3F, bytes[authorityEnd] != 0x23 {
                authorityEnd += 1
            }
            var hostStart = authorityStart
            if let at = bytes[authorityStart..<authorityEnd].lastIndex(of: 0x40) { hostStart = at + 1 }
            message.host = HeaderText.string(bytes[hostStart..<authorityEnd])
            pathStart = authorityEnd
        }
        var end = bytes.count
        if let hash = bytes[pathStart...].firstIndex(of: 0x23) { end = hash }
        let question = bytes[pathStart..<end].firstIndex(of: 0x3F)
        let path = HeaderText.string(bytes[pathStart..<(question ?? end)])
        message.path = path.isEmpty ? "/" : path
        if let question { message.query = HeaderText.string(bytes[(question + 1)..<end]) }
    }

    // MARK: - Body framing (RFC 9112 §6)

    private enum Length { case none, value(Int), invalid(String), implausible(String) }

    private func contentLength(_ message: HTTPMessage) -> Length {
        let values = HeaderText.listMembers(message.headers(named: "content-length"))
        guard let first = values.first else { return .none }
        guard values.allSatisfy({ $0 == first }) else { return .invalid("conflicting Content-Length values") }
        guard !first.isEmpty, first.utf8.allSatisfy(StartLine.isDigit) else { return .invalid("Content-Length \(first) is not a number") }
        var value = 0
        for digit in first.utf8 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(digit - 0x30))
            guard !o1, !o2 else { return .implausible("Content-Length \(first) overflows") }
            value = sum
        }
        guard value <= limits.maxDeclaredLength else { return .implausible("Content-Length \(first) is implausible") }
        return .value(value)
    }

    private mutating func beginBody(_ events: inout [HTTPStreamEvent]) -> Bool {
        guard let message else { return true }
        let transfer = HeaderText.listMembers(message.headers(named: "transfer-encoding"))
        let content = HeaderText.listMembers(message.headers(named: "content-encoding"))
        // Transfer codings were applied after content codings, so they are
        // undone first; each list is undone last-applied first.
        var undo = Array(transfer.reversed())
        if undo.first == "chunked" { undo.removeFirst(); chunked = true }
        codings = (undo + content.reversed()).filter { $0 != "identity" }

        var noBody = false
        if message.isRequest {
            if !transfer.isEmpty && !chunked {
                return malformedBody(HTTPProblem(.bodyFraming, "request Transfer-Encoding does not end in chunked"), &events)
            }
            if !chunked, case .none = contentLength(message) { noBody = true }
        } else {
            let status = message.status ?? 0
            var method = "GET"
            if status >= 200 || status == 101 {
                if pendingIndex < pendingMethods.count {
                    method = pendingMethods[pendingIndex]
                    pendingIndex += 1
                    if pendingIndex > 64 { pendingMethods.removeFirst(pendingIndex); pendingIndex = 0 }
                }
            }
            answeredMethod = method
            if method == "HEAD" || status < 200 || status == 204 || status == 304 { noBody = true }
            if method == "CONNECT" && (200..<300).contains(status) { noBody = true }
        }
        if noBody {
            chunked = false
            completeHead(&events)
            return true
        }
        if chunked {
            body = .chunkSize
        } else if !transfer.isEmpty {
            body = .untilClose   // a response whose transfer coding is not chunked
        } else {
            switch contentLength(message) {
            case .invalid(let why):
                return malformedBody(HTTPProblem(.bodyFraming, why), &events)
            case .implausible(let why):
                return malformedBody(HTTPProblem(.declaredLength, why), &events)
            case .value(0):
                completeHead(&events)
                return true
            case .value(let length):
                body = .length(remaining: length)
            case .none:
                body = .untilClose
            }
        }
        return true
    }

    /// Framing is broken: hand out the head (its fields still matter), then
    /// resynchronise.
    private mutating func malformedBody(_ why: HTTPProblem, _ events: inout [HTTPStreamEvent]) -> Bool {
        completeMessage(&events, cut: true)
        enterResync(why, &events)
        return true
    }

    private mutating func completeHead(_ events: inout [HTTPStreamEvent]) {
        body = .length(remaining: 0)
        completeMessage(&events, cut: false)
    }

    private mutating func appendBody(_ from: Int, _ count: Int) {
        let room = limits.maxBodyBytes - rawBody.count
        if count > room {
            if room > 0 { rawBody.append(contentsOf: buffer[from..<(from + room)]) }
            bodyCapped = true
            bodyBytesSkipped += count - max(room, 0)
        } else {
            rawBody.append(contentsOf: buffer[from..<(from + count)])
        }
    }

    private mutating func consumeBody(_ events: inout [HTTPStreamEvent]) -> Bool {
        guard let state = body else { return false }
        let available = buffer.count - start
        switch state {
        case .length(let remaining):
            let take = min(remaining, available)
            appendBody(start, take)
            start += take
            if remaining - take == 0 {
                completeMessage(&events, cut: false)
                return true
            }
            body = .length(remaining: remaining - take)
            return false
        case .untilClose:
            appendBody(start, available)
            start += available
            return false
        case .chunkData(let remaining):
            let take = min(remaining, available)
            appendBody(start, take)
            start += take
            if remaining - take == 0 {
                body = .chunkDataEnd
                return true
            }
            body = .chunkData(remaining: remaining - take)
            return false
        case .chunkDataEnd:
            guard available >= 1 else { return false }
            if buffer[start] == 0x0A { start += 1 }
            else if buffer[start] == 0x0D {
                guard available >= 2 else { return false }
                guard buffer[start + 1] == 0x0A else { return malformedBody(HTTPProblem(.bodyFraming, "chunk data not followed by CRLF"), &events) }
                start += 2
            } else {
                return malformedBody(HTTPProblem(.bodyFraming, "chunk data longer than its size"), &events)
            }
            body = .chunkSize
            return true
        case .chunkSize:
            guard let lf = buffer[start...].firstIndex(of: 0x0A) else {
                if available > 4096 { return malformedBody(HTTPProblem(.bodyFraming, "chunk size line over 4096 bytes"), &events) }
                return false
            }
            if lf - start > 4096 { return malformedBody(HTTPProblem(.bodyFraming, "chunk size line over 4096 bytes"), &events) }
            var index = start
            var size = 0
            var digits = 0
            while index < lf, let value = Self.hexValue(buffer[index]) {
                digits += 1
                guard digits <= 15 else { return malformedBody(HTTPProblem(.declaredLength, "chunk size overflows"), &events) }
                size = size << 4 | value
                index += 1
            }
            guard digits > 0 else { return malformedBody(HTTPProblem(.bodyFraming, "chunk size is not hexadecimal"), &events) }
            guard size <= limits.maxDeclaredLength else { return malformedBody(HTTPProblem(.declaredLength, "chunk size \(size) is implausible"), &events) }
            // Optional whitespace, then extensions (ignored) or the line end.
            while index < lf, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
            if index < lf, buffer[index] != 0x3B, !(buffer[index] == 0x0D && index + 1 == lf) {
                return malformedBody(HTTPProblem(.bodyFraming, "junk after the chunk size"), &events)
            }
            start = lf + 1
            body = size == 0 ? .trailers : .chunkData(remaining: size)
            return true
        case .trailers:
            guard let lf = buffer[start...].firstIndex(of: 0x0A) else {
                if trailerBytes + available > limits.maxHeaderBytes { return malformedBody(HTTPProblem(.bodyFraming, "trailer section too long"), &events) }
                return false
            }
            let end = lf > start && buffer[lf - 1] == 0x0D ? lf - 1 : lf
            let line = start..<end
            trailerBytes += lf + 1 - start
            start = lf + 1
            if line.isEmpty {
                completeMessage(&events, cut: false)
                return true
            }
            guard trailerBytes <= limits.maxHeaderBytes, (message?.trailers.count ?? 0) < limits.maxHeaders else {
                return malformedBody(HTTPProblem(.bodyFraming, "trailer section too long"), &events)
            }
            switch parseField(line) {
            case .success(let header): message?.trailers.append(header)
            case .fold(let continuation):
                guard let last = message?.trailers.indices.last else { return malformedBody(HTTPProblem(.bodyFraming, "a trailer section starts with a folded line"), &events) }
                message?.trailers[last].value += " " + continuation
            case .failure(let why): return malformedBody(HTTPProblem(.bodyFraming, why), &events)
            }
            return true
        }
    }

    @inline(__always) private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// Decodes the body, emits the message and applies what it means for
    /// the connection (upgrade, tunnel).
    private mutating func completeMessage(_ events: inout [HTTPStreamEvent], cut: Bool) {
        guard var done = message else { return }
        done.lastPacket = lastPacket
        var steps: [String] = chunked ? ["chunked"] : []
        var bodyBytes = rawBody
        var truncated = cut || bodyCapped
        rawBody = []
        if !bodyBytes.isEmpty {
            for coding in codings {
                guard let result = Decompression.decode(coding, bodyBytes, limit: limits.maxDecompressedBytes) else {
                    events.append(.malformed(HTTPProblem(.contentCoding, "unknown coding \(coding); body left encoded")))
                    break
                }
                if result.output.isEmpty && (result.failed || !result.ended) {
                    events.append(.malformed(HTTPProblem(.contentCoding, "\(coding) body does not decompress; left encoded")))
                    break
                }
                if result.failed { events.append(.malformed(HTTPProblem(.contentCoding, "\(coding) body corrupt after \(result.output.count) bytes"))) }
                bodyBytes = result.output
                steps.append(coding)
                if result.capped || result.failed || !result.ended { truncated = true }
                if result.capped { done.capsHit.append(.decompressedBytes) }
            }
        }
        if bodyCapped {
            done.capsHit.append(.bodyBytes)
            done.bodyBytesSkipped = bodyBytesSkipped
        }
        bodyBytesSkipped = 0
        done.body = bodyBytes
        done.bodyDecoding = steps
        done.bodyTruncated = truncated
        events.append(.message(done))
        resetMessage()
        guard phase == .http else { return }
        if done.isRequest {
            if done.method == "CONNECT" || done.requestsUpgrade { phase = .upgradePending }
        } else if done.status == 101 {
            phase = .upgradePending
        } else if let status = done.status, (200..<300).contains(status), answeredMethod == "CONNECT" {
            phase = .tunnel
            tunnelHeld = Array(buffer[start...])
        }
    }
}
