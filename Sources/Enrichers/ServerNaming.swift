import Facts
import PacketDecoding

/// Names every flow's server: the TLS SNI of its first handshake that sent
/// one, else the Host of its first HTTP request, else the name a DNS answer
/// seen earlier in the capture gave the server's address.
public final class ServerNaming: Enricher {
    private struct FlowNames {
        var sni: String?
        var host: String?
    }

    private var flows: [Int: FlowNames] = [:]
    /// Address → the name the app looked up. Bounded: forgotten wholesale when full.
    private var namesByAddress: [IPAddress: String] = [:]
    static let maximumNames = 65_536

    public init() {}

    public func enrich(_ event: inout FactEvent) {
        switch event {
        case .flowOpened(let flow):
            flows[flow.id] = FlowNames()
        case .dnsAnswer(let answer):
            let asked = answer.questions.first
            for record in answer.answers {
                guard let address = record.address else { continue }
                if namesByAddress.count >= Self.maximumNames { namesByAddress.removeAll(keepingCapacity: true) }
                namesByAddress[address] = asked ?? record.name
            }
        case .httpMessage(let message):
            if message.isRequest, let host = message.host, flows[message.flow]?.host == nil { flows[message.flow]?.host = host }
        case .handshakeComplete(var handshake):
            if let sni = handshake.serverName, flows[handshake.flow]?.sni == nil { flows[handshake.flow]?.sni = sni }
            handshake.flowServerName = name(flow: handshake.flow, address: handshake.server.address)
            event = .handshakeComplete(handshake)
        case .flowClosed(var flow):
            flow.serverName = name(flow: flow.id, address: flow.server.address)
            flows[flow.id] = nil
            event = .flowClosed(flow)
        case .piSighting, .anomaly, .decryptionSecrets:
            break
        }
    }

    private func name(flow: Int, address: IPAddress) -> ServerName? {
        if let sni = flows[flow]?.sni { return ServerName(sni, source: .sni) }
        if let host = flows[flow]?.host { return ServerName(host, source: .httpHost) }
        return namesByAddress[address].map { ServerName($0, source: .dns) }
    }
}
