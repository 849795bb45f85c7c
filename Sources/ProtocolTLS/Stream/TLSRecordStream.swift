import TLSModel
import WireBytes

/// TLS record content types (RFC 8446 §5.1).
public enum TLSContentType: UInt8, Sendable {
    case changeCipherSpec = 20
    case alert = 21
    case handshake = 22
    case applicationData = 23
    case heartbeat = 24
}

/// Record-layer trouble a consumer is told about; the stream recovers by
/// searching for the next record boundary.
public enum TLSRecordProblem: Sendable {
    /// A header whose type, version or length cannot be TLS.
    case recordHeaderInvalid
    /// A handshake message longer than `TLSRecordStream.maximumHandshakeMessage`.
    case handshakeMessageTooLong
    /// No record boundary within the search window: this side is not TLS (any more).
    case lostSynchronisation
}

/// What one side of a TLS connection says, as it is parsed. Spans are
/// borrowed: valid only during the call.
public protocol TLSRecordConsumer {
    /// A complete handshake message: its type byte and body (after the 4-byte header).
    func handshakeMessage(_ type: UInt8, body: RawSpan, recordVersion: ProtocolVersion)
    /// An SSL 2.0-compatible ClientHello: the bytes after the 2-byte v2 record header.
    func sslv2ClientHello(body: RawSpan)
    /// A ChangeCipherSpec record; the answer says whether what follows on this
    /// side is encrypted (TLS 1.2 and older, TLCP), or not (TLS 1.3's
    /// middlebox-compatibility CCS).
    func changeCipherSpec() -> Bool
    func alert(level: UInt8, description: UInt8)
    /// A record that cannot be plaintext any more (application data, or an alert
    /// record of the wrong length).
    func encryptedRecord()
    func recordProblem(_ problem: TLSRecordProblem, _ detail: String)
    /// After a gap or a bad record, `skipped` bytes were passed over to reach a record boundary.
    func resynchronised(skipped: Int)
}

/// One side of a TLS (or TLCP) byte stream → records → handshake messages.
///
/// Zero-copy where a borrowed span serves: a record that lies whole inside
/// the bytes being fed is parsed in place, and so are the handshake messages
/// inside it. Only a record cut by a segment boundary is copied (into
/// `pending`, at most one record), and only a handshake message spread over
/// several records is assembled (into `handshake`, bounded by
/// `maximumHandshakeMessage`). Once the side is encrypted nothing is kept.
public struct TLSRecordStream: Sendable {
    public enum Phase: Sendable, Equatable {
        case records
        case encrypted
        /// No record boundary found within the window: not TLS.
        case notTLS
    }

    public private(set) var phase: Phase = .records
    /// An incomplete record (header and part of its body), or while
    /// resynchronising every byte not yet searched.
    private var pending: [UInt8] = []
    private var handshake: [UInt8] = []
    private var handshakeRecordVersion = ProtocolVersion(0)
    /// The next bytes may begin inside a record (a gap, a mid-stream start, a bad header).
    private var resynchronising: Bool
    private var skippedWhileSearching = 0

    /// A record body is at most 2^14 + 2048 bytes (RFC 5246 §6.2.3); a
    /// handshake message is buffered up to 256 KiB (certificate chains).
    public static let maximumRecordLength = 16_384 + 2_048
    public static let maximumHandshakeMessage = 256 << 10
    /// How far to search for a record boundary before calling the side not TLS.
    public static let resynchronisationWindow = 64 << 10

    public init(afterGap: Bool = false) {
        resynchronising = afterGap
    }

    public var wantsBytes: Bool { phase == .records }

    /// Bytes were lost: drop partial state and look for the next plausible header.
    public mutating func noteGap() {
        guard phase == .records else { return }
        pending.removeAll(keepingCapacity: true)
        handshake.removeAll(keepingCapacity: true)
        resynchronising = true
    }

    /// Once the side turned out not to be TLS, the bytes held back (they belong
    /// to whatever protocol this is); empty afterwards.
    public mutating func takeHeldBytes() -> [UInt8] {
        defer { pending = [] }
        return pending
    }

    /// Parses what `bytes` complete, telling `consumer` in order.
    public mutating func feed<Consumer: TLSRecordConsumer>(_ bytes: RawSpan, to consumer: Consumer) {
        guard phase == .records, bytes.byteCount > 0 else { return }
        var input = bytes
        if !resynchronising && !pending.isEmpty {
            // Complete the record the last feed left unfinished, copying only what it lacks.
            if pending.count < 5 {
                let take = min(5 - pending.count, input.byteCount)
                append(input.extracting(0..<take), to: &pending)
                input = input.extracting(take..<input.byteCount)
                if pending.count < 5 { return }
            }
            if Self.plausibleHeader(pending, 0) {
                let total = 5 + (Int(pending[3]) << 8 | Int(pending[4]))
                let take = min(total - pending.count, input.byteCount)
                append(input.extracting(0..<take), to: &pending)
                input = input.extracting(take..<input.byteCount)
                guard pending.count == total else { return }
                let record = pending
                pending.removeAll(keepingCapacity: true)
                record.withUnsafeBytes { raw in processRecord(RawSpan(_unsafeBytes: raw), consumer) }
                guard phase == .records else { return }
            } else {
                pending.withUnsafeBytes { raw in reportBadHeader(RawSpan(_unsafeBytes: raw).extracting(0..<5), consumer) }
                resynchronising = true
            }
        }
        if resynchronising {
            append(input, to: &pending)
        } else {
            drain(input, consumer)
        }
        resynchronise(consumer)
    }

    /// Parses every whole record in `input` in place and keeps the unfinished
    /// tail; at a bad header, keeps everything from there and marks the side
    /// resynchronising.
    private mutating func drain<Consumer: TLSRecordConsumer>(_ input: RawSpan, _ consumer: Consumer) {
        var offset = 0
        let count = input.byteCount
        while phase == .records, count - offset >= 5 {
            let header = input.extracting(offset..<(offset + 5))
            guard Self.plausibleHeader(header) else {
                reportBadHeader(header, consumer)
                resynchronising = true
                break
            }
            let length = Int(header.unsafeLoad(fromByteOffset: 3, as: UInt8.self)) << 8
                | Int(header.unsafeLoad(fromByteOffset: 4, as: UInt8.self))
            guard count - offset >= 5 + length else { break }
            processRecord(input.extracting(offset..<(offset + 5 + length)), consumer)
            offset += 5 + length
        }
        if phase == .records, offset < count { append(input.extracting(offset..<count), to: &pending) }
    }

    /// While resynchronising, every unsearched byte is in `pending`: search it
    /// for a header that is plausible and, when its record is complete,
    /// followed by another plausible header; parse on from there. A loop, not
    /// recursion: each bad header costs one turn and at least one byte.
    private mutating func resynchronise<Consumer: TLSRecordConsumer>(_ consumer: Consumer) {
        while resynchronising && phase == .records {
            var position = 0
            var found = false
            while pending.count - position >= 5 {
                if Self.plausibleHeader(pending, position) {
                    let next = position + 5 + (Int(pending[position + 3]) << 8 | Int(pending[position + 4]))
                    if next + 5 > pending.count || Self.plausibleHeader(pending, next) {
                        found = true
                        break
                    }
                }
                position += 1
                skippedWhileSearching += 1
                if skippedWhileSearching > Self.resynchronisationWindow {
                    phase = .notTLS
                    consumer.recordProblem(.lostSynchronisation, "no TLS record boundary within \(Self.resynchronisationWindow) bytes")
                    return
                }
            }
            guard found else {
                // Keep only what could still begin a header; the rest was searched.
                if position > 0 { pending.removeFirst(position) }
                return
            }
            if skippedWhileSearching > 0 { consumer.resynchronised(skipped: skippedWhileSearching) }
            skippedWhileSearching = 0
            resynchronising = false
            let rest = Array(pending[position...])
            pending.removeAll(keepingCapacity: true)
            rest.withUnsafeBytes { raw in drain(RawSpan(_unsafeBytes: raw), consumer) }
        }
    }

    private mutating func processRecord<Consumer: TLSRecordConsumer>(_ record: RawSpan, _ consumer: Consumer) {
        let type = record.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        let version = ProtocolVersion(UInt16(record.unsafeLoad(fromByteOffset: 1, as: UInt8.self)) << 8
                                      | UInt16(record.unsafeLoad(fromByteOffset: 2, as: UInt8.self)))
        let body = record.extracting(5..<record.byteCount)
        switch TLSContentType(rawValue: type) {
        case .handshake:
            if handshake.isEmpty {
                handshakeRecordVersion = version
                drainHandshake(body, consumer)
            } else {
                append(body, to: &handshake)
                let assembled = handshake
                handshake.removeAll(keepingCapacity: true)
                assembled.withUnsafeBytes { raw in drainHandshake(RawSpan(_unsafeBytes: raw), consumer) }
            }
        case .changeCipherSpec:
            if consumer.changeCipherSpec() {
                // What follows on this side is encrypted (the Finished message).
                phase = .encrypted
                pending = []
                handshake = []
            }
        case .alert:
            if body.byteCount == 2 {
                consumer.alert(level: body.unsafeLoad(fromByteOffset: 0, as: UInt8.self),
                               description: body.unsafeLoad(fromByteOffset: 1, as: UInt8.self))
            } else {
                // An alert record of any other length is an encrypted one.
                consumer.encryptedRecord()
            }
        case .applicationData:
            consumer.encryptedRecord()
            phase = .encrypted
            pending = []
            handshake = []
        case .heartbeat, .none:
            break
        }
    }

    /// Hands out every whole message in `bytes` in place; an unfinished one waits in `handshake`.
    private mutating func drainHandshake<Consumer: TLSRecordConsumer>(_ bytes: RawSpan, _ consumer: Consumer) {
        var offset = 0
        let count = bytes.byteCount
        while count - offset >= 4 {
            let type = bytes.unsafeLoad(fromByteOffset: offset, as: UInt8.self)
            let length = Int(bytes.unsafeLoad(fromByteOffset: offset + 1, as: UInt8.self)) << 16
                | Int(bytes.unsafeLoad(fromByteOffset: offset + 2, as: UInt8.self)) << 8
                | Int(bytes.unsafeLoad(fromByteOffset: offset + 3, as: UInt8.self))
            if length > Self.maximumHandshakeMessage {
                consumer.recordProblem(.handshakeMessageTooLong,
                                       "handshake message type \(type) claims \(length) bytes (limit \(Self.maximumHandshakeMessage))")
                return
            }
            guard count - offset >= 4 + length else { break }
            consumer.handshakeMessage(type, body: bytes.extracting((offset + 4)..<(offset + 4 + length)),
                                      recordVersion: handshakeRecordVersion)
            offset += 4 + length
            if phase != .records { return }
        }
        if offset < count { append(bytes.extracting(offset..<count), to: &handshake) }
    }

    private func reportBadHeader<Consumer: TLSRecordConsumer>(_ header: RawSpan, _ consumer: Consumer) {
        let type = header.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        let version = UInt16(header.unsafeLoad(fromByteOffset: 1, as: UInt8.self)) << 8 | UInt16(header.unsafeLoad(fromByteOffset: 2, as: UInt8.self))
        let length = Int(header.unsafeLoad(fromByteOffset: 3, as: UInt8.self)) << 8 | Int(header.unsafeLoad(fromByteOffset: 4, as: UInt8.self))
        consumer.recordProblem(.recordHeaderInvalid, "record header \(type)/\(Hex.code16(version))/\(length) is not TLS")
    }

    private func append(_ span: RawSpan, to array: inout [UInt8]) {
        span.withUnsafeBytes { array.append(contentsOf: $0) }
    }

    // MARK: recognising TLS

    /// A record header whose type, version and length could all be TLS or TLCP.
    public static func plausibleHeader(_ header: RawSpan) -> Bool {
        guard header.byteCount >= 5 else { return false }
        let type = header.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        guard (20...24).contains(type) else { return false }
        let major = header.unsafeLoad(fromByteOffset: 1, as: UInt8.self)
        let minor = header.unsafeLoad(fromByteOffset: 2, as: UInt8.self)
        guard (major == 3 && minor <= 4) || (major == 1 && minor == 1) else { return false }
        let length = Int(header.unsafeLoad(fromByteOffset: 3, as: UInt8.self)) << 8 | Int(header.unsafeLoad(fromByteOffset: 4, as: UInt8.self))
        return length <= maximumRecordLength && (length > 0 || type == 23)
    }

    static func plausibleHeader(_ bytes: [UInt8], _ offset: Int) -> Bool {
        guard offset >= 0, offset + 5 <= bytes.count else { return false }
        return bytes.withUnsafeBytes { plausibleHeader(RawSpan(_unsafeBytes: $0).extracting(offset..<(offset + 5))) }
    }

    /// First bytes that might still become a TLS record or an SSLv2 hello.
    public static func couldStartTLS(_ prefix: RawSpan) -> Bool {
        guard prefix.byteCount >= 1 else { return true }
        let first = prefix.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        if first & 0x80 != 0 { return true }
        guard (20...24).contains(first) else { return false }
        if prefix.byteCount >= 2 {
            let major = prefix.unsafeLoad(fromByteOffset: 1, as: UInt8.self)
            return major == 3 || major == 1
        }
        return true
    }

    /// RFC 5246 Appendix E.2: msg_length with the high bit set, msg_type 1,
    /// then a version of SSL 2.0 (0x0002) or SSL 3.0 and later.
    public static func isSSLv2ClientHello(_ prefix: RawSpan) -> Bool {
        guard prefix.byteCount >= 5 else { return false }
        guard prefix.unsafeLoad(fromByteOffset: 0, as: UInt8.self) & 0x80 != 0,
              prefix.unsafeLoad(fromByteOffset: 2, as: UInt8.self) == 1 else { return false }
        let major = prefix.unsafeLoad(fromByteOffset: 3, as: UInt8.self)
        let minor = prefix.unsafeLoad(fromByteOffset: 4, as: UInt8.self)
        return (major == 0 && minor == 2) || (major == 3 && minor <= 4)
    }

    /// The SSLv2 record at the start of `prefix`, header included, when it is complete.
    public static func sslv2RecordLength(_ prefix: RawSpan) -> Int? {
        guard prefix.byteCount >= 2 else { return nil }
        let length = Int(prefix.unsafeLoad(fromByteOffset: 0, as: UInt8.self) & 0x7F) << 8 | Int(prefix.unsafeLoad(fromByteOffset: 1, as: UInt8.self))
        return 2 + length
    }

    /// Searches `bytes` (a side seen from its middle, or after a gap) for a
    /// record boundary as `feed` would: a plausible header followed, when its
    /// record is complete, by another. Nil while undecided; the offset once found.
    public static func findRecordBoundary(_ bytes: RawSpan) -> Int? {
        var position = 0
        let count = bytes.byteCount
        while count - position >= 5 {
            if plausibleHeader(bytes.extracting(position..<(position + 5))) {
                let next = position + 5 + (Int(bytes.unsafeLoad(fromByteOffset: position + 3, as: UInt8.self)) << 8
                                           | Int(bytes.unsafeLoad(fromByteOffset: position + 4, as: UInt8.self)))
                if next + 5 > count || plausibleHeader(bytes.extracting(next..<(next + 5))) { return position }
            }
            position += 1
        }
        return nil
    }
}

extension TLSRecordStream {
    /// Where, in bytes of a plaintext protocol, a TLS connection begins (an
    /// upgrade: STARTTLS, SSLRequest, a SOCKS or CONNECT tunnel): a handshake
    /// record header (type 22, version 3.0–3.4, a record length) whose first
    /// message is a ClientHello (from the client) or a ServerHello (from the
    /// server) no longer than 64 KiB. Searches from `start`; a candidate cut by
    /// the end of `bytes` is reported as `partial` so the caller can wait.
    public static func findHandshakeStart(_ bytes: RawSpan, from start: Int, client: Bool) -> (offset: Int?, partialAt: Int?) {
        bytes.withUnsafeBytes { raw in findHandshakeStart(raw, from: start, client: client) }
    }

    static func findHandshakeStart(_ raw: UnsafeRawBufferPointer, from start: Int, client: Bool) -> (offset: Int?, partialAt: Int?) {
        let count = raw.count
        let wanted: UInt8 = client ? 1 : 2
        var position = max(0, start)
        while position < count {
            guard raw[position] == 22 else {
                position += 1
                continue
            }
            if count - position < 9 {
                // Could still be a header: every byte present so far fits.
                var fits = true
                if count - position > 1 { fits = raw[position + 1] == 3 }
                if fits, count - position > 2 { fits = raw[position + 2] <= 4 }
                if fits, count - position > 5 { fits = raw[position + 5] == wanted }
                if fits { return (nil, position) }
                position += 1
                continue
            }
            let recordLength = Int(raw[position + 3]) << 8 | Int(raw[position + 4])
            let messageLength = Int(raw[position + 6]) << 16 | Int(raw[position + 7]) << 8 | Int(raw[position + 8])
            if raw[position + 1] == 3, raw[position + 2] <= 4, recordLength >= 4, recordLength <= maximumRecordLength,
               raw[position + 5] == wanted, messageLength > 0, messageLength <= 64 << 10 {
                return (position, nil)
            }
            position += 1
        }
        return (nil, nil)
    }
}
