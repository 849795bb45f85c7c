import Facts
import ThirdParties

/// A stage between the dissector and the rules: it learns from the event
/// stream and annotates events in place (a flow's name, later its SDK).
/// A new enrichment is a new type and a line in `EnricherChain.standard`.
public protocol Enricher: AnyObject {
    func enrich(_ event: inout FactEvent)
}

/// Runs every enricher on each event, in order, then hands it on.
public final class EnricherChain: FactSink {
    public let enrichers: [any Enricher]
    private let next: any FactSink

    public init(_ enrichers: [any Enricher], next: any FactSink) {
        self.enrichers = enrichers
        self.next = next
    }

    /// The enrichers every run uses, in order: naming, then attribution (which needs the name).
    public static func standard(catalog: SDKCatalog, firstParty: [String], next: any FactSink) -> EnricherChain {
        EnricherChain([ServerNaming(), SDKAttribution(catalog: catalog, firstParty: firstParty)], next: next)
    }

    public func receive(_ event: FactEvent) {
        var event = event
        for enricher in enrichers { enricher.enrich(&event) }
        next.receive(event)
    }
}
