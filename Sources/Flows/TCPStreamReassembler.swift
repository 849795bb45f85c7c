/// Reassembles one direction of a TCP connection into the byte stream the
/// receiver's application saw.
///
/// - In-order data is handed on straight from the packet's bytes (no copy).
/// - Out-of-order segments are copied and held, up to `maximumPendingBytes`.
/// - Retransmissions and overlaps keep the first copy; a later copy whose
///   bytes differ is counted as a conflicting overlap (an evasion trick).
///   Delivered bytes are not kept: each delivered segment leaves a keyed
///   64-bit digest, and a retransmission is compared, digest against digest,
///   with every delivered segment it covers whole (a segment only partly
///   covered cannot be compared; its overlapping bytes are counted).
/// - Sequence numbers wrap: positions are kept as 64-bit stream offsets.
/// - A connection seen from its middle starts at the first segment's sequence.
/// - Holes the capture never filled become gaps: reported to the consumer,
///   which resynchronises, when the peer acknowledges past them, when held
///   data exceeds the cap, or when the stream is flushed.
public struct TCPStreamReassembler: Sendable {
    public struct Statistics: Sendable {
        public var segments = 0
        public var payloadBytes: UInt64 = 0
        public var deliveredBytes: UInt64 = 0
        public var retransmittedBytes: UInt64 = 0
        public var outOfOrderSegments = 0
        public var conflictingOverlaps = 0
        /// Retransmitted bytes that covered a delivered segment only in part, so
        /// they could not be compared with it.
        public var uncomparedOverlapBytes: UInt64 = 0
        public var gaps = 0
        public var gapBytes: UInt64 = 0
        /// Times a memory or segment-count cap made the reassembler give up
        /// waiting for a hole (the hole became a gap).
        public var droppedForMemory = 0
        public init() {}
    }

    struct HeldSegment: Sendable {
        var start: UInt64
        var bytes: [UInt8]
        var packet: Int
        var end: UInt64 { start + UInt64(bytes.count) }
    }

    public private(set) var started = false
    public private(set) var startedMidStream = false
    public private(set) var sawSYN = false
    public private(set) var finished = false
    /// Sequence number of the byte at `nextOffset`.
    private var nextSequence: UInt32 = 0
    /// Stream offset of the next byte the consumer expects.
    public private(set) var nextOffset: UInt64 = 0
    private var held: [HeldSegment] = []
    public private(set) var heldBytes = 0
    /// Digests of the last delivered segments, oldest first, to compare retransmissions against.
    private var history = DeliveredSegments()
    public private(set) var statistics = Statistics()
    /// Packets whose bytes conflicted with an earlier copy.
    public private(set) var conflictPackets: [Int] = []

    public var maximumPendingBytes: Int

    public init(maximumPendingBytes: Int = 1 << 20) {
        self.maximumPendingBytes = maximumPendingBytes
    }

    /// The stream offset of a sequence number, relative to the next expected byte.
    @inline(__always)
    private func offset(of sequence: UInt32) -> Int64 {
        Int64(nextOffset) + Int64(Int32(bitPattern: sequence &- nextSequence))
    }

    /// Feeds one segment. `onData` receives contiguous stream bytes in order,
    /// with the packet that completed them; `onGap` the length of a hole.
    public mutating func segment(
        sequence: UInt32, syn: Bool, fin: Bool, payload: RawSpan, packet: Int,
        globalHeldBytes: inout Int, globalHeldLimit: Int,
        onData: (RawSpan, Int) -> Void, onGap: (Int) -> Void
    ) {
        if syn {
            if !started {
                started = true
                sawSYN = true
                nextSequence = sequence &+ 1
                nextOffset = 0
            }
            // Data on a SYN (TCP Fast Open) starts after the SYN's own sequence number.
            if payload.byteCount > 0 {
                accept(start: offset(of: sequence &+ 1), payload: payload, packet: packet,
                       globalHeldBytes: &globalHeldBytes, globalHeldLimit: globalHeldLimit, onData: onData, onGap: onGap)
            }
            return
        }
        if payload.byteCount > 0 {
            if !started {
                started = true
                startedMidStream = true
                nextSequence = sequence
                nextOffset = 0
                // The consumer must not assume it sees the stream's first byte.
                onGap(0)
            }
            accept(start: offset(of: sequence), payload: payload, packet: packet,
                   globalHeldBytes: &globalHeldBytes, globalHeldLimit: globalHeldLimit, onData: onData, onGap: onGap)
        }
        if fin { finished = true }
    }

    private mutating func accept(
        start signedStart: Int64, payload: RawSpan, packet: Int,
        globalHeldBytes: inout Int, globalHeldLimit: Int,
        onData: (RawSpan, Int) -> Void, onGap: (Int) -> Void
    ) {
        statistics.segments += 1
        statistics.payloadBytes += UInt64(payload.byteCount)
        let end = signedStart + Int64(payload.byteCount)
        let next = Int64(nextOffset)
        if end <= next {
            // Entirely before what was delivered: a retransmission (or, when the
            // capture started mid-stream, data from before the capture).
            statistics.retransmittedBytes += UInt64(payload.byteCount)
            if signedStart >= 0 { compareWithHistory(start: UInt64(signedStart), payload, packet: packet) }
            return
        }
        var body = payload
        var start = signedStart
        if start < next {
            let overlap = Int(next - start)
            statistics.retransmittedBytes += UInt64(overlap)
            if start >= 0 { compareWithHistory(start: UInt64(start), payload.extracting(0..<overlap), packet: packet) }
            body = payload.extracting(overlap..<payload.byteCount)
            start = next
        }
        let startOffset = UInt64(start)
        if startOffset == nextOffset {
            deliver(body, packet: packet, onData: onData)
            drainHeld(globalHeldBytes: &globalHeldBytes, onData: onData)
            return
        }
        // A hole before this segment: hold a copy until the hole fills.
        statistics.outOfOrderSegments += 1
        hold(start: startOffset, body, packet: packet, globalHeldBytes: &globalHeldBytes)
        if heldBytes > maximumPendingBytes || globalHeldBytes > globalHeldLimit || held.count > Self.maximumHeldSegments {
            statistics.droppedForMemory += 1
            skipToHeld(globalHeldBytes: &globalHeldBytes, onData: onData, onGap: onGap)
        }
    }

    private mutating func deliver(_ bytes: RawSpan, packet: Int, onData: (RawSpan, Int) -> Void) {
        guard bytes.byteCount > 0 else { return }
        onData(bytes, packet)
        let count = bytes.byteCount
        nextOffset += UInt64(count)
        nextSequence = nextSequence &+ UInt32(truncatingIfNeeded: count)
        statistics.deliveredBytes += UInt64(count)
        remember(bytes)
    }

    private mutating func remember(_ bytes: RawSpan) {
        history.append(start: nextOffset - UInt64(bytes.byteCount), length: bytes.byteCount, digest: SegmentDigest.of(bytes))
    }

    /// `payload` retransmits stream bytes from `start` on: compare it with each
    /// delivered segment it covers whole.
    private mutating func compareWithHistory(start: UInt64, _ payload: RawSpan, packet: Int) {
        let end = start + UInt64(payload.byteCount)
        var differs = false
        var uncompared: UInt64 = 0
        history.forEach(overlapping: start..<end) { segment in
            if segment.start >= start && segment.end <= end {
                let from = Int(segment.start - start)
                if SegmentDigest.of(payload.extracting(from..<(from + segment.length))) != segment.digest { differs = true }
            } else {
                uncompared += min(segment.end, end) - max(segment.start, start)
            }
        }
        statistics.uncomparedOverlapBytes += uncompared
        if differs { noteConflict(packet) }
    }

    private mutating func noteConflict(_ packet: Int) {
        statistics.conflictingOverlaps += 1
        if conflictPackets.count < 32 { conflictPackets.append(packet) }
    }

    private mutating func hold(start: UInt64, _ bytes: RawSpan, packet: Int, globalHeldBytes: inout Int) {
        // First copy wins: every piece is trimmed against the segments already
        // held (comparing the overlap); a piece split around a held segment
        // goes back on the work list so its tail is trimmed too.
        var work: [(start: UInt64, data: [UInt8])] = [(start, bytes.withUnsafeBytes { Array($0) })]
        pieces: while let piece = work.popLast() {
            var segmentStart = piece.start
            var data = piece.data
            var index = 0
            while index < held.count && !data.isEmpty {
                let other = held[index]
                let segmentEnd = segmentStart + UInt64(data.count)
                if other.end <= segmentStart || other.start >= segmentEnd {
                    index += 1
                    continue
                }
                let from = max(other.start, segmentStart)
                let to = min(other.end, segmentEnd)
                for position in from..<to where data[Int(position - segmentStart)] != other.bytes[Int(position - other.start)] {
                    noteConflict(packet)
                    break
                }
                statistics.retransmittedBytes += to - from
                if other.start <= segmentStart && other.end >= segmentEnd { continue pieces }
                if other.start <= segmentStart {
                    data.removeFirst(Int(other.end - segmentStart))
                    segmentStart = other.end
                } else if other.end >= segmentEnd {
                    data.removeLast(Int(segmentEnd - other.start))
                } else {
                    work.append((other.end, Array(data[Int(other.end - segmentStart)...])))
                    data.removeLast(Int(segmentEnd - other.start))
                }
                index = 0
            }
            guard !data.isEmpty else { continue }
            insertHeld(HeldSegment(start: segmentStart, bytes: data, packet: packet), globalHeldBytes: &globalHeldBytes)
        }
    }

    /// Bookkeeping a held segment costs beyond its bytes, charged against the caps
    /// so a flood of tiny segments cannot hide behind a small byte count.
    static let segmentOverhead = 64
    /// More out-of-order segments than this in one direction are treated like a full buffer.
    public static let maximumHeldSegments = 4096

    private mutating func insertHeld(_ segment: HeldSegment, globalHeldBytes: inout Int) {
        let position = held.firstIndex { $0.start > segment.start } ?? held.count
        held.insert(segment, at: position)
        heldBytes += segment.bytes.count + Self.segmentOverhead
        globalHeldBytes += segment.bytes.count + Self.segmentOverhead
    }

    private mutating func drainHeld(globalHeldBytes: inout Int, onData: (RawSpan, Int) -> Void) {
        while let first = held.first, first.start <= nextOffset {
            held.removeFirst()
            heldBytes -= first.bytes.count + Self.segmentOverhead
            globalHeldBytes -= first.bytes.count + Self.segmentOverhead
            if first.end <= nextOffset { continue }
            let skip = Int(nextOffset - first.start)
            first.bytes.withUnsafeBytes { raw in
                let span = RawSpan(_unsafeBytes: UnsafeRawBufferPointer(rebasing: raw[skip...]))
                deliver(span, packet: first.packet, onData: onData)
            }
        }
    }

    /// Declares the hole before the first held segment lost and goes on from there.
    private mutating func skipToHeld(globalHeldBytes: inout Int, onData: (RawSpan, Int) -> Void, onGap: (Int) -> Void) {
        guard let first = held.first, first.start > nextOffset else { return }
        let gap = first.start - nextOffset
        statistics.gaps += 1
        statistics.gapBytes += gap
        onGap(Int(min(gap, UInt64(Int.max))))
        nextSequence = nextSequence &+ UInt32(truncatingIfNeeded: gap)
        nextOffset = first.start
        history.removeAll()
        drainHeld(globalHeldBytes: &globalHeldBytes, onData: onData)
    }

    /// The peer acknowledged `acknowledgement`: bytes before it were received,
    /// so a hole there that the capture missed will never be filled.
    public mutating func peerAcknowledged(_ acknowledgement: UInt32, globalHeldBytes: inout Int,
                                          onData: (RawSpan, Int) -> Void, onGap: (Int) -> Void) {
        guard started, let first = held.first else { return }
        let acknowledged = offset(of: acknowledgement)
        if acknowledged >= Int64(first.start) {
            skipToHeld(globalHeldBytes: &globalHeldBytes, onData: onData, onGap: onGap)
        }
    }

    /// End of the connection or the input: deliver everything held, with gaps.
    public mutating func flush(globalHeldBytes: inout Int, onData: (RawSpan, Int) -> Void, onGap: (Int) -> Void) {
        while !held.isEmpty {
            skipToHeld(globalHeldBytes: &globalHeldBytes, onData: onData, onGap: onGap)
            drainHeld(globalHeldBytes: &globalHeldBytes, onData: onData)
        }
    }

    /// Stops reassembling (the consumer needs no more bytes) and frees memory.
    public mutating func release(globalHeldBytes: inout Int) {
        globalHeldBytes -= heldBytes
        heldBytes = 0
        held = []
        history = DeliveredSegments()
    }
}

/// A keyed 64-bit digest of a segment's bytes: equal bytes give equal
/// digests; the key, drawn once per process, keeps a hostile capture from
/// choosing different bytes with the same digest.
enum SegmentDigest {
    static let key: UInt64 = UInt64.random(in: 1...UInt64.max) | 1

    /// Four independent lanes of 8 bytes, so the multiplies do not wait on
    /// each other (one lane ran at a fifth of memcpy's speed).
    @inline(__always)
    static func of(_ bytes: RawSpan) -> UInt64 {
        let count = bytes.byteCount
        var a = key, b = key &* 0x9E37_79B9_7F4A_7C15, c = ~key, d = key ^ UInt64(truncatingIfNeeded: count)
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset + 32 <= count {
                a = (a ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                b = (b ^ raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
                c = (c ^ raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                d = (d ^ raw.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
                a ^= a >> 32
                b ^= b >> 32
                c ^= c >> 32
                d ^= d >> 32
                offset += 32
            }
            while offset + 8 <= count {
                a = (a ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                a ^= a >> 32
                offset += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while offset < count {
                tail |= UInt64(raw[offset]) << shift
                shift += 8
                offset += 1
            }
            b = (b ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        var hash = a ^ (b &* 0x9E37_79B9_7F4A_7C15) ^ (c &* 0xC2B2_AE3D_27D4_EB4F) ^ (d &* 0x1656_67B1_9E37_79F9)
        hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }
}

/// The digests of the most recently delivered segments (a ring; the oldest give way).
struct DeliveredSegments: Sendable {
    struct Segment: Sendable {
        var start: UInt64
        var length: Int
        var digest: UInt64
        var end: UInt64 { start + UInt64(length) }
    }

    /// Retransmissions come from within the sender's window: 128 segments reach
    /// back 185 KB at Ethernet sizes (and far more with offloaded segments).
    static let capacity = 128

    private var ring: [Segment] = []
    private var oldest = 0

    mutating func append(start: UInt64, length: Int, digest: UInt64) {
        guard length > 0 else { return }
        let segment = Segment(start: start, length: length, digest: digest)
        if ring.count < Self.capacity {
            ring.append(segment)
        } else {
            ring[oldest] = segment
            oldest = (oldest + 1) % Self.capacity
        }
    }

    mutating func removeAll() {
        ring.removeAll(keepingCapacity: true)
        oldest = 0
    }

    /// Calls `body` for every kept segment that overlaps `range`.
    func forEach(overlapping range: Range<UInt64>, _ body: (Segment) -> Void) {
        for index in 0..<ring.count {
            let segment = ring[(oldest + index) % ring.count]
            if segment.start < range.upperBound && segment.end > range.lowerBound { body(segment) }
        }
    }
}
