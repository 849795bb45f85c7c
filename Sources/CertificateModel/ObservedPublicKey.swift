/// What a certificate says about its subject public key (RFC 5280 §4.1.2.7).
///
/// ```
/// SubjectPublicKeyInfo  ::=  SEQUENCE  {
///      algorithm            AlgorithmIdentifier,
///      subjectPublicKey     BIT STRING  }
/// ```
///
/// Key material is read per RFC 3279 / RFC 4055 / RFC 5480 / RFC 8410:
///
/// ```
/// RSAPublicKey ::= SEQUENCE {
///      modulus            INTEGER,    -- n
///      publicExponent     INTEGER  }  -- e
///
/// Dss-Parms  ::=  SEQUENCE  {
///      p             INTEGER,
///      q             INTEGER,
///      g             INTEGER  }
///
/// ECParameters ::= CHOICE {
///      namedCurve         OBJECT IDENTIFIER
///      implicitCurve      NULL
///      specifiedCurve     SpecifiedECDomain }
///
/// DomainParameters ::= SEQUENCE {            -- dhpublicnumber (X9.42)
///      p       INTEGER, g INTEGER, q INTEGER, j INTEGER OPTIONAL, ... }
/// DHParameter ::= SEQUENCE {                 -- PKCS #3 dhKeyAgreement
///      prime INTEGER, base INTEGER, privateValueLength INTEGER OPTIONAL }
/// ```
///
/// A key whose material cannot be decoded still gets `keyType` from the
/// algorithm OID, with `bits` and `securityBits` nil.
public struct ObservedPublicKey: Sendable, Hashable {
    /// Dotted-decimal `SubjectPublicKeyInfo.algorithm` OID ("" if undecodable).
    public let algorithmOID: String
    public let keyType: KeyType
    /// RSA: exact modulus bit length (leading zeros stripped). DSA/DH: bit length
    /// of p. EC/SM2: curve size (field size for named curves, bit length of the
    /// field prime / degree m for explicit parameters). Ed25519 256, Ed448 456,
    /// X25519 255, X448 448, GOST 256/512.
    public let bits: Int?
    /// Curve name as OpenSSL/IANA spell it ("secp256r1", "secp384r1",
    /// "brainpoolP256r1", "SM2", …); nil for explicit parameters or unknown curves.
    public let curveName: String?
    /// Dotted-decimal named-curve OID (or GOST parameter set), if any.
    public let curveOID: String?
    /// Approximate security strength per NIST SP 800-57 Part 1 Rev. 5, Table 2;
    /// see ``SecurityStrength`` for the exact formula.
    public let securityBits: Int?
    /// RSA public exponent: decimal when it fits in 64 bits, else "0x" + lowercase hex.
    public let rsaExponent: String?

    public init(
        algorithmOID: String, keyType: KeyType, bits: Int?, curveName: String?, curveOID: String?,
        securityBits: Int?, rsaExponent: String?
    ) {
        self.algorithmOID = algorithmOID
        self.keyType = keyType
        self.bits = bits
        self.curveName = curveName
        self.curveOID = curveOID
        self.securityBits = securityBits
        self.rsaExponent = rsaExponent
    }

    /// `rsa 2048`, `ec 384 secp384r1`: how findings and reports name the key.
    public var summary: String {
        var text = keyType.rawValue
        if let bits { text += " \(bits)" }
        if let curveName { text += " \(curveName)" }
        return text
    }
}
