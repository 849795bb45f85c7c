/// A leniently parsed X.509 certificate (RFC 5280 §4.1):
///
/// ```
/// Certificate  ::=  SEQUENCE  {
///      tbsCertificate       TBSCertificate,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
///
/// TBSCertificate  ::=  SEQUENCE  {
///      version         [0]  EXPLICIT Version DEFAULT v1,
///      serialNumber         CertificateSerialNumber,
///      signature            AlgorithmIdentifier,
///      issuer               Name,
///      validity             Validity,
///      subject              Name,
///      subjectPublicKeyInfo SubjectPublicKeyInfo,
///      issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
///      subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
///      extensions      [3]  EXPLICIT Extensions OPTIONAL }
///
/// Version  ::=  INTEGER  {  v1(0), v2(1), v3(2)  }
/// CertificateSerialNumber  ::=  INTEGER
/// Validity ::= SEQUENCE {
///      notBefore      Time,
///      notAfter       Time }
/// Time ::= CHOICE {
///      utcTime        UTCTime,
///      generalTime    GeneralizedTime }
/// ```
///
/// Nothing is verified: the signature is not checked and policy-relevant
/// oddities (weak keys, unknown algorithms, odd dates) are reported, not
/// rejected.
public struct ObservedCertificate: Sendable, Hashable {
    /// The certificate's DER bytes exactly as offered.
    public let der: [UInt8]
    /// Lowercase hex SHA-256 over `der` (the usual certificate fingerprint).
    public let sha256: String
    /// 1, 2 or 3 (`Version` + 1).
    public let version: Int
    /// Lowercase hex of the serial number's content octets, leading zero
    /// octets (DER sign padding) stripped; "00" for zero. Negative serials
    /// (an RFC 5280 violation) show their two's-complement octets.
    public let serialNumber: String
    public let subject: DistinguishedName
    public let issuer: DistinguishedName
    /// `validity.notBefore` as Unix seconds (UTC); nil if unparseable. UTCTime
    /// years 50–99 are 19xx, 00–49 are 20xx (RFC 5280 §4.1.2.5.1).
    public let notBefore: Int64?
    /// `validity.notAfter` as Unix seconds (UTC); nil if unparseable.
    public let notAfter: Int64?
    public let publicKey: ObservedPublicKey
    /// The outer `Certificate.signatureAlgorithm`.
    public let signatureAlgorithm: ObservedSignatureAlgorithm
    /// subjectAltName (2.5.29.17) entries in encoded order: "DNS:…", "IP:…",
    /// "email:…", "URI:…", "DirName:…", "RID:…", "othername:<oid>",
    /// "X400Name", "EdiPartyName". Empty if absent or malformed.
    public let subjectAlternativeNames: [String]
    /// basicConstraints (2.5.29.19) `cA`; nil if the extension is absent or malformed.
    public let isCA: Bool?

    /// Issuer and subject `Name` encodings are byte-identical (RFC 5280 §6.1
    /// "self-issued", judged by DER bytes rather than name matching rules).
    public var isSelfIssued: Bool { subject.der == issuer.der }

    public init(
        der: [UInt8], sha256: String, version: Int, serialNumber: String,
        subject: DistinguishedName, issuer: DistinguishedName,
        notBefore: Int64?, notAfter: Int64?,
        publicKey: ObservedPublicKey, signatureAlgorithm: ObservedSignatureAlgorithm,
        subjectAlternativeNames: [String], isCA: Bool?
    ) {
        self.der = der
        self.sha256 = sha256
        self.version = version
        self.serialNumber = serialNumber
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.publicKey = publicKey
        self.signatureAlgorithm = signatureAlgorithm
        self.subjectAlternativeNames = subjectAlternativeNames
        self.isCA = isCA
    }
}
