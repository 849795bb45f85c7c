/// The family of a certificate's subject public key, derived from
/// `SubjectPublicKeyInfo.algorithm` (RFC 5280 §4.1.2.7) and, for
/// `id-ecPublicKey`, from the named curve in its parameters.
///
/// ```
/// SubjectPublicKeyInfo  ::=  SEQUENCE  {
///      algorithm            AlgorithmIdentifier,
///      subjectPublicKey     BIT STRING  }
/// ```
///
/// `.sm2` covers both `id-ecPublicKey` with the SM2 curve
/// (1.2.156.10197.1.301) and that OID used directly as the key algorithm.
/// `.rsaPSS` is `id-RSASSA-PSS` (RFC 4055) used as the key algorithm.
public enum KeyType: String, Sendable, Hashable, CaseIterable {
    case rsa = "RSA"
    case rsaPSS = "RSA-PSS"
    case dsa = "DSA"
    case ec = "EC"
    case sm2 = "SM2"
    case ed25519 = "Ed25519"
    case ed448 = "Ed448"
    case x25519 = "X25519"
    case x448 = "X448"
    case dh = "DH"
    case gost = "GOST"
    /// FIPS 204 module-lattice signatures (RFC 9881 OIDs 2.16.840.1.101.3.4.3.17–19).
    case mldsa44 = "ML-DSA-44"
    case mldsa65 = "ML-DSA-65"
    case mldsa87 = "ML-DSA-87"
    /// FIPS 205 stateless hash-based signatures (2.16.840.1.101.3.4.3.20–31); the parameter set is `curveName`.
    case slhdsa = "SLH-DSA"
    case unknown = "unknown"
}
