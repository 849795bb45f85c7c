import CertificateModel
import SwiftASN1
import WireBytes

/// Small, non-throwing accessors over the `ASN1Node` tree produced by
/// `DER.parse` (phase one). Phase two (the typed walk) uses only these, so a
/// wrong tag or a primitive where a constructed node was expected yields nil
/// instead of an error or a trap.
enum DERNode {
    /// Children of a constructed node, or nil if `node` is primitive.
    static func children(_ node: ASN1Node) -> [ASN1Node]? {
        guard case .constructed(let collection) = node.content else { return nil }
        return Array(collection)
    }

    /// Children of a constructed node with the given tag.
    static func children(_ node: ASN1Node, tag: ASN1Identifier) -> [ASN1Node]? {
        guard node.identifier == tag else { return nil }
        return children(node)
    }

    /// Content octets of a primitive node, or nil if constructed.
    static func primitive(_ node: ASN1Node) -> ArraySlice<UInt8>? {
        guard case .primitive(let bytes) = node.content else { return nil }
        return bytes
    }

    /// Content octets of a primitive node with the given tag.
    static func primitive(_ node: ASN1Node, tag: ASN1Identifier) -> ArraySlice<UInt8>? {
        guard node.identifier == tag else { return nil }
        return primitive(node)
    }

    static func isContext(_ node: ASN1Node, _ number: UInt) -> Bool {
        node.identifier.tagClass == .contextSpecific && node.identifier.tagNumber == number
    }

    /// Dotted-decimal text of an OBJECT IDENTIFIER node.
    static func oid(_ node: ASN1Node) -> String? {
        guard let bytes = primitive(node, tag: .objectIdentifier) else { return nil }
        return OIDText.dotted(bytes)
    }

    /// Content octets of an INTEGER node.
    static func integer(_ node: ASN1Node) -> ArraySlice<UInt8>? {
        primitive(node, tag: .integer)
    }

    /// A small non-negative INTEGER value (at most 8 content octets).
    static func smallInteger(_ node: ASN1Node) -> Int? {
        guard let bytes = integer(node), !bytes.isEmpty, bytes.count <= 8, bytes.first! < 0x80 else { return nil }
        var value: UInt64 = 0
        for b in bytes { value = value << 8 | UInt64(b) }
        return value <= UInt64(Int.max) ? Int(value) : nil
    }

    /// The data octets of a BIT STRING (without the unused-bits octet).
    static func bitStringBytes(_ node: ASN1Node) -> ArraySlice<UInt8>? {
        guard let bytes = primitive(node, tag: .bitString), let unused = bytes.first, unused < 8 else { return nil }
        return bytes.dropFirst()
    }

    /// BOOLEAN value (any non-zero octet is true, leniently).
    static func boolean(_ node: ASN1Node) -> Bool? {
        guard let bytes = primitive(node, tag: .boolean), bytes.count == 1 else { return nil }
        return bytes.first! != 0
    }

    /// `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`
    static func algorithmIdentifier(_ node: ASN1Node) -> (oid: String, parameters: ASN1Node?)? {
        guard let parts = children(node, tag: .sequence), let first = parts.first, let oid = oid(first) else {
            return nil
        }
        return (oid, parts.count > 1 ? parts[1] : nil)
    }
}

/// Integer and hex helpers over big-endian unsigned magnitudes.
enum Magnitude {
    /// Strips leading zero octets.
    static func stripped(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var b = bytes
        while let first = b.first, first == 0 { b = b.dropFirst() }
        return b
    }

    /// Exact bit length of a big-endian unsigned integer (0 for zero).
    static func bitLength(_ bytes: ArraySlice<UInt8>) -> Int {
        let b = stripped(bytes)
        guard let first = b.first else { return 0 }
        return (b.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }


    /// Decimal if the value fits in 64 bits, else "0x" + lowercase hex.
    static func decimalOrHex(_ bytes: ArraySlice<UInt8>) -> String {
        let b = stripped(bytes)
        if b.count <= 8 {
            var value: UInt64 = 0
            for x in b { value = value << 8 | UInt64(x) }
            return String(value)
        }
        return "0x" + Hex.string(b)
    }
}

/// OBJECT IDENTIFIER content octets → dotted decimal (X.690 §8.19).
enum OIDText {
    static func dotted(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty, bytes.last! & 0x80 == 0 else { return nil }
        var arcs: [String] = []
        var value: UInt64 = 0
        var first = true
        for b in bytes {
            guard value <= (UInt64.max >> 7) else { return nil }  // arc wider than 64 bits
            value = value << 7 | UInt64(b & 0x7f)
            if b & 0x80 == 0 {
                if first {
                    let top: UInt64 = value < 40 ? 0 : (value < 80 ? 1 : 2)
                    arcs.append(String(top))
                    arcs.append(String(value - top * 40))
                    first = false
                } else {
                    arcs.append(String(value))
                }
                value = 0
            }
        }
        return arcs.joined(separator: ".")
    }
}
