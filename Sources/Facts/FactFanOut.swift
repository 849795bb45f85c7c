/// Hands each event to several sinks, in order.
public final class FactFanOut: FactSink {
    private let sinks: [any FactSink]

    public init(_ sinks: [any FactSink]) {
        self.sinks = sinks
    }

    public func receive(_ event: FactEvent) {
        for sink in sinks { sink.receive(event) }
    }
}
