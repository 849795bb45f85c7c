import CertificateModel
import Facts
import PacketDecoding

/// Names every flow's server, from the most to the least direct evidence:
/// the TLS SNI of its first handshake that sent one (carried in QUIC or not),
/// the Host of its first HTTP request (or a CONNECT authority), the host name
/// a SOCKS client asked its proxy for, the name a DNS or HTTPDNS answer
/// gave the server's address at the time the flow began, and last the server
/// certificate's first DNS name (or common name).
///
/// Answers are bound to the time they were seen: a later answer that gives
/// the same address to another name (a short TTL, a CDN reusing addresses)
/// names only the flows that start after it.
public final class ServerNaming: Enricher {
    struct Binding {
        var name: String
        var seenAt: Int64
        var ttl: UInt32
        var source: ServerNameSource
    }

    private struct FlowNames {
        var sni: String?
        /// `.sni`, or `.quic` when the SNI came from a ClientHello in QUIC Initials.
        var sniSource = ServerNameSource.sni
        var host: String?
        /// A SOCKS tunnel's target name, for the handshakes inside it.
        var tunnel: String?
        var certificate: String?
    }

    /// Only flows that showed a name of their own: a flood of silent flows costs nothing here.
    private var flows: [Int: FlowNames] = [:]
    /// Address → its answers, oldest first (a few per address).
    private var bindings: [IPAddress: [Binding]] = [:]
    private var bindingCount = 0
    static let maximumBindings = 65_536
    static let bindingsPerAddress = 8

    public init() {}

    public func enrich(_ event: inout FactEvent) {
        switch event {
        case .flowOpened:
            break
        case .dnsAnswer(let answer):
            learn(answer)
        case .httpMessage(let message):
            if message.isRequest, let host = message.host.flatMap(Self.hostName), flows[message.flow]?.host == nil {
                flows[message.flow, default: FlowNames()].host = host
            }
        case .handshakeComplete(var handshake):
            if let sni = handshake.serverName, flows[handshake.flow]?.sni == nil {
                flows[handshake.flow, default: FlowNames()].sni = sni
                flows[handshake.flow]?.sniSource = handshake.transport == .quic ? .quic : .sni
            }
            if let tunnel = handshake.tunnel, tunnel.hostIsName, flows[handshake.flow]?.tunnel == nil {
                flows[handshake.flow, default: FlowNames()].tunnel = tunnel.host.lowercased()
            }
            if flows[handshake.flow]?.certificate == nil, let name = Self.certificateName(handshake) {
                flows[handshake.flow, default: FlowNames()].certificate = name
            }
            let start = handshake.clientHelloAt?.timeNanos ?? handshake.firstReference?.timeNanos ?? .max
            handshake.flowServerName = name(flow: handshake.flow, address: handshake.server.address, start: start)
            event = .handshakeComplete(handshake)
        case .flowClosed(var flow):
            flow.serverName = name(flow: flow.id, address: flow.server.address, start: flow.first.timeNanos)
            flows[flow.id] = nil
            event = .flowClosed(flow)
        case .piSighting, .anomaly, .decryptionSecrets:
            break
        }
    }

    private func learn(_ answer: DNSAnswerFact) {
        // A DNS answer names its addresses by the name the app asked (the head of any
        // CNAME chain); an HTTPDNS answer lists each name with its own addresses.
        let asked = answer.source == .dns ? answer.questions.first : nil
        for record in answer.answers {
            guard let address = record.address else { continue }
            if bindingCount >= Self.maximumBindings {
                bindings.removeAll(keepingCapacity: true)
                bindingCount = 0
            }
            var list = bindings[address] ?? []
            list.append(Binding(name: asked ?? record.name, seenAt: answer.at.timeNanos, ttl: record.ttl, source: answer.source))
            if list.count > Self.bindingsPerAddress { list.removeFirst(list.count - Self.bindingsPerAddress) } else { bindingCount += 1 }
            bindings[address] = list
        }
    }

    /// The answer current when a flow to `address` began: the latest one seen
    /// before it; a flow that began before any answer takes the first.
    func binding(for address: IPAddress, at time: Int64) -> Binding? {
        guard let list = bindings[address], !list.isEmpty else { return nil }
        return list.last { $0.seenAt <= time } ?? list.first
    }

    /// `start`: when the flow began (an answer is current from the time it was seen).
    private func name(flow: Int, address: IPAddress, start: Int64) -> ServerName? {
        let names = flows[flow]
        if let sni = names?.sni { return ServerName(sni, source: names?.sniSource ?? .sni) }
        if let host = names?.host { return ServerName(host, source: .httpHost) }
        if let tunnel = names?.tunnel { return ServerName(tunnel, source: .tunnel) }
        if let found = binding(for: address, at: start) { return ServerName(found.name, source: found.source) }
        if let certificate = names?.certificate { return ServerName(certificate, source: .certificate) }
        return nil
    }

    /// A Host header as a name: without its port; nil for an address literal
    /// (`Host: 203.107.1.1`), which names nothing and must not hide a DNS or HTTPDNS answer.
    static func hostName(_ host: String) -> String? {
        var text = Substring(host)
        if text.hasPrefix("[") { return nil }
        if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].allSatisfy(\.isNumber) { text = text[..<colon] }
        guard !text.isEmpty, IPAddress(parsing: String(text)) == nil else { return nil }
        return String(text)
    }

    /// The leaf's first DNS subject alternative name (a host before a wildcard), else its common name.
    static func certificateName(_ handshake: HandshakeFact) -> String? {
        guard let leaf = handshake.serverCertificates.first?.certificate else { return nil }
        let names = leaf.subjectAlternativeNames.filter { $0.hasPrefix("DNS:") }.map { String($0.dropFirst(4)).lowercased() }
        if let name = names.first(where: { !$0.hasPrefix("*.") }) ?? names.first { return name }
        return leaf.subject.commonName?.lowercased()
    }
}
