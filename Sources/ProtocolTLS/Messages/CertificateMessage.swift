import TLSModel
import WireBytes

/// Which layout a Certificate message has.
public enum CertificateFormat: Sendable, Hashable {
    /// SSL 3.0 to TLS 1.2 (RFC 5246 §7.4.2).
    case tls12
    /// TLS 1.3 (RFC 8446 §4.4.2): request context and per-entry extensions.
    case tls13
    /// TLCP (GB/T 38636 §6.4.5.3): the TLS 1.2 layout, carrying the server's
    /// signing certificate, then its encryption certificate, then the chain.
    case tlcp
}

/// The Certificate handshake message: a certificate chain, leaf first.
///
/// TLS 1.2 and TLCP (RFC 5246 §7.4.2):
/// ```
/// opaque ASN.1Cert<1..2^24-1>;
/// struct {
///     ASN.1Cert certificate_list<0..2^24-1>;
/// } Certificate;
/// ```
/// TLS 1.3 (RFC 8446 §4.4.2):
/// ```
/// struct {
///     select (certificate_type) {
///         case RawPublicKey:
///           /* From RFC 7250 ASN.1_subjectPublicKeyInfo */
///           opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
///         case X509:
///           opaque cert_data<1..2^24-1>;
///     };
///     Extension extensions<0..2^16-1>;
/// } CertificateEntry;
/// struct {
///     opaque certificate_request_context<0..2^8-1>;
///     CertificateEntry certificate_list<0..2^24-1>;
/// } Certificate;
/// ```
/// At most 32 certificates and 256 KiB of certificate bytes are accepted
/// (`limitExceeded` beyond).
public struct CertificateMessage: Sendable, Hashable {
    /// DER, leaf first, as sent.
    public var certificates: [[UInt8]]
    /// TLS 1.3 only; empty otherwise.
    public var requestContext: [UInt8]
    /// TLS 1.3 only: each entry's extension types (e.g. 5 status_request
    /// carrying a stapled OCSP response), parallel to `certificates`.
    public var entryExtensionTypes: [[UInt16]]

    public static let maxCertificates = WireLimits.maxCertificates
    public static let maxTotalBytes = WireLimits.maxCertificateBytes

    public init(parsing r: inout ByteReader, format: CertificateFormat) throws(ParseError) {
        requestContext = []
        if format == .tls13 {
            requestContext = try WireVectors.readOpaque(&r, prefixBytes: 1)
        }
        var list = try r.readLengthPrefixed(prefixBytes: 3)
        try r.expectEnd("Certificate")
        certificates = []
        entryExtensionTypes = []
        var total = 0
        while !list.isAtEnd {
            let at = list.absoluteOffset
            guard certificates.count < Self.maxCertificates else {
                throw ParseError(.limitExceeded("more than \(Self.maxCertificates) certificates"), at: at)
            }
            var data = try list.readLengthPrefixed(prefixBytes: 3)
            guard !data.isAtEnd else {
                throw ParseError.invalid("empty certificate entry", at: at)
            }
            total += data.remaining
            guard total <= Self.maxTotalBytes else {
                throw ParseError(.limitExceeded("certificate chain larger than \(Self.maxTotalBytes) bytes"), at: at)
            }
            certificates.append(try data.readBytes(count: data.remaining))
            if format == .tls13 {
                var types: [UInt16] = []
                var block = try list.readLengthPrefixed(prefixBytes: 2)
                while !block.isAtEnd {
                    _ = try WireVectors.readExtensionType(&block, types: &types)
                    _ = try WireVectors.skipOpaque(&block, prefixBytes: 2)
                }
                entryExtensionTypes.append(types)
            }
        }
    }

    public var leaf: [UInt8]? { certificates.first }
}
