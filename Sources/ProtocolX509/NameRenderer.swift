import CertificateModel
import SwiftASN1
import WireBytes

/// Renders an X.501 `Name` (RFC 5280 §4.1.2.4) as an RFC 4514 string.
///
/// ```
/// Name ::= CHOICE { rdnSequence  RDNSequence }
/// RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
/// RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
/// AttributeTypeAndValue ::= SEQUENCE { type AttributeType, value AttributeValue }
/// DirectoryString ::= CHOICE {
///       teletexString           TeletexString (SIZE (1..MAX)),
///       printableString         PrintableString (SIZE (1..MAX)),
///       universalString         UniversalString (SIZE (1..MAX)),
///       utf8String              UTF8String (SIZE (1..MAX)),
///       bmpString               BMPString (SIZE (1..MAX)) }
/// ```
enum NameRenderer {
    /// nil only if `node` is not a SEQUENCE (the `Name` skeleton is missing).
    static func decode(_ node: ASN1Node) -> DistinguishedName? {
        guard let rdns = DERNode.children(node, tag: .sequence) else { return nil }
        var components: [String] = []  // one per RDN, in encoded order
        var commonName: String?
        for rdn in rdns {
            guard let attributes = DERNode.children(rdn, tag: .set), !attributes.isEmpty else {
                components.append("#" + Hex.string(rdn.encodedBytes, uppercase: true))
                continue
            }
            var parts: [String] = []
            for attribute in attributes {
                guard let pair = DERNode.children(attribute, tag: .sequence), pair.count == 2,
                    let type = DERNode.oid(pair[0])
                else {
                    parts.append("#" + Hex.string(attribute.encodedBytes, uppercase: true))
                    continue
                }
                let value = pair[1]
                if let short = OIDRegistry.attributeShortNames[type], let text = string(value) {
                    parts.append(short + "=" + escape(text))
                    if type == OIDRegistry.commonNameOID { commonName = text }
                } else {
                    let key = OIDRegistry.attributeShortNames[type] ?? type
                    parts.append(key + "=#" + Hex.string(value.encodedBytes, uppercase: true))
                }
            }
            components.append(parts.reversed().joined(separator: "+"))
        }
        return DistinguishedName(
            der: Array(node.encodedBytes),
            rendered: components.reversed().joined(separator: ","),
            commonName: commonName)
    }

    /// Decodes a string-typed attribute value; nil for non-string types or
    /// invalid encodings.
    static func string(_ node: ASN1Node) -> String? {
        guard node.identifier.tagClass == .universal, let bytes = DERNode.primitive(node) else { return nil }
        switch node.identifier.tagNumber {
        case 12, 19, 22, 26, 18:  // UTF8String, PrintableString, IA5String, VisibleString, NumericString
            return String(validating: bytes, as: UTF8.self)
        case 20, 27:  // TeletexString, GeneralString: read as ISO 8859-1, as OpenSSL does
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case 30:  // BMPString: UTF-16BE
            guard bytes.count % 2 == 0 else { return nil }
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var i = bytes.startIndex
            while i < bytes.endIndex {
                units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                i += 2
            }
            return String(validating: units, as: UTF16.self)
        case 28:  // UniversalString: UTF-32BE
            guard bytes.count % 4 == 0 else { return nil }
            var scalars = String.UnicodeScalarView()
            var i = bytes.startIndex
            while i < bytes.endIndex {
                let v =
                    UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8
                    | UInt32(bytes[i + 3])
                guard let scalar = Unicode.Scalar(v) else { return nil }
                scalars.append(scalar)
                i += 4
            }
            return String(scalars)
        default:
            return nil
        }
    }

    /// RFC 4514 §2.4 escaping, plus hex escapes for control characters.
    static func escape(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            let v = scalar.value
            if v < 0x20 || v == 0x7f {
                out.append("\\")
                for c in Hex.string([UInt8(v)], uppercase: true).unicodeScalars { out.append(c) }
                continue
            }
            switch scalar {
            case "\"", "+", ",", ";", "<", ">", "\\":
                out.append("\\")
            case " " where index == 0 || index == scalars.count - 1:
                out.append("\\")
            case "#" where index == 0:
                out.append("\\")
            default:
                break
            }
            out.append(scalar)
        }
        return String(out)
    }
}
