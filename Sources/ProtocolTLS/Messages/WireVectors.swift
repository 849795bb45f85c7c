import TLSModel
import WireBytes

/// Small readers for the vector shapes that recur in handshake messages.
/// Each one consumes its length-prefixed vector exactly or throws.
enum WireVectors {
    /// `uint16 list<..>` behind a `prefixBytes` length; an odd length is invalid.
    @_lifetime(r: copy r)
    static func readUInt16List(_ r: inout ByteReader, prefixBytes: Int, what: String,
                               limit: Int = WireLimits.maxListEntries) throws(ParseError) -> [UInt16] {
        var list = try r.readLengthPrefixed(prefixBytes: prefixBytes)
        guard list.remaining % 2 == 0 else {
            throw ParseError.invalid("\(what): odd length \(list.remaining)", at: list.absoluteOffset)
        }
        var values: [UInt16] = []
        while !list.isAtEnd {
            guard values.count < limit else {
                throw ParseError(.limitExceeded("\(what): more than \(limit) entries"), at: list.absoluteOffset)
            }
            values.append(try list.readUInt16())
        }
        return values
    }

    /// `uint8 list<..>` behind a `prefixBytes` length.
    @_lifetime(r: copy r)
    static func readUInt8List(_ r: inout ByteReader, prefixBytes: Int, what: String) throws(ParseError) -> [UInt8] {
        var list = try r.readLengthPrefixed(prefixBytes: prefixBytes)
        return try list.readBytes(count: list.remaining)
    }

    /// An `opaque x<..>` copied out.
    @_lifetime(r: copy r)
    static func readOpaque(_ r: inout ByteReader, prefixBytes: Int) throws(ParseError) -> [UInt8] {
        var body = try r.readLengthPrefixed(prefixBytes: prefixBytes)
        return try body.readBytes(count: body.remaining)
    }

    /// An `opaque x<..>` skipped; returns its length.
    @_lifetime(r: copy r)
    static func skipOpaque(_ r: inout ByteReader, prefixBytes: Int) throws(ParseError) -> Int {
        let body = try r.readLengthPrefixed(prefixBytes: prefixBytes)
        return body.remaining
    }

    /// Bit length of a big-endian unsigned integer: leading zero bytes
    /// stripped, then the top byte's significant bits counted.
    static func bitLength(of bytes: [UInt8]) -> Int {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        let top = bytes[first]
        return (bytes.count - first - 1) * 8 + (8 - top.leadingZeroBitCount)
    }

    /// The ALPN `ProtocolNameList` (RFC 7301 §3.1):
    /// ```
    /// opaque ProtocolName<1..2^8-1>;
    /// struct { ProtocolName protocol_name_list<2..2^16-1> } ProtocolNameList;
    /// ```
    /// Empty names are kept (JA4 has a rule for them) rather than rejected.
    @_lifetime(r: copy r)
    static func readProtocolNameList(_ r: inout ByteReader) throws(ParseError) -> [[UInt8]] {
        var list = try r.readLengthPrefixed(prefixBytes: 2)
        var names: [[UInt8]] = []
        while !list.isAtEnd {
            guard names.count < WireLimits.maxALPNProtocols else {
                throw ParseError(.limitExceeded("ALPN: more than \(WireLimits.maxALPNProtocols) protocols"),
                                 at: list.absoluteOffset)
            }
            names.append(try readOpaque(&list, prefixBytes: 1))
        }
        return names
    }
}

extension WireVectors {
    /// Reads one extension's type from `Extension extensions<..>` (RFC 8446 §4.2):
    /// ```
    /// struct {
    ///     ExtensionType extension_type;
    ///     opaque extension_data<0..2^16-1>;
    /// } Extension;
    /// ```
    /// and records it in `types`; the caller then reads the body with
    /// `readLengthPrefixed(prefixBytes: 2)`. Rejects a type seen twice ("There
    /// MUST NOT be more than one extension of the same type in a given
    /// extension block") and more than `WireLimits.maxExtensions` extensions.
    @_lifetime(block: copy block)
    static func readExtensionType(_ block: inout ByteReader, types: inout [UInt16]) throws(ParseError) -> UInt16 {
        let at = block.absoluteOffset
        let type = try block.readUInt16()
        guard !types.contains(type) else {
            throw ParseError.invalid("duplicate extension \(type)", at: at)
        }
        guard types.count < WireLimits.maxExtensions else {
            throw ParseError(.limitExceeded("more than \(WireLimits.maxExtensions) extensions"), at: at)
        }
        types.append(type)
        return type
    }
}
