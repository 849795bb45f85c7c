/// An X.501 `Name` as it appears in a certificate's `issuer` or `subject`
/// (RFC 5280 §4.1.2.4):
///
/// ```
/// Name ::= CHOICE { -- only one possibility for now --
///   rdnSequence  RDNSequence }
///
/// RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
///
/// RelativeDistinguishedName ::=
///   SET SIZE (1..MAX) OF AttributeTypeAndValue
///
/// AttributeTypeAndValue ::= SEQUENCE {
///   type     AttributeType,
///   value    AttributeValue }
/// ```
///
/// `rendered` follows RFC 4514 §2: RDNs in reverse order of the RDNSequence,
/// separated by ",", multi-valued RDN members joined by "+" (in reverse
/// encoded order, as OpenSSL's `-nameopt RFC2253` prints them). Known types
/// use the short names CN, C, ST, L, O, OU, emailAddress, serialNumber, DC,
/// UID, street, title, GN, SN (plus a few more, see `OIDRegistry`); other
/// types print as the dotted OID with `#` + uppercase hex of the value's DER
/// encoding. String values are escaped per RFC 4514 §2.4 (`"+,;<>\`, a leading
/// space or `#`, a trailing space), and control characters are hex-escaped
/// (`\0A`). Non-ASCII characters are kept as UTF-8 (OpenSSL's RFC2253 mode
/// would hex-escape them instead). Values that are not a recognised string
/// type, or not valid in their string encoding, print as `#` + hex.
public struct DistinguishedName: Sendable, Hashable {
    /// The DER encoding of the whole `Name` (outer SEQUENCE included), as found.
    public let der: [UInt8]
    /// RFC 4514 string form, e.g. "CN=example.com,O=Example,C=US".
    public let rendered: String
    /// The last commonName (2.5.4.3) in encoded order (the most specific one,
    /// i.e. the first in `rendered`), unescaped; nil if there is none.
    public let commonName: String?

    public init(der: [UInt8], rendered: String, commonName: String?) {
        self.der = der
        self.rendered = rendered
        self.commonName = commonName
    }
}
