/// The message digest a certificate signature algorithm uses
/// (RFC 5280 §4.1.1.2 `signatureAlgorithm`; RFC 3279, RFC 4055, RFC 5758, RFC 8410).
///
/// ```
/// AlgorithmIdentifier  ::=  SEQUENCE  {
///      algorithm               OBJECT IDENTIFIER,
///      parameters              ANY DEFINED BY algorithm OPTIONAL  }
/// ```
///
/// - `intrinsic`: Ed25519 / Ed448 (RFC 8410), whose hash is part of the scheme.
/// - `sha1` also covers the OIW `shaWithRSASignature` (1.3.14.3.2.15) and
///   `dsaWithSHA` (1.3.14.3.2.13), which use SHA-0, SHA-1's withdrawn and weaker
///   predecessor; there is no separate case for it.
/// - `unknown`: anything else (SHA-3, Streebog/GOST, unrecognised OIDs, malformed
///   RSASSA-PSS parameters).
public enum SignatureDigest: String, Sendable, Hashable, CaseIterable {
    case md2, md4, md5, sha1, sha224, sha256, sha384, sha512, sm3
    case intrinsic
    case unknown
}
