import TLSModel
import WireBytes

/// The server asking for a client certificate.
///
/// TLS 1.2 (RFC 5246 §7.4.4); TLS 1.0/1.1 and TLCP (GB/T 38636 §6.4.5.5)
/// lack `supported_signature_algorithms`:
/// ```
/// enum {
///     rsa_sign(1), dss_sign(2), rsa_fixed_dh(3), dss_fixed_dh(4),
///     rsa_ephemeral_dh_RESERVED(5), dss_ephemeral_dh_RESERVED(6),
///     fortezza_dms_RESERVED(20), (255)
/// } ClientCertificateType;
/// opaque DistinguishedName<1..2^16-1>;
/// struct {
///     ClientCertificateType certificate_types<1..2^8-1>;
///     SignatureAndHashAlgorithm
///       supported_signature_algorithms<2^16-1>;
///     DistinguishedName certificate_authorities<0..2^16-1>;
/// } CertificateRequest;
/// ```
/// TLS 1.3 (RFC 8446 §4.3.2); signature_algorithms (13) is read from the
/// extensions, as are signature_algorithms_cert (50) and the
/// certificate_authorities extension (47) count:
/// ```
/// struct {
///     opaque certificate_request_context<0..2^8-1>;
///     Extension extensions<2..2^16-1>;
/// } CertificateRequest;
/// ```
extension CertificateRequest {
    public init(parsing r: inout ByteReader, version: ProtocolVersion) throws(ParseError) {
        self.init()
        certificateTypes = []
        signatureAlgorithms = []
        signatureAlgorithmsCert = []
        certificateAuthorities = []
        requestContext = []
        extensionTypes = []
        if !version.isTLCP && version.rank >= ProtocolVersion.tls13.rank {
            requestContext = try WireVectors.readOpaque(&r, prefixBytes: 1)
            var block = try r.readLengthPrefixed(prefixBytes: 2)
            while !block.isAtEnd {
                let type = try WireVectors.readExtensionType(&block, types: &extensionTypes)
                var body = try block.readLengthPrefixed(prefixBytes: 2)
                switch type {
                case ExtensionType.signatureAlgorithms.rawValue:
                    signatureAlgorithms = try WireVectors.readUInt16List(&body, prefixBytes: 2, what: "signature_algorithms")
                        .map(SignatureScheme.init(rawValue:))
                case ExtensionType.signatureAlgorithmsCert.rawValue:
                    signatureAlgorithmsCert = try WireVectors.readUInt16List(&body, prefixBytes: 2, what: "signature_algorithms_cert")
                        .map(SignatureScheme.init(rawValue:))
                case 47:  // certificate_authorities: DistinguishedName authorities<3..2^16-1>;
                    certificateAuthorities = try Self.readDistinguishedNames(&body)
                default:
                    continue
                }
                try body.expectEnd("extension \(type)")
            }
        } else {
            certificateTypes = try WireVectors.readUInt8List(&r, prefixBytes: 1, what: "certificate_types")
            if !version.isTLCP && version.rank >= ProtocolVersion.tls12.rank {
                signatureAlgorithms = try WireVectors.readUInt16List(&r, prefixBytes: 2, what: "supported_signature_algorithms")
                    .map(SignatureScheme.init(rawValue:))
            }
            certificateAuthorities = try Self.readDistinguishedNames(&r)
        }
        try r.expectEnd("CertificateRequest")
    }

    @_lifetime(r: copy r)
    static func readDistinguishedNames(_ r: inout ByteReader) throws(ParseError) -> [[UInt8]] {
        var list = try r.readLengthPrefixed(prefixBytes: 2)
        var names: [[UInt8]] = []
        while !list.isAtEnd {
            guard names.count < WireLimits.maxCertificateAuthorities else {
                throw ParseError(.limitExceeded("more than \(WireLimits.maxCertificateAuthorities) certificate authorities"),
                                 at: list.absoluteOffset)
            }
            names.append(try WireVectors.readOpaque(&list, prefixBytes: 2))
        }
        return names
    }
}
