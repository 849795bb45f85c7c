import WireBytes

/// Puts IPv4 and IPv6 fragments back together. Pieces are held per datagram
/// until every byte from 0 to the last fragment's end is present; overlapping
/// pieces keep the first copy. Memory is capped per datagram and in total, and
/// datagrams older than the timeout are dropped (and counted).
public struct FragmentReassembler {
    struct Pending {
        var pieces: [(offset: Int, bytes: [UInt8])] = []
        var totalLength: Int?
        var heldBytes = 0
        var firstPacket: Int
        var lastSeenNanos: Int64
    }

    private var pending: [FragmentKey: Pending] = [:]
    private var heldBytes = 0
    public private(set) var datagramsReassembled = 0
    public private(set) var datagramsDropped = 0

    public var timeoutNanos: Int64 = 30_000_000_000
    public var maximumDatagram = 65_535 + 40
    public var maximumHeldBytes = 16 << 20

    public init() {}

    /// Adds one piece; returns the whole transport payload when it completes,
    /// with the packet number of the first piece seen.
    public mutating func add(_ piece: FragmentPiece, bytes: RawSpan, packet: Int, timeNanos: Int64) -> (payload: [UInt8], firstPacket: Int)? {
        if pending.count > 64 { expire(now: timeNanos) }
        guard piece.offset + piece.payloadLength <= maximumDatagram,
              heldBytes + piece.payloadLength <= maximumHeldBytes else {
            datagramsDropped += 1
            return nil
        }
        var entry = pending[piece.key] ?? Pending(firstPacket: packet, lastSeenNanos: timeNanos)
        let slice = bytes.extracting(piece.payloadOffset..<(piece.payloadOffset + piece.payloadLength))
        let copy = slice.withUnsafeBytes { Array($0) }
        entry.pieces.append((piece.offset, copy))
        entry.heldBytes += copy.count
        heldBytes += copy.count
        entry.lastSeenNanos = timeNanos
        if !piece.moreFragments { entry.totalLength = piece.offset + piece.payloadLength }
        if let total = entry.totalLength, let whole = Self.assemble(entry.pieces, total: total) {
            heldBytes -= entry.heldBytes
            pending[piece.key] = nil
            datagramsReassembled += 1
            return (whole, entry.firstPacket)
        }
        pending[piece.key] = entry
        return nil
    }

    static func assemble(_ pieces: [(offset: Int, bytes: [UInt8])], total: Int) -> [UInt8]? {
        // Pieces in arrival order: an earlier copy of a byte wins over a later one.
        var covered = [(Int, Int)]()
        for piece in pieces { covered.append((piece.offset, piece.offset + piece.bytes.count)) }
        covered.sort { $0.0 < $1.0 }
        var reach = 0
        for range in covered {
            if range.0 > reach { return nil }
            reach = max(reach, range.1)
        }
        guard reach >= total else { return nil }
        var whole = [UInt8](repeating: 0, count: total)
        var filled = [Bool](repeating: false, count: total)
        for piece in pieces {
            for (index, byte) in piece.bytes.enumerated() {
                let position = piece.offset + index
                if position < total && !filled[position] {
                    whole[position] = byte
                    filled[position] = true
                }
            }
        }
        return whole
    }

    public mutating func expire(now: Int64) {
        for (key, entry) in pending where elapsedNanos(now, since: entry.lastSeenNanos) > timeoutNanos {
            heldBytes -= entry.heldBytes
            pending[key] = nil
            datagramsDropped += 1
        }
    }

    /// Datagrams still incomplete (at the end of the input, they are lost).
    public var incompleteDatagrams: Int { pending.count }
}
