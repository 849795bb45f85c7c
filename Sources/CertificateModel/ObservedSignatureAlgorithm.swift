/// The certificate's outer `signatureAlgorithm` (RFC 5280 §4.1.1.2).
///
/// ```
/// Certificate  ::=  SEQUENCE  {
///      tbsCertificate       TBSCertificate,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
///
/// AlgorithmIdentifier  ::=  SEQUENCE  {
///      algorithm               OBJECT IDENTIFIER,
///      parameters              ANY DEFINED BY algorithm OPTIONAL  }
/// ```
///
/// For `id-RSASSA-PSS` the digest comes from the parameters (RFC 4055 §3.1):
///
/// ```
/// RSASSA-PSS-params  ::=  SEQUENCE  {
///      hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
///      maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
///      saltLength         [2] INTEGER DEFAULT 20,
///      trailerField       [3] INTEGER DEFAULT 1  }
/// ```
///
/// so absent parameters, or an absent `hashAlgorithm`, mean SHA-1.
public struct ObservedSignatureAlgorithm: Sendable, Hashable {
    /// Dotted-decimal algorithm OID ("1.2.840.113549.1.1.11"); "" if the OID itself was undecodable.
    public let oid: String
    /// OpenSSL long name ("sha256WithRSAEncryption", "RSASSA-PSS", "ecdsa-with-SHA256",
    /// "ED25519", "SM2-with-SM3", …); the dotted OID when unrecognised.
    public let name: String
    /// The digest the signature is computed over.
    public let hash: SignatureDigest

    public init(oid: String, name: String, hash: SignatureDigest) {
        self.oid = oid
        self.name = name
        self.hash = hash
    }
}
