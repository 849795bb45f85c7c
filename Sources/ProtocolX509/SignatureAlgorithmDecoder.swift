import CertificateModel
import SwiftASN1

/// Maps `Certificate.signatureAlgorithm` (RFC 5280 §4.1.1.2) to an
/// ``ObservedSignatureAlgorithm``, reading the digest from the parameters for
/// RSASSA-PSS (RFC 4055 §3.1) and ecdsa-with-Specified (RFC 5758 / X9.62).
enum SignatureAlgorithmDecoder {
    static func decode(oid: String, parameters: ASN1Node?) -> ObservedSignatureAlgorithm {
        guard let known = OIDRegistry.signatures[oid] else {
            return ObservedSignatureAlgorithm(oid: oid, name: oid, hash: .unknown)
        }
        switch oid {
        case OIDRegistry.rsaPSSOID:
            return ObservedSignatureAlgorithm(oid: oid, name: known.name, hash: pssDigest(parameters))
        case OIDRegistry.ecdsaWithSpecifiedOID:
            var hash = SignatureDigest.unknown
            if let parameters, let alg = DERNode.algorithmIdentifier(parameters) {
                hash = OIDRegistry.digests[alg.oid] ?? .unknown
            }
            return ObservedSignatureAlgorithm(oid: oid, name: known.name, hash: hash)
        default:
            return ObservedSignatureAlgorithm(oid: oid, name: known.name, hash: known.hash)
        }
    }

    /// ```
    /// RSASSA-PSS-params  ::=  SEQUENCE  {
    ///     hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
    ///     maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
    ///     saltLength         [2] INTEGER DEFAULT 20,
    ///     trailerField       [3] INTEGER DEFAULT 1  }
    /// ```
    /// Absent parameters (or NULL, as some encoders emit) → SHA-1 default.
    private static func pssDigest(_ parameters: ASN1Node?) -> SignatureDigest {
        guard let parameters else { return .sha1 }
        if parameters.identifier == .null { return .sha1 }
        guard let fields = DERNode.children(parameters, tag: .sequence) else { return .unknown }
        for field in fields where DERNode.isContext(field, 0) {
            guard let inner = DERNode.children(field), let first = inner.first,
                let alg = DERNode.algorithmIdentifier(first)
            else { return .unknown }
            return OIDRegistry.digests[alg.oid] ?? .unknown
        }
        return .sha1
    }
}
