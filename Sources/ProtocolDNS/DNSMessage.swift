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
        /// IPv4 or IPv6 address bytes (A/AAAA), or the target name (CNAME).
        public var address: [UInt8]
        public var target: String?
    }

    public var isResponse: Bool
    public var questions: [String]
    public var answers: [Answer]

    public static let maximumNameLength = 255
    public static let maximumLabels = 128
    static let maximumRecords = 256

    public init(parsing message: RawSpan) throws(ParseError) {
        var reader = ByteReader(message)
        try reader.skip(2)
        let flags = try reader.readUInt16()
        isResponse = flags & 0x8000 != 0
        let questionCount = Int(try reader.readUInt16())
        let answerCount = Int(try reader.readUInt16())
        try reader.skip(4)
        guard questionCount <= Self.maximumRecords, answerCount <= Self.maximumRecords else {
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
            try reader.skip(6)
            var data = try reader.readLengthPrefixed(prefixBytes: 2)
            switch type {
            case 1 where data.remaining == 4, 28 where data.remaining == 16:
                answers.append(Answer(name: name, type: type, address: data.remainingBytes(), target: nil))
            case 5:
                let start = data.absoluteOffset
                var nameReader = ByteReader(message)
                try nameReader.skip(start)
                answers.append(Answer(name: name, type: type, address: [], target: try Self.readName(message, &nameReader)))
                try data.skip(data.remaining)
            default:
                try data.skip(data.remaining)
            }
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
