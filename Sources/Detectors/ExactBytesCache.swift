#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A direct-mapped cache from short byte strings to a payload, for the per-call
/// caches of `Inspection` (quiet JSON keys, repeated values, the leaf memo). Exact:
/// a hit compares the stored bytes, never a hash alone, so a crafted input can
/// neither borrow nor hide an entry. Raw storage (a class, so a probe loads its
/// pointers without copying a struct out of the inspection), allocated on the first
/// store: most inspections (a header, a query value) never store, and allocating
/// and clearing the tables cost more than scanning such a value.
final class ExactBytesCache<Payload> {
    /// The longest key kept.
    let limit: Int
    private let slotShift: UInt64
    private var hashes: UnsafeMutablePointer<UInt64>?
    private var lengths: UnsafeMutablePointer<Int>
    private var payloads: UnsafeMutablePointer<Payload>
    private var bytes: UnsafeMutablePointer<UInt8>

    /// `slotBits`: log2 of the slot count. Payloads must be trivial (they are never deinitialized).
    init(slotBits: Int, limit: Int) {
        self.limit = limit
        slotShift = UInt64(64 - slotBits)
        // (Placeholders until the first store; `hashes` nil says so.)
        lengths = UnsafeMutablePointer(bitPattern: 8)!
        payloads = UnsafeMutablePointer(bitPattern: MemoryLayout<Payload>.alignment)!
        bytes = UnsafeMutablePointer(bitPattern: 8)!
    }

    deinit {
        guard let hashes else { return }
        hashes.deallocate()
        lengths.deallocate()
        payloads.deallocate()
        bytes.deallocate()
    }

    /// The slot holding `key` under `hash` (which callers make odd: 0 marks an empty
    /// slot), or -1; its payload is `self[slot]`.
    @inline(__always) func find(_ key: Bytes, hash: UInt64) -> Int {
        guard let hashes else { return -1 }
        let slot = Int(truncatingIfNeeded: hash &>> slotShift)
        guard hashes[slot] == hash, lengths[slot] == key.count,
              memcmp(bytes + slot &* limit, key.baseAddress!, key.count) == 0 else { return -1 }
        return slot
    }

    @inline(__always) subscript(slot: Int) -> Payload { payloads[slot] }

    /// Keeps `payload` for `key` (at most `limit` bytes, else nothing is kept), replacing the slot's entry.
    func store(_ key: Bytes, hash: UInt64, _ payload: Payload) {
        guard key.count <= limit else { return }
        let table = hashes ?? allocate()
        let slot = Int(truncatingIfNeeded: hash &>> slotShift)
        table[slot] = hash
        lengths[slot] = key.count
        (payloads + slot).initialize(to: payload)
        (bytes + slot &* limit).update(from: key.baseAddress!, count: key.count)
    }

    private func allocate() -> UnsafeMutablePointer<UInt64> {
        let slots = 1 << (64 - Int(slotShift))
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
        table.initialize(repeating: 0, count: slots)
        hashes = table
        lengths = .allocate(capacity: slots)
        lengths.initialize(repeating: 0, count: slots)
        payloads = .allocate(capacity: slots)
        bytes = .allocate(capacity: slots * limit)
        return table
    }
}
