import WireBytes

/// The parts of a DNS message (RFC 1035 §4.1) wirecheck uses: question names
/// (PI can be exfiltrated in labels) and address answers (to name servers).
///
///     +---------------------+
///     |        Header       |  12 bytes: id, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT
///     +---------------------+
///     |       Question      |  QNAME QTYPE QCLASS
///     +---------------------+
///     |        Answer       |  NAME TYPE CLASS TTL RDLENGTH RDATA
///
/// Names are read with compression pointers (§4.1.4) that must point
/// backwards, at most 255 bytes and 128 labels long, so a pointer loop or a
/// lying count cannot make the parser spin. Counts from the wire are never
/// used to preallocate.
public struct DNSMessage: Sendable {
    public struct Answer: Sendable, Hashable {
        public var name: String
        public var type: UInt16
        public var ttl: UInt32
        /// IPv4 or IPv6 address bytes (A/AAAA), or the target name (CNAME).
        public var address: [UInt8]
        public var target: String?
    }

    public var id: UInt16
    public var flags: UInt16
    public var isResponse: Bool { flags & 0x8000 != 0 }
    /// RFC 1035 §4.1.1 OPCODE (0 query, 1 inverse query, 2 status, 4 notify, 5 update).
    public var opcode: UInt8 { UInt8((flags >> 11) & 0xF) }
    public var questions: [String]
    public var answers: [Answer]
    public var authorityCount: Int
    public var additionalCount: Int
    /// Bytes after the last record (a well-formed message has none); -1 when
    /// the authority or additional section does not parse.
    public var trailingBytes: Int

    public static let maximumNameLength = 255
    public static let maximumLabels = 128
    static let maximumRecords = 256

    public init(parsing message: RawSpan) throws(ParseError) {
        var reader = ByteReader(message)
        id = try reader.readUInt16()
        flags = try reader.readUInt16()
        let questionCount = Int(try reader.readUInt16())
        let answerCount = Int(try reader.readUInt16())
        authorityCount = Int(try reader.readUInt16())
        additionalCount = Int(try reader.readUInt16())
        guard questionCount <= Self.maximumRecords, answerCount <= Self.maximumRecords,
              authorityCount <= Self.maximumRecords, additionalCount <= Self.maximumRecords else {
            throw ParseError(.limitExceeded("\(questionCount) questions, \(answerCount) answers"), at: 4)
        }
        questions = []
        answers = []
        for _ in 0..<questionCount {
            questions.append(try Self.readName(message, &reader))
            try reader.skip(4)
        }
        for _ in 0..<answerCount {
            let name = try Self.readName(message, &reader)
            let type = try reader.readUInt16()
            try reader.skip(2)
            let ttl = try reader.readUInt32()
            var data = try reader.readLengthPrefixed(prefixBytes: 2)
            switch type {
            case 1 where data.remaining == 4, 28 where data.remaining == 16:
                answers.append(Answer(name: name, type: type, ttl: ttl, address: data.remainingBytes(), target: nil))
            case 5:
                let start = data.absoluteOffset
                var nameReader = ByteReader(message)
                try nameReader.skip(start)
                answers.append(Answer(name: name, type: type, ttl: ttl, address: [], target: try Self.readName(message, &nameReader)))
                try data.skip(data.remaining)
            case 64, 65:
                // SVCB / HTTPS (RFC 9460): SvcPriority, TargetName (uncompressed), SvcParams; the
                // ipv4hint (4) and ipv6hint (6) parameters are addresses the name resolves to.
                try data.skip(2)
                let target = try Self.readUncompressedName(&data)
                while !data.isAtEnd {
                    let key = try data.readUInt16()
                    var value = try data.readLengthPrefixed(prefixBytes: 2)
                    let size = key == 4 ? 4 : (key == 6 ? 16 : 0)
                    guard size > 0 else { try value.skip(value.remaining); continue }
                    while value.remaining >= size, answers.count < Self.maximumRecords {
                        answers.append(Answer(name: name, type: type, ttl: ttl, address: try value.readBytes(count: size),
                                              target: target.isEmpty ? nil : target))
                    }
                    try value.skip(value.remaining)
                }
            default:
                try data.skip(data.remaining)
            }
        }
        // Authority and additional records are only walked over, so a message can be
        // checked whole; a broken one there still leaves the questions and answers.
        do throws(ParseError) {
            for _ in 0..<(authorityCount + additionalCount) {
                _ = try Self.readName(message, &reader)
                try reader.skip(8)
                _ = try reader.readLengthPrefixed(prefixBytes: 2)
            }
            trailingBytes = reader.remaining
        } catch {
            trailingBytes = -1
        }
    }

    /// Whether `bytes` are a DNS message, judged by content alone (any port):
    /// a known opcode, the reserved Z bit clear, at least one record, every
    /// section parsed and nothing left over.
    public static func looksLikeDNS(_ bytes: RawSpan) -> Bool {
        guard bytes.byteCount >= 12, let message = try? DNSMessage(parsing: bytes) else { return false }
        guard [0, 1, 2, 4, 5].contains(message.opcode), message.flags & 0x0040 == 0, message.trailingBytes == 0 else { return false }
        let records = message.questions.count + message.answers.count + message.authorityCount + message.additionalCount
        guard records > 0 else { return false }
        // A query asks something; a response without a question (mDNS) answers something.
        return !message.questions.isEmpty || (message.isResponse && !message.answers.isEmpty)
    }

    /// A name without compression pointers (RFC 9460 forbids them in SVCB), read from `reader`.
    static func readUncompressedName(_ reader: inout ByteReader) throws(ParseError) -> String {
        var labels: [String] = []
        var length = 0
        while true {
            let size = Int(try reader.readUInt8())
            if size == 0 { return labels.joined(separator: ".") }
            guard size & 0xC0 == 0 else { throw ParseError.invalid("compressed name in SVCB", at: reader.absoluteOffset) }
            length += size + 1
            guard length <= maximumNameLength, labels.count < maximumLabels else {
                throw ParseError(.limitExceeded("name longer than \(maximumNameLength) bytes"), at: reader.absoluteOffset)
            }
            labels.append(String(decoding: try reader.readBytes(count: size), as: UTF8.self))
        }
    }

    /// Reads a possibly compressed name at the reader's position.
    static func readName(_ message: RawSpan, _ reader: inout ByteReader) throws(ParseError) -> String {
        var labels: [String] = []
        var length = 0
        var position = reader.offset
        var jumped = false
        var lowestJump = position
        while true {
            guard position < message.byteCount else { throw ParseError(.truncated(needed: 1), at: position) }
            let size = Int(message.unsafeLoad(fromByteOffset: position, as: UInt8.self))
            if size & 0xC0 == 0xC0 {
                guard position + 1 < message.byteCount else { throw ParseError(.truncated(needed: 1), at: position) }
                let target = (size & 0x3F) << 8 | Int(message.unsafeLoad(fromByteOffset: position + 1, as: UInt8.self))
                // Only backwards pointers: a pointer loop cannot exist then.
                guard target < lowestJump else { throw ParseError.invalid("compression pointer does not point backwards", at: position) }
                if !jumped { try reader.skip(position + 2 - reader.offset) }
                jumped = true
                lowestJump = target
                position = target
                continue
            }
            guard size & 0xC0 == 0 else { throw ParseError.invalid("reserved label type", at: position) }
            if size == 0 {
                if !jumped { try reader.skip(position + 1 - reader.offset) }
                return labels.joined(separator: ".")
            }
            guard position + 1 + size <= message.byteCount else { throw ParseError(.truncated(needed: size), at: position) }
            length += size + 1
            guard length <= maximumNameLength, labels.count < maximumLabels else {
                throw ParseError(.limitExceeded("name longer than \(maximumNameLength) bytes"), at: position)
            }
            let label = message.extracting((position + 1)..<(position + 1 + size)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            labels.append(label)
            position += 1 + size
        }
    }
}
