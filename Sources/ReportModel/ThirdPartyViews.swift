import Facts
import Rules
import ThirdParties
import WireBytes

/// The SDK a flow was attributed to, and the pattern that decided it.
public struct SDKView: Sendable {
    public let id: String
    public let name: String
    public let nameZH: String?
    public let vendor: String
    public let category: String
    public let confidence: String
    public let pattern: String
    public let patternKind: String
    /// What the pattern matched: `sni`, `http_host`, `dns`, `httpdns`, `quic`, `certificate` or `address`.
    public let source: String

    init(_ sdk: SDKAttribution) {
        id = sdk.id
        name = sdk.name
        nameZH = sdk.nameZH
        vendor = sdk.vendor
        category = sdk.category
        confidence = sdk.confidence
        pattern = sdk.pattern
        patternKind = sdk.patternKind
        source = sdk.matchedSource
    }
}

/// One line of the sharing record: a recipient and all the capture shows of it.
public struct RecipientView: Sendable {
    public internal(set) var name: String
    public internal(set) var names: [String]
    public let sdk: SDKView?
    public let party: String
    public let firstTime: String
    public let lastTime: String
    /// Flow ids (the first thousand), and how many flows in all.
    public let flows: [Int]
    public let flowCount: Int
    public let requests: Int
    public let bytesSent: UInt64
    public let bytesReceived: UInt64
    /// PI type → sightings, in the detectors' order.
    public let piTypes: [(type: String, count: Int)]
    /// `all` (no flow carried plaintext), `some`, or `none` (every flow that carried bytes was plaintext).
    public let encryption: String
    public let declared: Bool?
    public let beforeConsent: Bool?
    public let afterRefusal: Bool?

    init(_ record: RecipientRecord) {
        name = record.name
        names = record.names
        sdk = record.sdk.map(SDKView.init)
        party = record.party.rawValue
        firstTime = Timestamp.iso8601(nanoseconds: record.firstTimeNanos)
        lastTime = Timestamp.iso8601(nanoseconds: record.lastTimeNanos)
        flows = record.flows
        flowCount = record.flowCount
        requests = record.requests
        bytesSent = record.bytesSent
        bytesReceived = record.bytesReceived
        piTypes = PIType.allCases.compactMap { type in record.piTypes[type].map { (type.rawValue, $0) } }
        encryption = record.plaintextFlows == 0 ? "all" : record.encryptedFlows == 0 ? "none" : "some"
        declared = record.declared
        beforeConsent = record.beforeConsent
        afterRefusal = record.afterRefusal
    }
}

/// The declared sharing list the run compared against (`--declared`).
public struct DeclaredListView: Sendable {
    public struct EntryView: Sendable {
        public let row: Int
        public let name: String
        public let sdk: String?
        public let matchedBy: String?
        public let piTypes: [String]
        public let serverSide: Bool
    }

    public let path: String
    public let sha256: String
    public let entries: [EntryView]
    public let firstPartyDomains: [String]
    public let warnings: [String]

    public init(_ list: DeclaredList) {
        path = list.path
        sha256 = list.sha256
        entries = list.entries.map { entry in
            EntryView(row: entry.row, name: entry.name, sdk: entry.sdk?.id, matchedBy: entry.matchedBy,
                      piTypes: PIType.allCases.filter { entry.piTypes.contains($0) }.map(\.rawValue), serverSide: entry.serverSide)
        }
        firstPartyDomains = list.firstPartyDomains
        warnings = list.warnings
    }
}
