import PacketDecoding

/// One resource record of a DNS answer section.
public struct DNSRecordFact: Sendable, Hashable {
    public var name: String
    public var type: UInt16
    public var ttl: UInt32
    /// A and AAAA records.
    public var address: IPAddress?
    /// CNAME (and other name-valued records).
    public var target: String?

    public init(name: String, type: UInt16, ttl: UInt32, address: IPAddress?, target: String?) {
        self.name = name
        self.type = type
        self.ttl = ttl
        self.address = address
        self.target = target
    }
}

/// A name-to-address answer seen on a flow: a DNS response (UDP or TCP, any
/// port) or an HTTPDNS answer (a resolver reached over HTTP).
public struct DNSAnswerFact: Sendable {
    public var flow: Int
    public var file: Int
    public var at: PacketReference
    public var questions: [String]
    public var answers: [DNSRecordFact]
    /// `.dns` or `.httpdns`.
    public var source: ServerNameSource

    public init(flow: Int, file: Int, at: PacketReference, questions: [String], answers: [DNSRecordFact], source: ServerNameSource = .dns) {
        self.flow = flow
        self.file = file
        self.at = at
        self.questions = questions
        self.answers = answers
        self.source = source
    }
}
