#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A direct-mapped cache from short byte strings to a payload, for the per-call
/// caches of `Inspection` (quiet JSON keys, repeated values, the leaf memo). Exact:
/// a hit compares the stored bytes, never a hash alone, so a crafted input can
/// neither borrow nor hide an entry. Raw storage (a class, so a probe loads its
/// pointers without copying a struct out of the inspection); the byte arena is
/// allocated on the first store.
final class ExactBytesCache<Payload> {
    /// The longest key kept.
    let limit: Int
    private let slotShift: UInt64
    private let hashes: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<Int>
    private let payloads: UnsafeMutablePointer<Payload>
    private var bytes: UnsafeMutablePointer<UInt8>?

    /// `slotBits`: log2 of the slot count. Payloads must be trivial (they are never deinitialized).
    init(slotBits: Int, limit: Int) {
        self.limit = limit
        slotShift = UInt64(64 - slotBits)
        let slots = 1 << slotBits
        hashes = .allocate(capacity: slots)
        hashes.initialize(repeating: 0, count: slots)
        lengths = .allocate(capacity: slots)
        lengths.initialize(repeating: 0, count: slots)
        payloads = .allocate(capacity: slots)
    }

    deinit {
        hashes.deallocate()
        lengths.deallocate()
        payloads.deallocate()
        bytes?.deallocate()
    }

    /// The slot holding `key` under `hash` (which callers make odd: 0 marks an empty
    /// slot), or -1; its payload is `self[slot]`.
    @inline(__always) func find(_ key: Bytes, hash: UInt64) -> Int {
        let slot = Int(truncatingIfNeeded: hash &>> slotShift)
        guard hashes[slot] == hash, lengths[slot] == key.count, let arena = bytes,
              memcmp(arena + slot &* limit, key.baseAddress!, key.count) == 0 else { return -1 }
        return slot
    }

    @inline(__always) subscript(slot: Int) -> Payload { payloads[slot] }

    /// Keeps `payload` for `key` (at most `limit` bytes, else nothing is kept), replacing the slot's entry.
    func store(_ key: Bytes, hash: UInt64, _ payload: Payload) {
        guard key.count <= limit else { return }
        let slot = Int(truncatingIfNeeded: hash &>> slotShift)
        let arena = bytes ?? UnsafeMutablePointer<UInt8>.allocate(capacity: (1 << (64 - Int(slotShift))) * limit)
        bytes = arena
        hashes[slot] = hash
        lengths[slot] = key.count
        (payloads + slot).initialize(to: payload)
        (arena + slot &* limit).update(from: key.baseAddress!, count: key.count)
    }
}
