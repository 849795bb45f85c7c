import Facts
import WireBytes
import PacketDecoding
import ThirdParties

/// Says whose server each flow talks to: the app's own when its name falls
/// under a first-party domain (`--first-party`, or the declared list's own
/// domains), a third party's when the catalogue names an SDK for its name
/// (most specific pattern) or, failing a name, for its address (hard-coded
/// ranges), and otherwise unattributed — never silently first-party. DNS flows
/// are nobody's: they carry no party.
public final class SDKAttribution: Enricher {
    private let catalog: SDKCatalog
    private let firstParty: [String]
    /// Open flows whose requests carried an SDK's protocol signature.
    private var signatures: [Int: ProtocolSignature] = [:]

    /// `firstParty`: domain suffixes of the app under test (`example-shop.cn` covers `api.example-shop.cn`).
    public init(catalog: SDKCatalog, firstParty: [String]) {
        self.catalog = catalog
        self.firstParty = firstParty.map { $0.lowercased().trimming(".") }.filter { !$0.isEmpty }
    }

    public func enrich(_ event: inout FactEvent) {
        switch event {
        case .httpMessage(let message):
            if let signature = message.signature, signatures[message.flow] == nil { signatures[message.flow] = signature }
        case .flowClosed(var flow):
            let signature = signatures.removeValue(forKey: flow.id)
            // A resolver answers names; it is how the app finds recipients, not one of them.
            if flow.analyzers == ["dns"] { return }
            (flow.party, flow.sdk) = attribute(name: flow.serverName, address: flow.server.address, signature: signature)
            event = .flowClosed(flow)
        default:
            break
        }
    }

    /// By name first (first-party domains win), then by documented address, then by what the protocol itself says.
    func attribute(name: ServerName?, address: IPAddress, signature: ProtocolSignature? = nil) -> (Party, Facts.SDKAttribution?) {
        if let name = name?.name.lowercased(), isFirstParty(name) { return (.first, nil) }
        if let name, let match = catalog.lookup(host: name.name) {
            return (.third, Self.attribution(match, source: name.source.rawValue))
        }
        if let match = catalog.lookup(address: address) { return (.third, Self.attribution(match, source: "address")) }
        if let signature, let entry = catalog.entry(id: signature.sdk) {
            return (.third, Self.attribution(SDKMatch(sdk: entry, pattern: signature.shape, kind: "protocol", confidence: .medium),
                                             source: "request"))
        }
        return (.unattributed, nil)
    }

    func isFirstParty(_ host: String) -> Bool {
        firstParty.contains { host == $0 || host.hasSuffix("." + $0) }
    }

    static func attribution(_ match: SDKMatch, source: String) -> Facts.SDKAttribution {
        Facts.SDKAttribution(id: match.sdk.id, name: match.sdk.name, nameZH: match.sdk.nameZH, vendor: match.sdk.vendor,
                             category: match.sdk.category, confidence: match.confidence.rawValue, pattern: match.pattern,
                             patternKind: match.kind, matchedSource: source, collectsPI: match.sdk.collectsPI)
    }
}
