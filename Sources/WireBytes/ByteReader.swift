/// A bounds-checked, zero-copy cursor over bytes that live elsewhere (a capture
/// window, a reassembled stream). Every read checks the remaining length first
/// and leaves the cursor unmoved when it throws, so callers can retry a
/// truncated read after more bytes arrive.
///
/// `readSlice(count:)` hands out a sub-reader that cannot see past the length
/// the wire announced: a TLS `opaque<0..2^16-1>` becomes exactly that many
/// bytes, which the caller must consume.
public struct ByteReader: ~Escapable {
    public let bytes: RawSpan
    /// Offset of the cursor from the start of `bytes`.
    /// Settable so a caller can rewind to a saved offset after a failed attempt.
    public var offset: Int
    /// Offset of `bytes` inside the outermost span, so errors point at the
    /// byte in the record or message the user can look up.
    public let baseOffset: Int

    @_lifetime(copy bytes)
    public init(_ bytes: RawSpan, baseOffset: Int = 0) {
        self.bytes = bytes
        self.offset = 0
        self.baseOffset = baseOffset
    }

    @inlinable public var remaining: Int { bytes.byteCount &- offset }
    @inlinable public var isAtEnd: Bool { offset >= bytes.byteCount }
    @inlinable public var absoluteOffset: Int { baseOffset &+ offset }

    @inlinable @usableFromInline
    func need(_ count: Int) throws(ParseError) {
        guard count >= 0 else { throw ParseError(.invalid("negative length"), at: baseOffset + offset) }
        guard remaining >= count else {
            throw ParseError(.truncated(needed: count - remaining), at: baseOffset + offset)
        }
    }

    @inlinable
    public func peekUInt8(at relative: Int = 0) -> UInt8? {
        let index = offset &+ relative
        guard relative >= 0, index < bytes.byteCount else { return nil }
        return bytes.unsafeLoad(fromByteOffset: index, as: UInt8.self)
    }

    @inlinable
    public func peekUInt16(at relative: Int = 0) -> UInt16? {
        guard let hi = peekUInt8(at: relative), let lo = peekUInt8(at: relative + 1) else { return nil }
        return UInt16(hi) << 8 | UInt16(lo)
    }

    @inlinable
    @_lifetime(self: copy self)
    public mutating func readUInt8() throws(ParseError) -> UInt8 {
        try need(1)
        let value = bytes.unsafeLoad(fromByteOffset: offset, as: UInt8.self)
        offset &+= 1
        return value
    }

    @inlinable
    @_lifetime(self: copy self)
    public mutating func readUInt16() throws(ParseError) -> UInt16 {
        try need(2)
        let value = UInt16(bytes.unsafeLoad(fromByteOffset: offset, as: UInt8.self)) << 8
            | UInt16(bytes.unsafeLoad(fromByteOffset: offset &+ 1, as: UInt8.self))
        offset &+= 2
        return value
    }

    @inlinable
    @_lifetime(self: copy self)
    public mutating func readUInt24() throws(ParseError) -> UInt32 {
        try need(3)
        var value: UInt32 = 0
        for index in 0..<3 {
            value = value << 8 | UInt32(bytes.unsafeLoad(fromByteOffset: offset &+ index, as: UInt8.self))
        }
        offset &+= 3
        return value
    }

    @inlinable
    @_lifetime(self: copy self)
    public mutating func readUInt32() throws(ParseError) -> UInt32 {
        try need(4)
        var value: UInt32 = 0
        for index in 0..<4 {
            value = value << 8 | UInt32(bytes.unsafeLoad(fromByteOffset: offset &+ index, as: UInt8.self))
        }
        offset &+= 4
        return value
    }

    @inlinable
    @_lifetime(self: copy self)
    public mutating func skip(_ count: Int) throws(ParseError) {
        try need(count)
        offset &+= count
    }

    /// A reader over the next `count` bytes; the cursor moves past them.
    @inlinable
    @_lifetime(copy self)
    public mutating func readSlice(count: Int) throws(ParseError) -> ByteReader {
        try need(count)
        let start = offset
        offset &+= count
        return ByteReader(bytes.extracting(start..<(start &+ count)), baseOffset: baseOffset &+ start)
    }

    /// `opaque field<0..2^8-1>` and friends: a length prefix of `prefixBytes`
    /// bytes, then exactly that many bytes.
    @inlinable
    @_lifetime(copy self)
    public mutating func readLengthPrefixed(prefixBytes: Int) throws(ParseError) -> ByteReader {
        let saved = offset
        let length: Int
        switch prefixBytes {
        case 1: length = Int(try readUInt8())
        case 2: length = Int(try readUInt16())
        case 3: length = Int(try readUInt24())
        default: length = Int(try readUInt32())
        }
        do {
            return try readSlice(count: length)
        } catch {
            offset = saved
            throw error
        }
    }

    /// Copies the next `count` bytes out; for facts that outlive the packet.
    @inlinable
    @_lifetime(self: copy self)
    public mutating func readBytes(count: Int) throws(ParseError) -> [UInt8] {
        try need(count)
        let start = offset
        offset &+= count
        return bytes.extracting(start..<(start &+ count)).withUnsafeBytes { Array($0) }
    }

    /// The unread bytes, copied.
    public func remainingBytes() -> [UInt8] {
        bytes.extracting(offset..<bytes.byteCount).withUnsafeBytes { Array($0) }
    }

    /// The unread bytes as a span, without copying.
    public var remainingSpan: RawSpan {
        @_lifetime(copy self)
        get { bytes.extracting(offset..<bytes.byteCount) }
    }

    /// Fails with `invalid` unless every byte was consumed; catches a length
    /// field that claims less than the structure inside it uses.
    public func expectEnd(_ what: String) throws(ParseError) {
        guard isAtEnd else {
            throw ParseError(.invalid("\(remaining) unparsed byte(s) after \(what)"), at: absoluteOffset)
        }
    }
}

