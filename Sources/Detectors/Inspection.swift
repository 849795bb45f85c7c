#if canImport(Glibc)
import Facts
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CScanKernels

/// The state of one `PIInspector.inspect` call: the decoding trail, the budget,
/// and the matches found so far. A class so recursive decoders share it without
/// copying; never shared across calls or threads.
final class Inspection {
    /// A walker is referenced unretained: its frames are popped before it goes away.
    enum StepRef { case fixed(String); case json(Unmanaged<JSONWalker>) }
    enum FieldRef { case name(String); case raw(Bytes); case json(Unmanaged<JSONWalker>) }
    struct Frame { var step: StepRef?; var field: FieldRef? }

    /// A latitude or longitude seen under its own key, waiting for its partner in
    /// the same object or parameter list.
    struct CoordinateSlot {
        var lat: (text: String, value: Validators.Decimal)?
        var lon: (text: String, value: Validators.Decimal)?
    }

    let limits: InspectionLimits
    let device: DeviceVariantIndex?
    /// The device index's raw lookup, nil without a (non-empty) device list.
    let deviceLookup: DeviceVariantIndex.Lookup?
    /// Its prefixes as the triage kernel reads them.
    let devicePrefixes: UnsafeMutablePointer<wc_device_prefixes>?
    /// Per-call copies of hot statics (no lazy-global check or retain per value).
    let hasDeviceList: Bool
    let keyedOnlyTags = ContextTags.keyedOnly
    let inertBytes: UnsafeMutablePointer<UInt8> = Inspection.inertTable
    let classTable: UnsafeBufferPointer<UInt8> = ByteClass.tableBuffer
    let base64Table: UnsafeBufferPointer<UInt8> = Decoders.base64Values
    let keyChars: UnsafeMutablePointer<Bool> = Inspection.keyChar
    var results: [PIMatch] = []
    /// Where each (type, value) already stands in `results`: repeats only
    /// count, so the decoding chain and the mask are built once per value.
    private var firstSighting: [RepeatKey: Int] = [:]
    private struct RepeatKey: Hashable {
        var type: PIType
        var value: String
    }
    var frames: [Frame] = []
    var depth = 0
    var scanned = 0
    var coordinates = CoordinateSlot()
    /// Calls to `emit` so far (repeats included): lets a scan tell it found nothing.
    var emitCount = 0
    /// End of the last base64/hex run examined, so a run is decoded once even when
    /// several of its tokens reach the run check.
    var runScannedUntil: (base: UnsafePointer<UInt8>?, end: Int) = (nil, 0)

    /// Key → tags (`KeyTagCache`), this thread's: the same few keys repeat through a body.
    let keyTags = KeyTagCache.forCurrentThread

    /// Up to eight bytes as one little-endian word (zero above them).
    @inline(__always) static func packed(_ b: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let raw = UnsafeRawPointer(b)
        if n == 8 { return raw.loadUnaligned(as: UInt64.self) }
        var w: UInt64 = 0
        var off = 0
        if n & 4 != 0 { w = UInt64(raw.loadUnaligned(as: UInt32.self)); off = 4 }
        if n & 2 != 0 { w |= UInt64(raw.loadUnaligned(fromByteOffset: off, as: UInt16.self)) << UInt64(off * 8); off += 2 }
        if n & 1 != 0 { w |= UInt64(b[off]) << UInt64(off * 8) }
        return w
    }

    /// (JSON key, depth) whose text scan found nothing and consumed no budget: the
    /// same key in the next object of a batch is not rescanned.
    private let quietKeys = ExactBytesCache<Void>(slotBits: 8, limit: KeyTagCache.keyLimit)
    /// Value bytes → index in `results`, for `emit(_:bytes:…)` (session ids, tokens, serials fit).
    private let repeats = ExactBytesCache<Int>(slotBits: 8, limit: 64)

    /// The text scan of a JSON key, skipped for a key already scanned to no effect.
    /// (Called inside the walker's frame: findings name the path of the key's parent.)
    func scanKey(_ key: Bytes) {
        // (With a device list a key's scan can always find something.)
        let cacheable = !hasDeviceList
        let h = (Self.keyHash(key) ^ (UInt64(truncatingIfNeeded: depth) &* 0x9E37_79B9_7F4A_7C15)) | 1
        if cacheable, quietKeys.find(key, hash: h) >= 0 { return }
        // (A run-skip mark left on this address by an earlier buffer could have hidden something.)
        let fresh = runScannedUntil.base != key.baseAddress
        let emitted = emitCount, consumed = scanned
        scanText(key, keyTags: [])
        if cacheable, fresh, emitCount == emitted, scanned == consumed { quietKeys.store(key, hash: h, ()) }
    }

    /// A 64-bit hash of a key, eight bytes per step (the cache's only identity for a key).
    @inline(__always) static func keyHash(_ key: Bytes) -> UInt64 {
        let n = key.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: n) &* 0xC2B2_AE3D_27D4_EB4F)
        guard let b = key.baseAddress else { return h }
        @inline(__always) func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
            var x = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            x ^= x >> 31
            x = x &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 29)
        }
        var i = 0
        while i + 8 <= n {
            h = mix(h, UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self))
            i += 8
        }
        if i < n {
            // The last eight bytes, overlapping the previous block (every byte is still
            // covered), or a key shorter than eight packed into a word.
            h = mix(h, n >= 8 ? UnsafeRawPointer(b).loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) : packed(b, n))
        }
        return h
    }

    init(limits: InspectionLimits, device: DeviceVariantIndex?) {
        self.limits = limits
        self.device = device
        self.deviceLookup = device.flatMap { $0.isEmpty ? nil : $0.lookup }
        self.hasDeviceList = deviceLookup != nil
        self.devicePrefixes = deviceLookup?.prefixes
        frames.reserveCapacity(32)
    }

    // MARK: Trail and emission

    @inline(__always) func withFrame<R>(step: StepRef? = nil, field: FieldRef? = nil, _ body: () -> R) -> R {
        frames.append(Frame(step: step, field: field))
        defer { frames.removeLast() }
        return body()
    }

    func consume(_ n: Int) -> Bool {
        scanned += n
        return scanned <= limits.maxBytesScanned
    }

    func emit(_ type: PIType, _ value: String, confidence: Double, detail: String? = nil, confirmed: Bool = false,
              extraSteps: [String] = []) {
        emitCount &+= 1
        let repeatKey = RepeatKey(type: type, value: value)
        if let existing = firstSighting[repeatKey] {
            results[existing].occurrences += 1
            lastEmitIndex = existing
            // A device match outranks a pattern match of the same value, and a surer
            // pattern match a less sure one: take its details.
            let held = results[existing]
            let clamped = min(1, max(0, confidence))
            guard (confirmed && !held.confirmed) || (confirmed == held.confirmed && clamped > held.confidence) else { return }
        }
        var decoding = [String]()
        var field: String? = nil
        for f in frames {
            if let s = f.step {
                switch s {
                case .fixed(let t): decoding.append(t)
                case .json(let w): decoding.append("json:" + w.takeUnretainedValue().pathString())
                }
            }
            if field == nil, let fr = f.field {
                switch fr {
                case .name(let n): field = n
                case .raw(let b): field = String(decoding: b, as: UTF8.self)
                case .json(let w): field = w.takeUnretainedValue().pathString()
                }
            }
        }
        decoding.append(contentsOf: extraSteps)
        var match = PIMatch(type: type, value: value, masked: Masking.mask(type, value), decoding: decoding, field: field,
                            confirmed: confirmed, confidence: min(1, max(0, confidence)), detail: detail)
        if let existing = firstSighting[repeatKey] {
            match.occurrences = results[existing].occurrences
            results[existing] = match
        } else {
            firstSighting[repeatKey] = results.count
            lastEmitIndex = results.count
            results.append(match)
        }
    }

    /// `emit` for a value reported exactly as its bytes: a repeat of a value already
    /// in `results` is counted from a byte comparison, before any String is built
    /// (a session id in every event of a batch would otherwise cost an allocation
    /// and a dictionary probe each time).
    func emit(_ type: PIType, bytes: Bytes, confidence: Double, detail: @autoclosure () -> String? = nil) {
        let h = Self.keyHash(bytes) | 1
        let slot = repeats.find(bytes, hash: h)
        if slot >= 0 {
            let index = repeats[slot]
            // The held match may have been replaced since (a device hit, a surer pattern): read it, not the
            // cache; through the buffer, so no field access copies the whole match.
            let stillHeld = results.withUnsafeBufferPointer { r in
                r[index].type == type && !r[index].confirmed && min(1, max(0, confidence)) <= r[index].confidence
            }
            if stillHeld {
                emitCount &+= 1
                results.withUnsafeMutableBufferPointer { $0[index].occurrences += 1 }
                lastEmitIndex = index
                return
            }
        }
        emit(type, String(decoding: bytes, as: UTF8.self), confidence: confidence, detail: detail())
        if bytes.count <= repeats.limit,
           let index = firstSighting[RepeatKey(type: type, value: String(decoding: bytes, as: UTF8.self))] {
            repeats.store(bytes, hash: h, index)
        }
    }

    func emitDevice(_ hit: (variant: Int, length: Int)) {
        guard let device else { return }
        let v = device.variants[hit.variant]
        emit(v.type, v.value, confidence: 1, detail: v.detail, confirmed: true, extraSteps: v.steps)
    }

    /// One match per (type, value, field, decoding), the most certain kept; a
    /// pattern hit is dropped when the device list confirmed the same value there.
    func deduplicated() -> [PIMatch] {
        // One value cannot repeat itself (most calls: a header, a form, a small body).
        if results.count <= 1 { return results }
        struct Key: Hashable { var type: PIType; var value: String; var field: String?; var decoding: [String] }
        var index = [Key: Int]()
        var out = [PIMatch]()
        for m in results {
            let k = Key(type: m.type, value: m.value, field: m.field, decoding: m.decoding)
            if let i = index[k] {
                if (m.confirmed && !out[i].confirmed) || (m.confirmed == out[i].confirmed && m.confidence > out[i].confidence) { out[i] = m }
            } else {
                index[k] = out.count
                out.append(m)
            }
        }
        struct Seen: Hashable { var type: PIType; var value: String; var field: String? }
        let confirmed = Set(out.filter(\.confirmed).map { Seen(type: $0.type, value: $0.value, field: $0.field) })
        return out.filter { $0.confirmed || !confirmed.contains(Seen(type: $0.type, value: $0.value, field: $0.field)) }
    }

    // MARK: Structured content

    /// `a=b&c=d` (query, form) or `a=b; c=d` (cookie): every value inspected with its key as context.
    func inspectPairs(_ p: Bytes, separator: UInt8, plusIsSpace: Bool, step: String) {
        guard consume(p.count) else { return }
        let saved = coordinates
        coordinates = CoordinateSlot()
        defer { coordinates = saved }
        withFrame(step: .fixed(step)) {
            var start = 0
            while start <= p.count {
                var end = start
                while end < p.count, p[end] != separator { end += 1 }
                let part = Self.trimmed(Bytes(rebasing: p[start..<end]))
                if !part.isEmpty { inspectPair(part, plusIsSpace: plusIsSpace) }
                start = end + 1
            }
        }
    }

    private func inspectPair(_ part: Bytes, plusIsSpace: Bool) {
        var eq = 0
        while eq < part.count, part[eq] != UInt8(ascii: "=") { eq += 1 }
        if eq == part.count {
            withUnescaped(part, plusIsSpace: plusIsSpace) { inspectLeaf($0, keyTags: []) }
            return
        }
        let rawKey = Bytes(rebasing: part[0..<eq])
        var rawValue = Bytes(rebasing: part[(eq + 1)...])
        if rawValue.count >= 2, rawValue.first == UInt8(ascii: "\""), rawValue.last == UInt8(ascii: "\"") {
            rawValue = Bytes(rebasing: rawValue[1..<(rawValue.count - 1)])
        }
        withUnescaped(rawKey, plusIsSpace: plusIsSpace) { key in
            let tags = self.keyTags.tags(forKey: key)
            withFrame(field: .raw(key)) {
                withUnescaped(rawValue, plusIsSpace: plusIsSpace) { inspectLeaf($0, keyTags: tags) }
            }
        }
    }

    private func withUnescaped(_ b: Bytes, plusIsSpace: Bool, _ body: (Bytes) -> Void) {
        var needs = false
        for c in b where c == UInt8(ascii: "%") || (plusIsSpace && c == UInt8(ascii: "+")) { needs = true; break }
        if !needs { body(b); return }
        let decoded = Decoders.percentDecode(b, plusIsSpace: plusIsSpace, limit: limits.maxDecodedBytes)
        decoded.withUnsafeBufferPointer { body($0) }
    }

    func inspectJSON(_ p: Bytes) {
        guard consume(p.count) else { return }
        let walker = JSONWalker(p, inspection: self)
        let stopped = walker.walk()
        if stopped < p.count {
            // Not JSON after all, or truncated: whatever the walker could not read is still scanned.
            let rest = Bytes(rebasing: p[stopped...])
            scanText(rest, keyTags: [])
        }
    }

    /// Decoded bytes: JSON, a parameter list or plain text, each its own layer.
    func inspectDecoded(_ b: Bytes, steps: [String], keyTags: ContextTags) {
        guard depth < limits.maxDepth else { return }
        depth += 1
        defer { depth -= 1 }
        for s in steps { frames.append(Frame(step: .fixed(s), field: nil)) }
        defer { frames.removeLast(steps.count) }
        if Self.looksLikeJSON(b) {
            inspectJSON(b)
        } else if Self.looksLikeParameters(b) {
            inspectPairs(b, separator: UInt8(ascii: "&"), plusIsSpace: true, step: "form")
        } else {
            inspectLeaf(b, keyTags: keyTags)
        }
    }

    static func looksLikeJSON(_ b: Bytes) -> Bool {
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: "{") || b[i] == UInt8(ascii: "[") else { return false }
        var j = b.count - 1
        while j > i, b[j] == 0x20 || b[j] == 9 || b[j] == 10 || b[j] == 13 || b[j] == 0 { j -= 1 }
        return b[j] == UInt8(ascii: "}") || b[j] == UInt8(ascii: "]") || b.count > 64
    }

    /// `k=v&k2=v2` with no whitespace and a key before the first '='.
    static func looksLikeParameters(_ b: Bytes) -> Bool {
        guard b.count >= 3, b.count < 1 << 20, b[b.count - 1] != UInt8(ascii: "=") else { return false }
        var sawEq = false, keyLen = 0
        for c in b {
            if c <= 0x20 || c >= 0x7F { return false }
            if c == UInt8(ascii: "=") { if !sawEq && keyLen == 0 { return false }; sawEq = true }
            else if !sawEq { keyLen += 1; if !(ByteClass.isAlnum(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "%")) { return false } }
            if c == UInt8(ascii: "&") { if !sawEq { return false }; keyLen = 0 }
        }
        return sawEq
    }

    // MARK: One value

    /// A value whose key is known (or known to be absent).
    /// Without leading and trailing spaces, tabs and line breaks.
    @inline(__always) static func trimmed(_ b: Bytes) -> Bytes {
        var v = b
        while let f = v.first, f == 0x20 || f == 9 || f == 10 || f == 13 { v = Bytes(rebasing: v[1...]) }
        while let l = v.last, l == 0x20 || l == 9 || l == 10 || l == 13 { v = Bytes(rebasing: v[..<(v.count - 1)]) }
        return v
    }

    // MARK: Repeated short values

    /// What inspecting one short alphanumeric value did, to be replayed when the
    /// same bytes come again under the same key tags at the same depth (a session
    /// id under `sid` in every event of a batch): the budget it used and the one
    /// result it counted, if any.
    struct LeafMemo {
        var tags: ContextTags
        var depth: Int
        /// Which inspection it records (`memoized`).
        var variant: Int
        var scanned: Int
        var emitted: Bool
        var index: Int
    }
    private let memo = ExactBytesCache<LeafMemo>(slotBits: 6, limit: 32)
    /// The result the last `emit` counted or created.
    private var lastEmitIndex = -1
    /// Latitudes and longitudes offered so far: a value that offered one changed state a replay would not.
    private var coordinateOffers = 0

    /// Whether every byte of `v` (a short value) is an ASCII letter or digit.
    @inline(__always) static func isAlphanumeric(_ v: Bytes) -> Bool {
        let b = v.baseAddress!, n = v.count
        var k = 0
        while k &+ 8 <= n {
            if alnumBytes(load(b, k)) != highs { return false }
            k &+= 8
        }
        while k < n { if !ByteClass.isAlnum(b[k]) { return false }; k &+= 1 }
        return true
    }

    /// `triage`: skip what cannot fire (`leafVerdict`); off only for the tests that check the triage
    /// and for values the caller has triaged already.
    func inspectLeaf(_ value: Bytes, keyTags: ContextTags, triage: Bool = true) {
        let v = Self.trimmed(value)
        guard !v.isEmpty else { return }
        memoized(v, tags: keyTags, variant: triage ? 1 : 0) { inspectLeafOnce(v, keyTags: keyTags, triage: triage) }
    }

    /// The keyed detectors on a `key=value` found in text, memoized like `inspectLeaf`.
    func detectKeyed(_ v: Bytes, tags: ContextTags) {
        memoized(v, tags: tags, variant: 2) { KeyedDetectors.detect(v, tags: tags, in: self) }
    }

    /// Runs `body` (the inspection of `v` under `tags`; `variant` says which) or, when
    /// it ran on the same bytes under the same tags at this depth before, replays it.
    /// Only for values under a key that names them, which repeat (session ids, device
    /// ids), and only for letters and digits: neither a key=value, an escape, a nested
    /// document nor a coordinate, so the same input gives the same findings (repeats
    /// only count).
    @inline(__always) private func memoized(_ v: Bytes, tags: ContextTags, variant: Int, _ body: () -> Void) {
        guard v.count <= memo.limit, !tags.isDisjoint(with: keyedOnlyTags),
              tags.isDisjoint(with: [.latitude, .longitude, .location]), Self.isAlphanumeric(v) else {
            body()
            return
        }
        let h = (Self.keyHash(v) ^ UInt64(truncatingIfNeeded: tags.rawValue) &* 0x9E37_79B9_7F4A_7C15
                 ^ UInt64(truncatingIfNeeded: depth &* 4 &+ variant) &* 0xC2B2_AE3D_27D4_EB4F) | 1
        let slot = memo.find(v, hash: h)
        if slot >= 0, memo[slot].tags == tags, memo[slot].depth == depth, memo[slot].variant == variant,
           scanned &+ memo[slot].scanned <= limits.maxBytesScanned {
            let m = memo[slot]
            scanned &+= m.scanned
            if m.emitted {
                emitCount &+= 1
                results.withUnsafeMutableBufferPointer { $0[m.index].occurrences += 1 }
                lastEmitIndex = m.index
            }
            return
        }
        let emitted = emitCount, consumed = scanned, offers = coordinateOffers
        body()
        guard emitCount &- emitted <= 1, coordinateOffers == offers, scanned <= limits.maxBytesScanned else { return }
        memo.store(v, hash: h, LeafMemo(tags: tags, depth: depth, variant: variant, scanned: scanned &- consumed,
                                        emitted: emitCount != emitted, index: lastEmitIndex))
    }

    /// `inspectLeaf` for a trimmed, non-empty value.
    private func inspectLeafOnce(_ v: Bytes, keyTags: ContextTags, triage: Bool) {
        guard consume(v.count) else { return }
        if !keyTags.isDisjoint(with: ContextTags.keyedOnly) { KeyedDetectors.detect(v, tags: keyTags, in: self) }
        else if Self.isInert(v, shortestDeviceVariant: deviceLookup?.minVariantLength, table: inertBytes) { return }
        if triage, v.count <= Int(WC_LEAF_VERDICT_LIMIT) {
            // After the keyed detectors (a session id under `sid`), the rest runs only where it can fire.
            var dots = 0
            switch Self.leafVerdict(v, readable: v.count, device: devicePrefixes, dotsSeen: &dots) {
            case .quiet: return
            case .singleToken: scanSingleToken(v, keyTags: keyTags); return
            case .encodedRun: decodeEncodedRun(v, keyTags: keyTags); return
            case .full: break
            }
        }
        if v.count >= 40 { KeyedDetectors.appList(v, in: self) }
        if depth < limits.maxDepth {
            if v.count >= 2, Self.looksLikeJSON(v), v[0] == UInt8(ascii: "{") || v[0] == UInt8(ascii: "[") {
                depth += 1
                inspectJSON(v)
                depth -= 1
                return
            }
            if Decoders.hasPercentEscape(v) {
                let decoded = Decoders.percentDecode(v, plusIsSpace: false, limit: limits.maxDecodedBytes)
                decoded.withUnsafeBufferPointer { inspectDecoded($0, steps: ["percent"], keyTags: keyTags) }
                // The decoded copy holds everything the escaped one does; scanning both would report twice.
                return
            }
            if v.count >= 20, v[0] == UInt8(ascii: "e"), v[1] == UInt8(ascii: "y"), v[2] == UInt8(ascii: "J") {
                jwtPayload(v, keyTags: keyTags)
            }
        }
        scanText(v, keyTags: keyTags)
    }

    /// A value (under no key-only context) that no detector can fire on, so the
    /// scan is skipped: shorter than every shaped identifier (11) with none of the
    /// bytes that start an email, an escape, a nested document or a `key=value`;
    /// or a short run of lowercase words, which neither carries digits nor decodes.
    /// A device list disables this for values its shortest variant fits in
    /// (`shortestDeviceVariant`, nil without a list).
    @inline(__always) static func isInert(_ v: Bytes, shortestDeviceVariant: Int?, table: UnsafeMutablePointer<UInt8>) -> Bool {
        let n = v.count
        if let shortest = shortestDeviceVariant, n >= shortest { return false }
        if n < 11 {
            for c in v where table[Int(c)] & 1 != 0 { return false }
            return true
        }
        guard n < 40 else { return false }
        for c in v where table[Int(c)] & 2 == 0 { return false }
        return true
    }

    /// What one pass over a value says about it, for `JSONWalker.leaf`.
    enum LeafVerdict { case quiet, singleToken, encodedRun, full }

    /// Whether anything in `inspectLeaf` could fire on `v` (under no key-only
    /// context), and how much of it needs to run. `full` for a byte that starts an
    /// email, an escape, a nested document or a `key=value`, a device variant's
    /// first four bytes where the scanner probes, or enough dots for a package list;
    /// `singleToken` for one alphanumeric run long enough for a shaped identifier
    /// (11) or an encoded value; `quiet` when no run is long enough (a UUID's parts
    /// are not). Sixteen bytes per step into bitmaps, in C (`wc_leaf_verdict`): most
    /// values of a telemetry batch stop here.
    /// `readable`: how many bytes from `v`'s start may be loaded (at least `v.count`);
    /// bytes past the value are loaded when the buffer allows it, and never count.
    /// `dotsSeen`: the value's '.' count when the verdict read the whole value, -1 when it stopped early.
    @inline(__always) static func leafVerdict(_ v: Bytes, readable: Int, device: UnsafeMutablePointer<wc_device_prefixes>?,
                                              dotsSeen: inout Int) -> LeafVerdict {
        var dots: Int32 = -1
        let verdict = leafVerdict(v, readable: readable, device: device, dotsInto: &dots)
        dotsSeen = Int(dots)
        return verdict
    }

    /// `leafVerdict` writing the dot count to `dots`: the JSON walker passes storage it
    /// owns, so its per-value step takes no local's address (no stack guard, no spills).
    @inline(__always) static func leafVerdict(_ v: Bytes, readable: Int, device: UnsafeMutablePointer<wc_device_prefixes>?,
                                              dotsInto dots: UnsafeMutablePointer<Int32>) -> LeafVerdict {
        switch wc_leaf_verdict_best(v.baseAddress, v.count, readable, device, dots) {
        case WC_VERDICT_QUIET: return .quiet
        case WC_VERDICT_SINGLE_TOKEN: return .singleToken
        case WC_VERDICT_ENCODED_RUN: return .encodedRun
        default: return .full
        }
    }

    /// Bit 0: a byte that may start a finding in a short value. Bit 1: a byte of
    /// lowercase prose (letters, space, `_ - . / + ,`).
    nonisolated(unsafe) static let inertTable: UnsafeMutablePointer<UInt8> = {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        t.initialize(repeating: 0, count: 256)
        for c in "@%=:\"'{[".utf8 { t[Int(c)] |= 1 }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] |= 2 }
        for c in " _-./+,".utf8 { t[Int(c)] |= 2 }
        return t
    }()

    /// A JWT's middle segment is base64url JSON, often carrying the phone number or user id.
    func jwtPayload(_ v: Bytes, keyTags: ContextTags) {
        var dots = [Int]()
        for (i, c) in v.enumerated() where c == UInt8(ascii: ".") { dots.append(i); if dots.count > 2 { return } }
        guard dots.count == 2 else { return }
        let payload = Bytes(rebasing: v[(dots[0] + 1)..<dots[1]])
        guard let decoded = Decoders.base64Decode(payload, limit: limits.maxDecodedBytes) else { return }
        decoded.withUnsafeBufferPointer { inspectDecoded($0, steps: ["jwt"], keyTags: keyTags) }
    }

    // MARK: Coordinates

    func offerLatitude(_ text: Bytes) {
        guard let d = Validators.decimal(text), abs(d.value) <= 90 else { return }
        coordinateOffers &+= 1
        coordinates.lat = (String(decoding: text, as: UTF8.self), d)
        pairCoordinates()
    }

    func offerLongitude(_ text: Bytes) {
        guard let d = Validators.decimal(text), abs(d.value) <= 180 else { return }
        coordinateOffers &+= 1
        coordinates.lon = (String(decoding: text, as: UTF8.self), d)
        pairCoordinates()
    }

    private func pairCoordinates() {
        guard let lat = coordinates.lat, let lon = coordinates.lon else { return }
        coordinates = CoordinateSlot()
        emitCoordinates(lat: lat, lon: lon, confidence: 0.9)
    }

    func emitCoordinates(lat: (text: String, value: Validators.Decimal), lon: (text: String, value: Validators.Decimal), confidence: Double) {
        guard lat.value.decimals >= 3, lon.value.decimals >= 3 else { return }
        guard lat.value.value != 0 || lon.value.value != 0 else { return }
        emit(.coordinates, "\(lat.text),\(lon.text)", confidence: confidence,
             detail: "precise location (\(min(lat.value.decimals, lon.value.decimals)) decimals)")
    }
}
