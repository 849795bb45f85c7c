import CertificateModel
import SwiftASN1
import WireBytes

/// Reads the two extensions wirecheck reports (RFC 5280 §4.2). Malformed
/// extensions are ignored rather than failing the certificate.
///
/// ```
/// Extensions  ::=  SEQUENCE SIZE (1..MAX) OF Extension
/// Extension  ::=  SEQUENCE  {
///      extnID      OBJECT IDENTIFIER,
///      critical    BOOLEAN DEFAULT FALSE,
///      extnValue   OCTET STRING }
/// ```
enum ExtensionDecoder {
    struct Result {
        var subjectAlternativeNames: [String] = []
        var isCA: Bool?
    }

    /// `node` is the `[3] EXPLICIT Extensions` wrapper.
    static func decode(_ node: ASN1Node) -> Result {
        var result = Result()
        guard let wrapped = DERNode.children(node), let first = wrapped.first,
            let extensions = DERNode.children(first, tag: .sequence)
        else { return result }
        for ext in extensions {
            guard let fields = DERNode.children(ext, tag: .sequence), fields.count >= 2,
                let id = DERNode.oid(fields[0]),
                let value = DERNode.primitive(fields[fields.count - 1], tag: .octetString),
                let inner = try? DER.parse(value)
            else { continue }
            switch id {
            case OIDRegistry.subjectAltNameOID:
                result.subjectAlternativeNames = generalNames(inner)
            case OIDRegistry.basicConstraintsOID:
                result.isCA = basicConstraintsCA(inner)
            default:
                continue
            }
        }
        return result
    }

    /// ```
    /// BasicConstraints ::= SEQUENCE {
    ///      cA                      BOOLEAN DEFAULT FALSE,
    ///      pathLenConstraint       INTEGER (0..MAX) OPTIONAL }
    /// ```
    static func basicConstraintsCA(_ node: ASN1Node) -> Bool? {
        guard let fields = DERNode.children(node, tag: .sequence) else { return nil }
        if let first = fields.first, first.identifier == .boolean {
            return DERNode.boolean(first)
        }
        return false
    }

    /// ```
    /// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName
    /// GeneralName ::= CHOICE {
    ///      otherName                 [0]  OtherName,
    ///      rfc822Name                [1]  IA5String,
    ///      dNSName                   [2]  IA5String,
    ///      x400Address               [3]  ORAddress,
    ///      directoryName             [4]  Name,
    ///      ediPartyName              [5]  EDIPartyName,
    ///      uniformResourceIdentifier [6]  IA5String,
    ///      iPAddress                 [7]  OCTET STRING,
    ///      registeredID              [8]  OBJECT IDENTIFIER }
    /// OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY DEFINED BY type-id }
    /// ```
    static func generalNames(_ node: ASN1Node) -> [String] {
        guard let names = DERNode.children(node, tag: .sequence) else { return [] }
        var out: [String] = []
        for name in names where name.identifier.tagClass == .contextSpecific {
            switch name.identifier.tagNumber {
            case 0:
                if let fields = DERNode.children(name), let first = fields.first, let oid = DERNode.oid(first) {
                    out.append("othername:" + oid)
                } else {
                    out.append("othername:<invalid>")
                }
            case 1:
                if let bytes = DERNode.primitive(name) { out.append("email:" + printable(bytes)) }
            case 2:
                if let bytes = DERNode.primitive(name) { out.append("DNS:" + printable(bytes)) }
            case 3:
                out.append("X400Name")
            case 4:
                if let fields = DERNode.children(name), let first = fields.first,
                    let dn = NameRenderer.decode(first)
                {
                    out.append("DirName:" + dn.rendered)
                }
            case 5:
                out.append("EdiPartyName")
            case 6:
                if let bytes = DERNode.primitive(name) { out.append("URI:" + printable(bytes)) }
            case 7:
                if let bytes = DERNode.primitive(name) { out.append("IP:" + ipAddress(bytes)) }
            case 8:
                if let bytes = DERNode.primitive(name), let oid = OIDText.dotted(bytes) { out.append("RID:" + oid) }
            default:
                continue
            }
        }
        return out
    }

    /// IA5String content with non-printable octets escaped as `\xNN`.
    static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if b >= 0x20, b < 0x7f, b != 0x5c {
                out.append(b)
            } else {
                out.append(contentsOf: Array("\\x".utf8))
                out.append(contentsOf: Array(Hex.string([b]).utf8))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// IPv4 dotted quad, IPv6 in RFC 5952 form; other lengths as `#` + hex.
    static func ipAddress(_ bytes: ArraySlice<UInt8>) -> String {
        let b = Array(bytes)
        if b.count == 4 { return b.map { String($0) }.joined(separator: ".") }
        guard b.count == 16 else { return "#" + Hex.string(b) }
        let groups = (0..<8).map { UInt16(b[2 * $0]) << 8 | UInt16(b[2 * $0 + 1]) }
        // Longest run (length ≥ 2) of zero groups, first one on ties.
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8, groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        func hex(_ range: Range<Int>) -> String {
            range.map { String(groups[$0], radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}
