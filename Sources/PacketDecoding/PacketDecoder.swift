import WireBytes

/// Link layer → IPv4/IPv6 (extension headers walked) → TCP/UDP, over the
/// packet's bytes without copying. Lengths from headers are checked against
/// the bytes actually captured.
public enum PacketDecoder {
    /// Ethernet II, BSD null/loop, raw IP, Linux cooked SLL/SLL2.
    public static func decode(linkType: UInt32, _ bytes: RawSpan) -> DecodeResult {
        var reader = ByteReader(bytes)
        do {
            switch linkType {
            case 1:
                var tags = 0
                try reader.skip(12)
                var etherType = try reader.readUInt16()
                while etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 {
                    try reader.skip(2)
                    etherType = try reader.readUInt16()
                    tags += 1
                }
                return try network(etherType: etherType, &reader, vlanTags: tags)
            case 0:
                // DLT_NULL: the address family in the capturing host's byte order.
                let raw = try reader.readUInt32()
                let family = raw > 0xFFFF ? raw.byteSwapped : raw
                return try family == 2 ? network(etherType: 0x0800, &reader, vlanTags: 0)
                    : [24, 28, 30].contains(family) ? network(etherType: 0x86DD, &reader, vlanTags: 0) : .ignored
            case 108:
                let family = try reader.readUInt32()
                return try family == 2 ? network(etherType: 0x0800, &reader, vlanTags: 0)
                    : [24, 28, 30].contains(family) ? network(etherType: 0x86DD, &reader, vlanTags: 0) : .ignored
            case 12, 14, 101:
                guard let first = reader.peekUInt8() else { return .malformed("empty raw IP packet") }
                return try network(etherType: first >> 4 == 6 ? 0x86DD : 0x0800, &reader, vlanTags: 0)
            case 228:
                return try network(etherType: 0x0800, &reader, vlanTags: 0)
            case 229:
                return try network(etherType: 0x86DD, &reader, vlanTags: 0)
            case 113:
                try reader.skip(14)
                return try network(etherType: try reader.readUInt16(), &reader, vlanTags: 0)
            case 276:
                let protocolType = try reader.readUInt16()
                try reader.skip(18)
                return try network(etherType: protocolType, &reader, vlanTags: 0)
            default:
                return .unsupportedLinkType
            }
        } catch {
            return .malformed("link layer: \(error)")
        }
    }

    static func network(etherType: UInt16, _ reader: inout ByteReader, vlanTags: Int) throws(ParseError) -> DecodeResult {
        switch etherType {
        case 0x0800: return try ipv4(&reader, vlanTags: vlanTags)
        case 0x86DD: return try ipv6(&reader, vlanTags: vlanTags)
        default: return .ignored
        }
    }

    static func ipv4(_ reader: inout ByteReader, vlanTags: Int) throws(ParseError) -> DecodeResult {
        let start = reader.offset
        let versionIHL = try reader.readUInt8()
        guard versionIHL >> 4 == 4 else { return .malformed("IPv4 header with version \(versionIHL >> 4)") }
        let headerLength = Int(versionIHL & 0x0F) * 4
        guard headerLength >= 20 else { return .malformed("IPv4 header length \(headerLength)") }
        try reader.skip(1)
        let totalLength = Int(try reader.readUInt16())
        let identification = try reader.readUInt16()
        let flagsFragment = try reader.readUInt16()
        try reader.skip(1)
        let proto = try reader.readUInt8()
        try reader.skip(2)
        let source = IPAddress(ipv4: try reader.readUInt32())
        let destination = IPAddress(ipv4: try reader.readUInt32())
        try reader.skip(headerLength - 20)
        guard totalLength >= headerLength else { return .malformed("IPv4 total length \(totalLength) below header length") }
        let captured = reader.bytes.byteCount - start
        let payloadEnd = start + min(totalLength, captured)
        let payloadStart = reader.offset
        let fragmentOffset = Int(flagsFragment & 0x1FFF) * 8
        let moreFragments = flagsFragment & 0x2000 != 0
        var packet = DecodedPacket(source: source, destination: destination, transport: proto)
        packet.vlanTags = vlanTags
        if fragmentOffset != 0 || moreFragments {
            return .fragment(FragmentPiece(
                key: FragmentKey(source: source, destination: destination, identification: UInt32(identification), transport: proto),
                offset: fragmentOffset, moreFragments: moreFragments,
                payloadOffset: payloadStart, payloadLength: payloadEnd - payloadStart))
        }
        var transport = ByteReader(reader.bytes.extracting(payloadStart..<payloadEnd), baseOffset: payloadStart)
        return try decodeTransport(&packet, &transport, announcedLength: totalLength - headerLength)
    }

    static func ipv6(_ reader: inout ByteReader, vlanTags: Int) throws(ParseError) -> DecodeResult {
        let start = reader.offset
        let version = try reader.readUInt8()
        guard version >> 4 == 6 else { return .malformed("IPv6 header with version \(version >> 4)") }
        try reader.skip(3)
        let payloadLength = Int(try reader.readUInt16())
        var next = try reader.readUInt8()
        try reader.skip(1)
        let sourceHigh = UInt64(try reader.readUInt32()) << 32 | UInt64(try reader.readUInt32())
        let sourceLow = UInt64(try reader.readUInt32()) << 32 | UInt64(try reader.readUInt32())
        let destinationHigh = UInt64(try reader.readUInt32()) << 32 | UInt64(try reader.readUInt32())
        let destinationLow = UInt64(try reader.readUInt32()) << 32 | UInt64(try reader.readUInt32())
        let source = IPAddress(high: sourceHigh, low: sourceLow)
        let destination = IPAddress(high: destinationHigh, low: destinationLow)
        let captured = reader.bytes.byteCount
        // Jumbograms (payload length 0) run to the end of the capture.
        let end = payloadLength == 0 ? captured : min(start + 40 + payloadLength, captured)
        var fragment: (offset: Int, more: Bool, id: UInt32)?
        // Walk extension headers; cap the chain so a loop of headers cannot spin.
        for _ in 0..<16 {
            switch next {
            case 0, 43, 60, 135, 139, 140:
                let header = try reader.readUInt8()
                let length = (Int(try reader.readUInt8()) + 1) * 8
                try reader.skip(length - 2)
                next = header
            case 51: // AH: length in 4-byte units, minus 2
                let header = try reader.readUInt8()
                let length = (Int(try reader.readUInt8()) + 2) * 4
                try reader.skip(length - 2)
                next = header
            case 44:
                let header = try reader.readUInt8()
                try reader.skip(1)
                let offsetFlags = try reader.readUInt16()
                let identification = try reader.readUInt32()
                fragment = (Int(offsetFlags & 0xFFF8), offsetFlags & 1 != 0, identification)
                next = header
            default:
                var packet = DecodedPacket(source: source, destination: destination, transport: next)
                packet.vlanTags = vlanTags
                let payloadStart = reader.offset
                guard payloadStart <= end else { return .malformed("IPv6 extension headers overrun the payload length") }
                if let fragment, fragment.offset != 0 || fragment.more {
                    return .fragment(FragmentPiece(
                        key: FragmentKey(source: source, destination: destination, identification: fragment.id, transport: next),
                        offset: fragment.offset, moreFragments: fragment.more,
                        payloadOffset: payloadStart, payloadLength: end - payloadStart))
                }
                var transport = ByteReader(reader.bytes.extracting(payloadStart..<end), baseOffset: payloadStart)
                let announced = payloadLength == 0 ? end - payloadStart : start + 40 + payloadLength - payloadStart
                return try decodeTransport(&packet, &transport, announcedLength: announced)
            }
        }
        return .malformed("more than 16 IPv6 extension headers")
    }

    /// Decodes TCP or UDP from the bytes of an IP payload (also used on
    /// reassembled fragments). `announcedLength` is what the IP header said.
    public static func decodeTransport(_ packet: inout DecodedPacket, _ reader: inout ByteReader, announcedLength: Int) throws(ParseError) -> DecodeResult {
        switch packet.transport {
        case DecodedPacket.tcp:
            packet.sourcePort = try reader.readUInt16()
            packet.destinationPort = try reader.readUInt16()
            packet.sequence = try reader.readUInt32()
            packet.acknowledgement = try reader.readUInt32()
            let offsetByte = try reader.readUInt8()
            let flags = try reader.readUInt8()
            let headerLength = Int(offsetByte >> 4) * 4
            guard headerLength >= 20 else { return .malformed("TCP data offset \(headerLength)") }
            try reader.skip(headerLength - 14)
            packet.tcpFlags = TCPFlags(rawValue: flags)
            packet.payloadOffset = reader.absoluteOffset
            packet.payloadLength = reader.remaining
            packet.payloadTruncated = announcedLength - headerLength > reader.remaining
            return .packet(packet)
        case DecodedPacket.udp:
            packet.sourcePort = try reader.readUInt16()
            packet.destinationPort = try reader.readUInt16()
            let length = Int(try reader.readUInt16())
            try reader.skip(2)
            packet.payloadOffset = reader.absoluteOffset
            let announced = length >= 8 ? length - 8 : reader.remaining
            packet.payloadLength = min(announced, reader.remaining)
            packet.payloadTruncated = announced > reader.remaining
            return .packet(packet)
        default:
            return .ignored
        }
    }
}
