#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Direct-mapped cache of key → tags: the same few keys repeat through a body, and
/// the table lookup (with its substring pass) is the scanner's costliest step.
/// Exact, never by hash alone (a crafted key must not borrow `password`'s tags or
/// hide them): a key of up to 8 bytes is its own identity, packed in a word; a
/// longer one (up to `keyLimit`) is compared byte for byte. Raw storage, owned by
/// one `Inspection` (which deallocates it): this is probed for every JSON key.
///
/// A struct, so the probe can be `@_transparent`: the optimizer stops inlining
/// into a function as large as the JSON walker's loop (`@inline(__always)` was not
/// honoured there), and the call per key cost ~5% on telemetry batches and ~13% on
/// batches of numbers. A class method cannot be transparent.
struct KeyTagCache {
    static let keyLimit = 32
    private let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
    private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: 256)
    private let tags = UnsafeMutablePointer<ContextTags>.allocate(capacity: 256)
    private let keys = UnsafeMutablePointer<UInt8>.allocate(capacity: 256 * KeyTagCache.keyLimit)

    init() {
        words.initialize(repeating: 0, count: 256)
        lengths.initialize(repeating: 0, count: 256)
        tags.initialize(repeating: [], count: 256)
    }

    func deallocate() {
        words.deallocate()
        lengths.deallocate()
        tags.deallocate()
        keys.deallocate()
    }

    /// `readable`: how many bytes from the key's start may be loaded (a short key is
    /// then read in one load and masked; 0 when unknown).
    @_transparent func tags(forKey key: Bytes, readable: Int = 0) -> ContextTags {
        let n = key.count
        if n > 0, n <= 8, let base = key.baseAddress {
            let word = readable >= 8 ? Inspection.load(base, 0) & (UInt64.max &>> UInt64(truncatingIfNeeded: 64 &- 8 &* n))
                                     : Inspection.packed(base, n)
            let slot = Self.slot(word, n)
            if lengths[slot] == n, words[slot] == word { return tags[slot] }
            return miss(key, word: word, slot: slot)
        }
        return longKeyTags(key)
    }

    @inline(__always) private static func slot(_ word: UInt64, _ n: Int) -> Int {
        Int(truncatingIfNeeded: ((word ^ UInt64(truncatingIfNeeded: n)) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    /// A key of more than eight bytes: its hash is its slot's word, and a hit compares the bytes.
    @inline(never) private func longKeyTags(_ key: Bytes) -> ContextTags {
        let n = key.count
        guard n > 0, n <= Self.keyLimit, let base = key.baseAddress else { return ContextWords.tags(forKey: key) }
        let word = Inspection.keyHash(key)
        let slot = Self.slot(word, n)
        if lengths[slot] == n, words[slot] == word, memcmp(keys + slot &* Self.keyLimit, base, n) == 0 { return tags[slot] }
        return miss(key, word: word, slot: slot)
    }

    /// The table lookup behind a cache miss, remembered in `slot`.
    @inline(never) private func miss(_ key: Bytes, word: UInt64, slot: Int) -> ContextTags {
        let n = key.count
        let found = ContextWords.tags(forKey: key)
        words[slot] = word
        lengths[slot] = n
        tags[slot] = found
        if n > 8 { (keys + slot &* Self.keyLimit).update(from: key.baseAddress!, count: n) }
        return found
    }
}
