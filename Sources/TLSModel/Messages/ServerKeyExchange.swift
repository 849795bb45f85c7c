/// What a ServerKeyExchange (SSL 3.0 to TLS 1.2, TLCP) showed: the key
/// exchange parameters and how they were signed. Parsed by `ProtocolTLS`,
/// whose parser documents the layouts.
public struct ServerKeyExchange: Sendable, Hashable {
    public enum Parameters: Sendable, Hashable {
        /// `group` is nil for explicit curves (curve types 1 and 2).
        case ecdhe(curveType: UInt8, group: NamedGroup?)
        case dhe(primeBits: Int, generatorBits: Int)
        case rsaExport(modulusBits: Int)
        /// Plain PSK or RSA_PSK: only a hint.
        case psk(hintLength: Int)
        /// TLCP ECC: the message is only a signature.
        case tlcpECC
        case srp(primeBits: Int)
        /// Key exchange without a ServerKeyExchange layout we know: the bytes are skipped.
        case unknown
    }

    public var parameters: Parameters = .unknown
    /// TLS 1.2 `SignatureAndHashAlgorithm`; nil before TLS 1.2, in TLCP, or unsigned.
    public var signatureScheme: SignatureScheme?
    public var signatureLength: Int?
    public var isSigned = false
    /// DHE_PSK / ECDHE_PSK (and PSK / RSA_PSK): the identity hint's length.
    public var pskIdentityHintLength: Int?
    /// The ephemeral public value's length (dh_Ys, ECPoint, RSA modulus is in `parameters`).
    public var publicValueLength: Int?

    public init() {}

    public var namedGroup: NamedGroup? {
        if case .ecdhe(_, let group) = parameters { return group }
        return nil
    }
}
