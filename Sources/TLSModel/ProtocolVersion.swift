import WireBytes

/// A record or handshake protocol version. TLCP (GB/T 38636) uses 0x0101.
public struct ProtocolVersion: RawRepresentable, Hashable, Sendable, Comparable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let ssl2 = ProtocolVersion(0x0002)
    public static let ssl3 = ProtocolVersion(0x0300)
    public static let tls10 = ProtocolVersion(0x0301)
    public static let tls11 = ProtocolVersion(0x0302)
    public static let tls12 = ProtocolVersion(0x0303)
    public static let tls13 = ProtocolVersion(0x0304)
    public static let tlcp = ProtocolVersion(0x0101)
    /// DTLS (RFC 6347, RFC 9147) counts its versions down from 0xFEFF.
    public static let dtls10 = ProtocolVersion(0xFEFF)
    public static let dtls12 = ProtocolVersion(0xFEFD)
    public static let dtls13 = ProtocolVersion(0xFEFC)

    public var isGREASE: Bool { isGREASEValue(rawValue) }
    public var isTLCP: Bool { rawValue == 0x0101 }
    /// TLS 1.3 drafts (0x7F00 | n), Google's experiment versions (0x7E01, 0x7E02)
    /// and Facebook's spellings of drafts (0xFB00 | n): each runs the 1.3 handshake.
    public var isTLS13Draft: Bool {
        rawValue & 0xFF00 == 0x7F00 || rawValue & 0xFF00 == 0xFB00 || rawValue == 0x7E01 || rawValue == 0x7E02
    }
    public var isDTLS: Bool { rawValue == 0xFEFF || rawValue == 0xFEFD || rawValue == 0xFEFC }
    /// TLS 1.3, a draft or experiment of it, or DTLS 1.3: the handshake after
    /// the ServerHello is encrypted, so the certificate cannot be seen.
    public var isTLS13Family: Bool { rank == 34 }

    /// Ordering by strength for policy checks: TLCP ranks with TLS 1.1-era
    /// record formats but is judged separately; drafts of 1.3 rank as 1.3.
    public var rank: Int {
        switch rawValue {
        case 0x0002: 20
        case 0x0300: 30
        case 0x0301: 31
        case 0x0302: 32
        case 0x0303: 33
        case 0x0304: 34
        // DTLS 1.0 is TLS 1.1 over datagrams (RFC 4347), 1.2 and 1.3 match their TLS namesakes.
        case 0xFEFF: 32
        case 0xFEFD: 33
        case 0xFEFC: 34
        default: isTLS13Draft ? 34 : 0
        }
    }

    public static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool { lhs.rank < rhs.rank }

    /// `"TLS 1.2"`: the spelling the JSON contract uses.
    public var name: String {
        switch rawValue {
        case 0x0002: "SSL 2.0"
        case 0x0300: "SSL 3.0"
        case 0x0301: "TLS 1.0"
        case 0x0302: "TLS 1.1"
        case 0x0303: "TLS 1.2"
        case 0x0304: "TLS 1.3"
        case 0x0101: "TLCP"
        case 0xFEFF: "DTLS 1.0"
        case 0xFEFD: "DTLS 1.2"
        case 0xFEFC: "DTLS 1.3"
        case 0x7E01: "TLS 1.3 (Google experiment 1)"
        case 0x7E02: "TLS 1.3 (Google experiment 2)"
        default:
            if isGREASE { "GREASE-\(Hex.code16(rawValue))" }
            else if rawValue & 0xFF00 == 0x7F00 { "TLS 1.3 (draft \(rawValue & 0xFF))" }
            else if rawValue & 0xFF00 == 0xFB00 { "TLS 1.3 (Facebook draft \(rawValue & 0xFF))" }
            else { "unknown-\(Hex.code16(rawValue))" }
        }
    }

    public init?(name: String) {
        let known: [ProtocolVersion] = [.ssl2, .ssl3, .tls10, .tls11, .tls12, .tls13, .tlcp, .dtls10, .dtls12, .dtls13]
        guard let match = known.first(where: { $0.name.lowercased() == name.lowercased() }) else { return nil }
        self = match
    }
}
