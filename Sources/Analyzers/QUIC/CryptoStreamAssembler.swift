import WireBytes

/// One side's CRYPTO stream at one encryption level (RFC 9000 §19.6): pieces
/// arrive at offsets, out of order, repeated (a retransmission resends the
/// same bytes), and split across packets and datagrams. The contiguous prefix
/// is cut into TLS handshake messages (type, 3-byte length, body) as soon as
/// each is whole.
struct CryptoStreamAssembler {
    /// Everything contiguous from offset 0 that is not yet handed out as messages.
    private var buffered: [UInt8] = []
    /// The stream offset of `buffered[0]`.
    private var bufferedOffset = 0
    /// Pieces beyond the contiguous end, waiting for the hole before them.
    private var early: [(offset: Int, bytes: [UInt8])] = []
    private var earlyBytes = 0
    /// True once the stream asked for more than it may hold; nothing more is assembled.
    private(set) var overflowed = false

    /// An Initial carries a ClientHello or a ServerHello: a few KiB even with
    /// post-quantum key shares. Beyond this the stream is not followed.
    static let maximumBytes = 64 << 10

    var contiguousEnd: Int { bufferedOffset + buffered.count }

    /// Adds the piece at `offset` (bytes already held are ignored: a
    /// retransmission must not deliver a message twice).
    mutating func add(offset: Int, _ piece: RawSpan) {
        guard !overflowed, piece.byteCount > 0 else { return }
        let end = offset + piece.byteCount
        guard end <= Self.maximumBytes else {
            overflowed = true
            return
        }
        if offset > contiguousEnd {
            guard earlyBytes + piece.byteCount <= Self.maximumBytes else {
                overflowed = true
                return
            }
            early.append((offset, piece.withUnsafeBytes { Array($0) }))
            earlyBytes += piece.byteCount
            return
        }
        if end > contiguousEnd {
            piece.extracting((contiguousEnd - offset)..<piece.byteCount).withUnsafeBytes { buffered.append(contentsOf: $0) }
        }
        absorbEarlyPieces()
    }

    private mutating func absorbEarlyPieces() {
        var progressed = true
        while progressed && !early.isEmpty {
            progressed = false
            for index in early.indices.reversed() where early[index].offset <= contiguousEnd {
                let piece = early.remove(at: index)
                earlyBytes -= piece.bytes.count
                let end = piece.offset + piece.bytes.count
                if end > contiguousEnd { buffered.append(contentsOf: piece.bytes[(contiguousEnd - piece.offset)...]) }
                progressed = true
            }
        }
    }

    /// Hands out each whole handshake message at the front (type and body), in order.
    mutating func takeMessages(_ deliver: (UInt8, RawSpan) -> Void) {
        var start = 0
        while buffered.count - start >= 4 {
            let length = Int(buffered[start + 1]) << 16 | Int(buffered[start + 2]) << 8 | Int(buffered[start + 3])
            guard buffered.count - start - 4 >= length else { break }
            let type = buffered[start]
            buffered.withUnsafeBytes { raw in
                deliver(type, RawSpan(_unsafeBytes: raw).extracting((start + 4)..<(start + 4 + length)))
            }
            start += 4 + length
        }
        if start > 0 {
            buffered.removeFirst(start)
            bufferedOffset += start
        }
    }
}
