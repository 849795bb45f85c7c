import WireBytes

/// Puts IPv4 and IPv6 fragments back together in time linear in the bytes
/// that arrive. Each pending datagram writes its pieces straight into one
/// buffer at their offsets, with a bitmap of the 8-byte blocks already filled
/// (fragment offsets are multiples of 8), so a piece costs its own length and
/// the first copy of a byte wins without sorting anything. Datagrams expire
/// from a queue in arrival order (no walk over everything pending), and caps
/// bound the pending datagrams, the bytes held and the work per datagram;
/// every datagram given up is counted by its reason.
public struct FragmentReassembler {
    /// Why a datagram was given up.
    public enum DropReason: Int, CaseIterable, Sendable {
        /// Its pieces did not all arrive within the timeout.
        case timeout
        /// More datagrams were pending than `maximumPending`: the oldest went.
        case tooManyPending
        /// Holding it would pass `maximumHeldBytes`.
        case heldBytes
        /// A piece reaches past the largest possible datagram.
        case oversize
        /// Its pieces overlap so much that reading them would cost more than
        /// `maximumWorkFactor` times the datagram.
        case overlapFlood
        /// The input ended (or the capture stopped) before it was complete.
        case incompleteAtEnd
    }

    struct Pending {
        var buffer: [UInt8] = []
        var filledBlocks: [UInt64] = []
        var blocksFilled = 0
        var totalLength: Int?
        var bytesSeen = 0
        var firstPacket: Int
        var createdNanos: Int64
        var serial: Int
    }

    private var pending: [FragmentKey: Pending] = [:]
    /// Datagrams in the order they began, for expiry and for the pending cap.
    private var order: [(key: FragmentKey, serial: Int, createdNanos: Int64)] = []
    private var orderHead = 0
    private var nextSerial = 0
    private var heldBytes = 0
    public private(set) var datagramsReassembled = 0
    public private(set) var dropped = [Int](repeating: 0, count: DropReason.allCases.count)
    public var datagramsDropped: Int { dropped.reduce(0, +) }
    public func dropped(_ reason: DropReason) -> Int { dropped[reason.rawValue] }

    public var timeoutNanos: Int64 = 30_000_000_000
    public var maximumDatagram = 65_535 + 40
    public var maximumHeldBytes = 16 << 20
    public var maximumPending = 16_384
    public var maximumWorkFactor = 8

    public init() {}

    /// Adds one piece; returns the whole transport payload when it completes,
    /// with the packet number of the first piece seen.
    public mutating func add(_ piece: FragmentPiece, bytes: RawSpan, packet: Int, timeNanos: Int64) -> (payload: [UInt8], firstPacket: Int)? {
        expire(now: timeNanos)
        let end = piece.offset + piece.payloadLength
        guard end <= maximumDatagram else {
            drop(piece.key, .oversize)
            return nil
        }
        var entry: Pending
        if let existing = pending.removeValue(forKey: piece.key) {
            entry = existing
        } else {
            if pending.count >= maximumPending { dropOldest() }
            entry = Pending(firstPacket: packet, createdNanos: timeNanos, serial: nextSerial)
            order.append((piece.key, nextSerial, timeNanos))
            nextSerial += 1
        }
        entry.bytesSeen += piece.payloadLength
        if entry.bytesSeen > maximumWorkFactor * maximumDatagram {
            release(entry)
            count(.overlapFlood)
            return nil
        }
        if end > entry.buffer.count {
            let growth = end - entry.buffer.count
            guard heldBytes + growth <= maximumHeldBytes else {
                release(entry)
                count(.heldBytes)
                return nil
            }
            entry.buffer.append(contentsOf: repeatElement(0, count: growth))
            let words = (end + 7) / 8 / 64 + 1
            if entry.filledBlocks.count < words { entry.filledBlocks.append(contentsOf: repeatElement(0, count: words - entry.filledBlocks.count)) }
            heldBytes += growth
        }
        bytes.extracting(piece.payloadOffset..<(piece.payloadOffset + piece.payloadLength)).withUnsafeBytes { source in
            // Block by block: a block already filled keeps its first copy.
            var block = piece.offset / 8
            var position = piece.offset
            while position < end {
                let blockEnd = min((block + 1) * 8, end)
                let word = block / 64, bit = UInt64(1) << UInt64(block % 64)
                if entry.filledBlocks[word] & bit == 0 {
                    // Only a whole block, or the datagram's last one, marks it filled.
                    let isLast = entry.totalLength.map { blockEnd >= $0 } ?? !piece.moreFragments
                    if blockEnd - block * 8 == 8 || isLast {
                        for index in position..<blockEnd { entry.buffer[index] = source[index - piece.offset] }
                        entry.filledBlocks[word] |= bit
                        entry.blocksFilled += 1
                    }
                }
                position = blockEnd
                block += 1
            }
        }
        if !piece.moreFragments { entry.totalLength = end }
        if let total = entry.totalLength, entry.blocksFilled >= (total + 7) / 8, Self.complete(entry, total: total) {
            heldBytes -= entry.buffer.count
            datagramsReassembled += 1
            var whole = entry.buffer
            whole.removeSubrange(total...)
            return (whole, entry.firstPacket)
        }
        pending[piece.key] = entry
        return nil
    }

    /// Every block below `total` is filled (a block past it, from a piece that lied, does not count).
    static func complete(_ entry: Pending, total: Int) -> Bool {
        let blocks = (total + 7) / 8
        for block in 0..<blocks where entry.filledBlocks[block / 64] & (UInt64(1) << UInt64(block % 64)) == 0 { return false }
        return true
    }

    private mutating func release(_ entry: Pending) {
        heldBytes -= entry.buffer.count
    }

    private mutating func count(_ reason: DropReason) {
        dropped[reason.rawValue] += 1
    }

    private mutating func drop(_ key: FragmentKey, _ reason: DropReason) {
        if let entry = pending.removeValue(forKey: key) { release(entry) }
        count(reason)
    }

    private mutating func popOrder() -> (key: FragmentKey, serial: Int, createdNanos: Int64)? {
        guard orderHead < order.count else { return nil }
        let head = order[orderHead]
        orderHead += 1
        if orderHead >= 4096 && orderHead * 2 >= order.count {
            order.removeFirst(orderHead)
            orderHead = 0
        }
        return head
    }

    /// The oldest datagram still pending goes (its queue entry may be stale: completed or dropped already).
    private mutating func dropOldest() {
        while let head = popOrder() {
            if let entry = pending[head.key], entry.serial == head.serial {
                drop(head.key, .tooManyPending)
                return
            }
        }
    }

    /// Drops datagrams older than the timeout, oldest first; stops at the first one still young.
    public mutating func expire(now: Int64) {
        while orderHead < order.count, elapsedNanos(now, since: order[orderHead].createdNanos) > timeoutNanos {
            guard let head = popOrder() else { break }
            if let entry = pending[head.key], entry.serial == head.serial { drop(head.key, .timeout) }
        }
    }

    /// The end of an input: whatever is still pending can never complete.
    public mutating func dropAllPending() {
        for (_, entry) in pending {
            release(entry)
            count(.incompleteAtEnd)
        }
        pending.removeAll()
        order.removeAll()
        orderHead = 0
    }

    /// Datagrams still incomplete (at the end of the input, they are lost).
    public var incompleteDatagrams: Int { pending.count }
}
