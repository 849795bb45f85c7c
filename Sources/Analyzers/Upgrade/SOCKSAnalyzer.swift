import Detectors
import Facts
import PacketDecoding
import WireBytes

/// SOCKS4, SOCKS4a (a host name after the user id) and SOCKS5 (RFC 1928,
/// with RFC 1929 username/password authentication) on any port. The CONNECT
/// target becomes the flow's tunnel (what the handshakes inside are
/// addressed to, and their name when they send no SNI); once the proxy has
/// answered, each side's rest is handed back for probing (usually TLS). The
/// RFC 1929 password crosses the network in plaintext: a credential sighting.
public final class SOCKSAnalyzer: StreamAnalyzer {
    public static let name = "socks"

    public static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult {
        guard !afterGap else { return .noMatch }
        return prefix.withUnsafeBytes { bytes -> ProbeResult in
            guard let version = bytes.first else { return final ? .noMatch : .needMoreBytes }
            if side == .client {
                if version == 5 {
                    // Greeting: VER NMETHODS METHODS…, nothing else before the server answers.
                    guard bytes.count >= 2 else { return final ? .noMatch : .needMoreBytes }
                    let methods = Int(bytes[1])
                    guard methods > 0 else { return .noMatch }
                    if bytes.count < 2 + methods { return final ? .noMatch : .needMoreBytes }
                    // What may follow once the server chose: an RFC 1929 request (1) or the CONNECT (5).
                    let next = bytes.count > 2 + methods ? bytes[2 + methods] : 5
                    return (next == 1 || next == 5) && bytes[2..<(2 + methods)].allSatisfy({ $0 <= 0x09 || $0 >= 0x80 }) ? .match : .noMatch
                }
                if version == 4 {
                    // VN CD DSTPORT DSTIP USERID NUL [HOST NUL]
                    guard bytes.count >= 9 else { return final ? .noMatch : .needMoreBytes }
                    guard bytes[1] == 1 || bytes[1] == 2, bytes[8...].contains(0) else { return bytes.count > 300 || final ? .noMatch : .needMoreBytes }
                    return .match
                }
                return .noMatch
            }
            if version == 5 {
                // The method choice, then an RFC 1929 status (1) or the CONNECT reply (5).
                guard bytes.count >= 2 else { return final ? .noMatch : .needMoreBytes }
                let next = bytes.count > 2 ? bytes[2] : 5
                return [0, 1, 2, 0xFF].contains(bytes[1]) && (next == 1 || next == 5) ? .match : .noMatch
            }
            if version == 0 {
                guard bytes.count >= 8 else { return final ? .noMatch : .needMoreBytes }
                return (0x5A...0x5D).contains(bytes[1]) ? .match : .noMatch
            }
            return .noMatch
        }
    }

    private enum ClientStage { case greeting, authentication, request, done }
    private enum ServerStage { case method, authentication, reply, done }

    private let context: FlowContext
    private var clientBytes: [UInt8] = []
    private var serverBytes: [UInt8] = []
    private var clientStage = ClientStage.greeting
    private var serverStage = ServerStage.method
    private var version: UInt8 = 0
    private var chosenMethod: UInt8?
    private var requestStart: PacketReference?
    private var anomalies = 0

    public init(context: FlowContext) {
        self.context = context
    }

    public var plaintextProtocol: PlaintextProtocol? { .unknown }
    /// `socks4`, `socks4a` or `socks5`.
    public var flowLabel: String? { context.tunnel?.kind ?? (version == 0 ? nil : "socks\(version)") }

    public func attach(_ side: Side, afterGap: Bool) {}
    public func noteGap(from side: Side, at reference: PacketReference) {}
    public func finish(at last: PacketReference) {}

    public func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests: inout FlowRequests) {
        if side == .client {
            bytes.withUnsafeBytes { clientBytes.append(contentsOf: $0) }
            clientSteps(at: packet, requests: &requests)
        } else {
            bytes.withUnsafeBytes { serverBytes.append(contentsOf: $0) }
            serverSteps(at: packet, requests: &requests)
        }
    }

    private func clientSteps(at packet: PacketReference, requests: inout FlowRequests) {
        while true {
            switch clientStage {
            case .greeting:
                guard let first = clientBytes.first else { return }
                version = first
                if first == 4 {
                    clientStage = .request
                    continue
                }
                guard clientBytes.count >= 2, clientBytes.count >= 2 + Int(clientBytes[1]) else { return }
                clientBytes.removeFirst(2 + Int(clientBytes[1]))
                // The client sends its next message only after the server chose a method.
                clientStage = chosenMethod == 2 ? .authentication : .request
                if chosenMethod == nil { clientStage = .authentication }
            case .authentication:
                // RFC 1929: VER(1) ULEN UNAME PLEN PASSWD — only if the server chose method 2.
                guard let first = clientBytes.first else { return }
                if first == 5 {
                    clientStage = .request  // no authentication: this is the request
                    continue
                }
                guard first == 1, clientBytes.count >= 2 else { return malformed(.client, "RFC 1929 request version \(first)", at: packet, requests: &requests) }
                let userLength = Int(clientBytes[1])
                guard clientBytes.count >= 3 + userLength else { return }
                let passwordLength = Int(clientBytes[2 + userLength])
                guard clientBytes.count >= 3 + userLength + passwordLength else { return }
                let user = String(decoding: clientBytes[2..<(2 + userLength)], as: UTF8.self)
                let password = String(decoding: clientBytes[(3 + userLength)..<(3 + userLength + passwordLength)], as: UTF8.self)
                credential(user: user, password: password, at: packet)
                clientBytes.removeFirst(3 + userLength + passwordLength)
                clientStage = .request
            case .request:
                guard let consumed = request(at: packet, requests: &requests) else { return }
                clientBytes.removeFirst(consumed)
                clientStage = .done
            case .done:
                // Whatever follows the request belongs to the tunnel; it waits for the proxy's answer.
                if serverStage == .done {
                    requests.handOff(.client, held: clientBytes)
                    clientBytes = []
                }
                return
            }
        }
    }

    /// Parses the CONNECT (or BIND) request at the front; the bytes it used.
    private func request(at packet: PacketReference, requests: inout FlowRequests) -> Int? {
        let bytes = clientBytes
        if version == 4 {
            guard bytes.count >= 9, let userEnd = bytes[8...].firstIndex(of: 0) else { return nil }
            let port = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
            let address = bytes[4..<8]
            // SOCKS4a: DSTIP 0.0.0.x (x ≠ 0) says a host name follows the user id.
            if address.prefix(3).allSatisfy({ $0 == 0 }) && bytes[7] != 0 {
                guard let hostEnd = bytes[(userEnd + 1)...].firstIndex(of: 0) else { return nil }
                let host = String(decoding: bytes[(userEnd + 1)..<hostEnd], as: UTF8.self)
                context.tunnel = TunnelFact(kind: "socks4a", host: host, port: port, hostIsName: true, at: packet)
                return hostEnd + 1
            }
            let host = address.map(String.init).joined(separator: ".")
            context.tunnel = TunnelFact(kind: "socks4", host: host, port: port, hostIsName: false, at: packet)
            return userEnd + 1
        }
        // VER CMD RSV ATYP DST.ADDR DST.PORT
        guard bytes.count >= 5 else { return nil }
        guard bytes[0] == 5 else {
            malformed(.client, "SOCKS5 request version \(bytes[0])", at: packet, requests: &requests)
            return nil
        }
        let host: String
        let end: Int
        var isName = false
        switch bytes[3] {
        case 1:
            end = 4 + 4
            guard bytes.count >= end + 2 else { return nil }
            host = bytes[4..<8].map(String.init).joined(separator: ".")
        case 3:
            let length = Int(bytes[4])
            end = 5 + length
            guard bytes.count >= end + 2 else { return nil }
            host = String(decoding: bytes[5..<end], as: UTF8.self)
            isName = true
        case 4:
            end = 4 + 16
            guard bytes.count >= end + 2 else { return nil }
            let high = bytes[4..<12].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes[12..<20].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            host = IPAddress(high: high, low: low).description
        default:
            malformed(.client, "SOCKS5 address type \(bytes[3])", at: packet, requests: &requests)
            return nil
        }
        let port = UInt16(bytes[end]) << 8 | UInt16(bytes[end + 1])
        context.tunnel = TunnelFact(kind: "socks5", host: host, port: port, hostIsName: isName, at: packet)
        return end + 2
    }

    private func serverSteps(at packet: PacketReference, requests: inout FlowRequests) {
        while true {
            switch serverStage {
            case .method:
                guard let first = serverBytes.first else { return }
                if first == 0 {
                    // SOCKS4 reply: VN(0) CD DSTPORT DSTIP.
                    guard serverBytes.count >= 8 else { return }
                    let granted = serverBytes[1] == 0x5A
                    serverBytes.removeFirst(8)
                    serverStage = .done
                    if !granted { return refused(requests: &requests) }
                    continue
                }
                guard serverBytes.count >= 2 else { return }
                chosenMethod = serverBytes[1]
                serverBytes.removeFirst(2)
                if chosenMethod == 0xFF { return refused(requests: &requests) }
                serverStage = chosenMethod == 2 ? .authentication : .reply
            case .authentication:
                guard serverBytes.count >= 2 else { return }
                let accepted = serverBytes[1] == 0
                serverBytes.removeFirst(2)
                if !accepted { return refused(requests: &requests) }
                serverStage = .reply
            case .reply:
                // VER REP RSV ATYP BND.ADDR BND.PORT
                guard serverBytes.count >= 5 else { return }
                let addressLength: Int
                switch serverBytes[3] {
                case 1: addressLength = 4
                case 3: addressLength = 1 + Int(serverBytes[4])
                case 4: addressLength = 16
                default: return malformed(.server, "SOCKS5 reply address type \(serverBytes[3])", at: packet, requests: &requests)
                }
                guard serverBytes.count >= 4 + addressLength + 2 else { return }
                let succeeded = serverBytes[1] == 0
                serverBytes.removeFirst(4 + addressLength + 2)
                serverStage = .done
                if !succeeded { return refused(requests: &requests) }
            case .done:
                requests.handOff(.server, held: serverBytes)
                serverBytes = []
                if clientStage == .done {
                    requests.handOff(.client, held: clientBytes)
                    clientBytes = []
                }
                return
            }
        }
    }

    private func refused(requests: inout FlowRequests) {
        requests.stop(.client)
        requests.stop(.server)
    }

    private func credential(user: String, password: String, at packet: PacketReference) {
        guard context.environment.inspection != nil else { return }
        let match = PIMatch(type: .password, value: password, masked: "******", decoding: ["socks5"], field: "socks5 username/password",
                            confirmed: false, confidence: 0.99,
                            detail: "RFC 1929 credentials for user \(UpgradeAnalyzer.maskUser(user)) sent to the SOCKS proxy in plaintext")
        context.emitSightings([match], sender: .client, http: nil, carrier: .tcp, first: packet, lastPacket: packet.packet)
    }

    private func malformed(_ side: Side, _ detail: String, at packet: PacketReference, requests: inout FlowRequests) {
        anomalies += 1
        if anomalies <= 2 { context.emitAnomaly(.socksMessageMalformed, from: side, detail, at: packet) }
        requests.stop(side)
    }
}
