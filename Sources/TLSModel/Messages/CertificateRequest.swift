/// The server asking for a client certificate (TLS 1.0–1.3, TLCP), as
/// observed. Parsed by `ProtocolTLS`.
public struct CertificateRequest: Sendable, Hashable {
    /// Empty in TLS 1.3.
    public var certificateTypes: [UInt8] = []
    public var signatureAlgorithms: [SignatureScheme] = []
    /// TLS 1.3 signature_algorithms_cert, if sent.
    public var signatureAlgorithmsCert: [SignatureScheme] = []
    /// DER `DistinguishedName`s the server accepts as issuers (TLS 1.2 list;
    /// TLS 1.3 certificate_authorities extension).
    public var certificateAuthorities: [[UInt8]] = []
    /// TLS 1.3 only.
    public var requestContext: [UInt8] = []
    /// TLS 1.3 only, wire order.
    public var extensionTypes: [UInt16] = []

    public init() {}
}
