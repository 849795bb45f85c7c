/// Bytes offered as a certificate (e.g. one entry of a TLS `Certificate`
/// message) that are not a single DER-encoded X.509 `Certificate`
/// (RFC 5280 §4.1):
///
/// ```
/// Certificate  ::=  SEQUENCE  {
///      tbsCertificate       TBSCertificate,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
/// ```
///
/// This covers bytes that fail DER decoding (garbage, truncation, BER-only
/// encodings such as indefinite lengths, trailing bytes after the outer
/// SEQUENCE), and well-formed DER whose structure is not a certificate
/// (wrong tags, missing mandatory TBSCertificate fields).
public struct NotDERCertificate: Sendable, Hashable {
    /// Lowercase hex SHA-256 over the offered bytes.
    public let sha256: String
    /// Number of bytes offered.
    public let byteCount: Int
    /// Human-readable reason the bytes were rejected.
    public let reason: String

    public init(sha256: String, byteCount: Int, reason: String) {
        self.sha256 = sha256
        self.byteCount = byteCount
        self.reason = reason
    }
}
