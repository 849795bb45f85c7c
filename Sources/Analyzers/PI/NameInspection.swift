import Detectors
import Facts

/// Scans the names a client puts on the wire for a server — the TLS SNI and
/// the HTTP Host — for PI, the way DNS query names are scanned: an SDK that
/// puts a phone number in a host label leaks it to every resolver, proxy and
/// CDN on the path. Sits between the dissector and the enrichers. An SNI's
/// sightings go out before its handshake (the report masks the name with
/// what they found); a Host's after its request, like the request's own.
public final class NameInspection: FactSink {
    private let inspector: PIInspector
    private let next: any FactSink

    public init(inspector: PIInspector, next: any FactSink) {
        self.inspector = inspector
        self.next = next
    }

    public func receive(_ event: FactEvent) {
        switch event {
        case .handshakeComplete(let handshake):
            if let name = handshake.serverName, let at = handshake.clientHelloAt {
                emit(inspector.inspect(Array(name.utf8), as: .dnsName, field: "server_name", decoding: ["sni"]),
                     flow: handshake.flow, file: handshake.file, carrier: .tls, http: nil, at: at, lastPacket: at.packet)
            }
        case .httpMessage(let message) where message.isRequest:
            next.receive(event)
            if let host = message.host, host.utf8.count > 8 {
                let http = HTTPContext(method: message.method, host: message.host, path: message.path)
                emit(inspector.inspect(Array(host.utf8), as: .dnsName, field: "Host", decoding: ["host"]),
                     flow: message.flow, file: message.file, carrier: .http, http: http, at: message.first, lastPacket: message.lastPacket)
            }
            return
        default:
            break
        }
        next.receive(event)
    }

    private func emit(_ matches: [PIMatch], flow: Int, file: Int, carrier: PICarrier, http: HTTPContext?, at: PacketReference, lastPacket: Int) {
        for match in matches {
            next.receive(.piSighting(PISighting(flow: flow, file: file, sender: .client, carrier: carrier, match: match, http: http,
                                                first: at, lastPacket: lastPacket)))
        }
    }
}
