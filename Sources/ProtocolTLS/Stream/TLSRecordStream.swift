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

/// What one direction of a TLS connection said, in order.
public enum TLSStreamEvent: Sendable {
    /// A complete handshake message: type and body (after the 4-byte header).
    case handshake(type: UInt8, body: [UInt8], recordVersion: ProtocolVersion)
    /// An SSL 2.0-compatible ClientHello: the bytes after the 2-byte record header.
    case sslv2ClientHello(body: [UInt8])
    case changeCipherSpec
    case alert(level: UInt8, description: UInt8)
    /// A record that cannot be plaintext any more (application data, or
    /// anything after the direction switched to encryption).
    case encrypted
    case malformed(String)
    /// After a gap or a mid-stream start, bytes skipped to reach a record boundary.
    case resynchronised(skipped: Int)
}

/// One direction of a TLS (or TLCP) byte stream → records → handshake
/// messages. Records may be split across segments and several messages may
/// share a record or span records: bytes are buffered until complete. Only
/// the plaintext handshake phase is parsed; once the direction is encrypted
/// the stream stops buffering.
public struct TLSRecordStream: Sendable {
    public enum Phase: Sendable, Equatable {
        /// Waiting for the first bytes to decide whether this is TLS.
        case probing
        case records
        case encrypted
        case notTLS
    }

    public private(set) var phase: Phase = .probing
    private var buffer: [UInt8] = []
    private var handshakeBuffer: [UInt8] = []
    private var handshakeRecordVersion = ProtocolVersion(0)
    /// Set after a gap or a mid-stream start: the next bytes may begin inside a record.
    private var resynchronising = false
    private var skippedWhileSearching = 0
    /// Bytes passed over while looking for the first record boundary of a
    /// stream seen from its middle: if it is not TLS after all, they belong
    /// to the plaintext analysis (bounded by the resynchronisation window).
    private var probeSkipped: [UInt8] = []

    /// Bounds: a record body is at most 2^14 + 2048 bytes (RFC 5246 §6.2.3);
    /// a handshake message we buffer at most 256 KiB (certificate chains).
    public static let maximumRecordLength = 16_384 + 2_048
    public static let maximumHandshakeMessage = 256 << 10
    /// How far to search for a record boundary before calling the stream not TLS.
    public static let resynchronisationWindow = 64 << 10

    public init(startsMidStream: Bool = false) {
        resynchronising = startsMidStream
    }

    /// The bytes of a capture-gap were lost: drop partial state and look for
    /// the next plausible record header.
    public mutating func noteGap() {
        guard phase == .records || phase == .probing else { return }
        buffer.removeAll(keepingCapacity: true)
        handshakeBuffer.removeAll(keepingCapacity: true)
        resynchronising = true
    }

    /// The peer's protocol state says this direction is now encrypted (after
    /// ChangeCipherSpec in TLS 1.2 and older, or after the ServerHello in TLS 1.3).
    public mutating func markEncrypted() {
        if phase != .notTLS { phase = .encrypted }
        buffer = []
        handshakeBuffer = []
    }

    public var wantsBytes: Bool { phase == .probing || phase == .records }

    /// The stream ended while still looking for its first record (a capture
    /// that starts mid-stream, never resynchronised): it was not TLS.
    public mutating func concludeProbe() {
        if phase == .probing && !(buffer.isEmpty && probeSkipped.isEmpty) { phase = .notTLS }
    }

    /// Once the stream turned out not to be TLS, the bytes it held back (they
    /// belong to whatever protocol this is); empty afterwards.
    public mutating func takeUnclaimedBytes() -> [UInt8] {
        guard phase == .notTLS else { return [] }
        defer {
            buffer = []
            probeSkipped = []
        }
        return probeSkipped + buffer
    }

    /// Whether a ChangeCipherSpec switches this direction to encryption: true
    /// for TLS 1.2 and older (and before the version is known), false once a
    /// ServerHello chose TLS 1.3, whose middlebox-compatibility CCS changes nothing.
    public var changeCipherSpecEncrypts = true

    /// Appends bytes and returns what they completed, in order.
    public mutating func feed(_ bytes: RawSpan) -> [TLSStreamEvent] {
        guard wantsBytes else { return [] }
        bytes.withUnsafeBytes { buffer.append(contentsOf: $0) }
        var events: [TLSStreamEvent] = []
        process(&events)
        return events
    }

    private mutating func process(_ events: inout [TLSStreamEvent]) {
        var consumed = 0
        defer {
            if consumed > 0 {
                if consumed >= buffer.count { buffer.removeAll(keepingCapacity: true) }
                else { buffer.removeFirst(consumed) }
            }
        }
        while wantsBytes {
            let available = buffer.count - consumed
            if phase == .probing || resynchronising {
                guard available >= 5 else {
                    if phase == .probing, available >= 1, !Self.couldStartTLS(buffer, at: consumed, count: available) {
                        if !resynchronising { phase = .notTLS }
                    }
                    return
                }
                if phase == .probing && !resynchronising {
                    if Self.isSSLv2ClientHello(buffer, at: consumed) {
                        let length = Int(buffer[consumed] & 0x7F) << 8 | Int(buffer[consumed + 1])
                        guard available >= 2 + length else { return }
                        events.append(.sslv2ClientHello(body: Array(buffer[(consumed + 2)..<(consumed + 2 + length)])))
                        consumed += 2 + length
                        phase = .records
                        continue
                    }
                    if !Self.plausibleHeader(buffer, at: consumed) {
                        phase = .notTLS
                        return
                    }
                    phase = .records
                } else {
                    // Search for a header that is plausible and, when its record is
                    // complete in the buffer, followed by another plausible header.
                    var found = false
                    while buffer.count - consumed >= 5 {
                        if Self.plausibleHeader(buffer, at: consumed) {
                            let length = Int(buffer[consumed + 3]) << 8 | Int(buffer[consumed + 4])
                            let next = consumed + 5 + length
                            if next + 5 <= buffer.count {
                                if Self.plausibleHeader(buffer, at: next) { found = true; break }
                            } else {
                                found = true
                                break
                            }
                        }
                        if phase == .probing { probeSkipped.append(buffer[consumed]) }
                        consumed += 1
                        skippedWhileSearching += 1
                        if skippedWhileSearching > Self.resynchronisationWindow {
                            phase = .notTLS
                            return
                        }
                    }
                    guard found else { return }
                    if skippedWhileSearching > 0 { events.append(.resynchronised(skipped: skippedWhileSearching)) }
                    skippedWhileSearching = 0
                    resynchronising = false
                    probeSkipped = []
                    if phase == .probing { phase = .records }
                }
                continue
            }
            guard available >= 5 else { return }
            let type = buffer[consumed]
            let version = ProtocolVersion(UInt16(buffer[consumed + 1]) << 8 | UInt16(buffer[consumed + 2]))
            let length = Int(buffer[consumed + 3]) << 8 | Int(buffer[consumed + 4])
            guard Self.plausibleHeader(buffer, at: consumed) else {
                events.append(.malformed("record header \(type)/\(Hex.code16(version.rawValue))/\(length) is not TLS"))
                resynchronising = true
                continue
            }
            guard available >= 5 + length else { return }
            let body = consumed + 5
            consumed += 5 + length
            switch TLSContentType(rawValue: type) {
            case .handshake:
                if handshakeBuffer.isEmpty { handshakeRecordVersion = version }
                handshakeBuffer.append(contentsOf: buffer[body..<(body + length)])
                drainHandshake(&events)
            case .changeCipherSpec:
                events.append(.changeCipherSpec)
                if changeCipherSpecEncrypts {
                    // What follows in this direction is encrypted (the Finished message).
                    phase = .encrypted
                    buffer = []
                    handshakeBuffer = []
                    consumed = 0
                    return
                }
            case .alert:
                if length == 2 {
                    events.append(.alert(level: buffer[body], description: buffer[body + 1]))
                } else {
                    // An alert record of any other length is an encrypted one.
                    events.append(.encrypted)
                }
            case .applicationData:
                events.append(.encrypted)
                phase = .encrypted
                buffer = []
                handshakeBuffer = []
                consumed = 0
                return
            case .heartbeat, .none:
                break
            }
        }
    }

    private mutating func drainHandshake(_ events: inout [TLSStreamEvent]) {
        var offset = 0
        while handshakeBuffer.count - offset >= 4 {
            let type = handshakeBuffer[offset]
            let length = Int(handshakeBuffer[offset + 1]) << 16 | Int(handshakeBuffer[offset + 2]) << 8 | Int(handshakeBuffer[offset + 3])
            if length > Self.maximumHandshakeMessage {
                events.append(.malformed("handshake message type \(type) claims \(length) bytes (limit \(Self.maximumHandshakeMessage))"))
                handshakeBuffer.removeAll()
                return
            }
            guard handshakeBuffer.count - offset >= 4 + length else { break }
            let body = Array(handshakeBuffer[(offset + 4)..<(offset + 4 + length)])
            if type == 2 { noteServerHello(body) }
            events.append(.handshake(type: type, body: body, recordVersion: handshakeRecordVersion))
            offset += 4 + length
            if phase != .records { break }
        }
        if offset > 0 {
            if offset >= handshakeBuffer.count { handshakeBuffer.removeAll(keepingCapacity: true) }
            else { handshakeBuffer.removeFirst(offset) }
        }
    }

    /// A ServerHello in this direction tells whether its own ChangeCipherSpec,
    /// possibly in the same segment, starts encryption.
    private mutating func noteServerHello(_ body: [UInt8]) {
        let version: ProtocolVersion? = body.withUnsafeBytes { raw -> ProtocolVersion? in
            var reader = ByteReader(RawSpan(_unsafeBytes: raw))
            return (try? ServerHello(parsing: &reader))?.negotiatedVersion
        }
        if let version { changeCipherSpecEncrypts = version < .tls13 }
    }

    /// A record header whose type, version and length could all be TLS or TLCP.
    static func plausibleHeader(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset + 5 <= bytes.count else { return false }
        let type = bytes[offset]
        guard (20...24).contains(type) else { return false }
        let major = bytes[offset + 1]
        let minor = bytes[offset + 2]
        let versionOK = (major == 3 && minor <= 4) || (major == 1 && minor == 1)
        guard versionOK else { return false }
        let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
        return length <= maximumRecordLength && (length > 0 || type == 23)
    }

    /// First bytes that might still become a TLS record or an SSLv2 hello.
    static func couldStartTLS(_ bytes: [UInt8], at offset: Int, count: Int) -> Bool {
        let first = bytes[offset]
        if first & 0x80 != 0 { return true }
        guard (20...24).contains(first) else { return false }
        if count >= 2 { return bytes[offset + 1] == 3 || bytes[offset + 1] == 1 }
        return true
    }

    /// RFC 5246 Appendix E.2: msg_length with the high bit set, msg_type 1,
    /// then a version of SSL 2.0 (0x0002) or SSL 3.0 and later.
    static func isSSLv2ClientHello(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset + 5 <= bytes.count, bytes[offset] & 0x80 != 0, bytes[offset + 2] == 1 else { return false }
        let major = bytes[offset + 3]
        let minor = bytes[offset + 4]
        return (major == 0 && minor == 2) || (major == 3 && minor <= 4)
    }
}
