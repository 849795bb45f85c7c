/// A CertificateVerify's signature algorithm and length, as observed.
public struct CertificateVerify: Sendable, Hashable {
    /// Nil before TLS 1.2 and in TLCP.
    public var signatureScheme: SignatureScheme?
    public var signatureLength = 0

    public init() {}
}
