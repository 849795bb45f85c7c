import TLSModel
import WireBytes

/// The proof that the sender holds its certificate's private key.
///
/// TLS 1.3 (RFC 8446 §4.4.3):
/// ```
/// struct {
///     SignatureScheme algorithm;
///     opaque signature<0..2^16-1>;
/// } CertificateVerify;
/// ```
/// TLS 1.2 (RFC 5246 §7.4.8) is the same `digitally-signed` layout
/// (`SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>;`);
/// SSL 3.0 to TLS 1.1 and TLCP carry only `opaque signature<0..2^16-1>`.
extension CertificateVerify {
    public init(parsing r: inout ByteReader, version: ProtocolVersion) throws(ParseError) {
        self.init()
        signatureScheme = nil
        if !version.isTLCP && version.rank >= ProtocolVersion.tls12.rank {
            signatureScheme = SignatureScheme(rawValue: try r.readUInt16())
        }
        signatureLength = try WireVectors.skipOpaque(&r, prefixBytes: 2)
        try r.expectEnd("CertificateVerify")
    }
}
