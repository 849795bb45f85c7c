#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two-way set-associative cache of key → tags: the same few keys repeat through a
/// body, and the table lookup (with its substring pass) is the scanner's costliest
/// step. Two ways, because in a direct-mapped table two keys of one object that
/// share a slot (`name` and `tags` in a feed item) evict each other on every item:
/// with twenty keys in 256 slots that happens to every other schema.
/// Exact, never by hash alone (a crafted key must not borrow `password`'s tags or
/// hide them): a key of up to 8 bytes is its own identity, packed in a word; a
/// longer one (up to `keyLimit`) is compared byte for byte. Raw storage, one per
/// thread (`forCurrentThread`, freed when the thread ends): probed for every JSON key.
///
/// A struct, so the probe can be `@_transparent`: the optimizer stops inlining
/// into a function as large as the JSON walker's loop (`@inline(__always)` was not
/// honoured there), and the call per key cost ~5% on telemetry batches and ~13% on
/// batches of numbers. A class method cannot be transparent.
struct KeyTagCache {
    static let keyLimit = 32
    /// 256 sets of two entries; entry `2 * set` holds the set's most recent key.
    private static let entries = 512
    private let words = UnsafeMutablePointer<UInt64>.allocate(capacity: KeyTagCache.entries)
    private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: KeyTagCache.entries)
    private let tags = UnsafeMutablePointer<ContextTags>.allocate(capacity: KeyTagCache.entries)
    private let keys = UnsafeMutablePointer<UInt8>.allocate(capacity: KeyTagCache.entries * KeyTagCache.keyLimit)

    init() {
        words.initialize(repeating: 0, count: Self.entries)
        lengths.initialize(repeating: 0, count: Self.entries)
        tags.initialize(repeating: [], count: Self.entries)
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
            let first = Self.firstEntry(word, n)
            if lengths[first] == n, words[first] == word { return tags[first] }
            return secondWay(key, word: word, first: first)
        }
        return longKeyTags(key)
    }

    /// The set a key maps to (for the tests that make keys share one).
    static func set(ofKey key: Bytes) -> Int {
        let n = key.count
        let word = n <= 8 ? Inspection.packed(key.baseAddress!, n) : Inspection.keyHash(key)
        return firstEntry(word, n) &>> 1
    }

    /// The first of the two entries of the set a key of `n` bytes with this word maps to.
    @inline(__always) private static func firstEntry(_ word: UInt64, _ n: Int) -> Int {
        Int(truncatingIfNeeded: ((word ^ UInt64(truncatingIfNeeded: n)) &* 0x9E37_79B9_7F4A_7C15) >> 56) &<< 1
    }

    /// A short key not in its set's first entry: the second, or the table.
    @inline(never) private func secondWay(_ key: Bytes, word: UInt64, first: Int) -> ContextTags {
        let n = key.count
        if lengths[first &+ 1] == n, words[first &+ 1] == word { return tags[first &+ 1] }
        return miss(key, word: word, first: first)
    }

    /// A key of more than eight bytes: its hash is its entry's word, and a hit compares the bytes.
    @inline(never) private func longKeyTags(_ key: Bytes) -> ContextTags {
        let n = key.count
        guard n > 0, n <= Self.keyLimit, let base = key.baseAddress else { return ContextWords.tags(forKey: key) }
        let word = Inspection.keyHash(key)
        let first = Self.firstEntry(word, n)
        for e in first...(first &+ 1) where lengths[e] == n && words[e] == word
            && memcmp(keys + e &* Self.keyLimit, base, n) == 0 {
            return tags[e]
        }
        return miss(key, word: word, first: first)
    }

    /// The table lookup behind a cache miss, remembered in the set's first entry; the
    /// key held there moves to the second (whose key is forgotten).
    @inline(never) private func miss(_ key: Bytes, word: UInt64, first: Int) -> ContextTags {
        let n = key.count
        let found = ContextWords.tags(forKey: key)
        let second = first &+ 1
        words[second] = words[first]
        lengths[second] = lengths[first]
        tags[second] = tags[first]
        if lengths[first] > 8 {
            (keys + second &* Self.keyLimit).update(from: keys + first &* Self.keyLimit, count: lengths[first])
        }
        words[first] = word
        lengths[first] = n
        tags[first] = found
        if n > 8 { (keys + first &* Self.keyLimit).update(from: key.baseAddress!, count: n) }
        return found
    }
}

extension KeyTagCache {
    /// This thread's cache. A key's tags depend on the key alone, so every inspection
    /// on a thread shares one, and one inspection's keys warm the next: a header
    /// value inspected on its own no longer allocates and clears the table (that was
    /// most of its cost). Never shared between threads: the cache has no locks.
    static var forCurrentThread: KeyTagCache {
        if let held = pthread_getspecific(threadKey) { return held.assumingMemoryBound(to: KeyTagCache.self).pointee }
        let box = UnsafeMutablePointer<KeyTagCache>.allocate(capacity: 1)
        box.initialize(to: KeyTagCache())
        pthread_setspecific(threadKey, box)
        return box.pointee
    }

    /// The thread-specific slot, whose destructor frees a thread's cache when the thread ends.
    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { raw in
            let held: UnsafeMutableRawPointer? = raw
            guard let box = held?.assumingMemoryBound(to: KeyTagCache.self) else { return }
            box.pointee.deallocate()
            box.deinitialize(count: 1)
            box.deallocate()
        }
        return key
    }()
}
