#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CScanKernels

/// A lenient, bounded JSON reader that walks objects and arrays without building
/// a tree. Each leaf is inspected with its last key as context; the JSON path is
/// only turned into a string when something is found. Tolerates single quotes,
/// unquoted keys, trailing commas and a truncated end (snap length, segment loss).
///
/// One loop over an explicit stack, no recursion and no reference-counted state:
/// in telemetry batches the cost per value, not per byte, decides the speed.
final class JSONWalker {
    /// One component of the current path: an object member's key or an array index.
    struct PathEntry {
        var key: UnsafePointer<UInt8>?
        var keyCount: Int
        /// -1 for an object member.
        var index: Int
        var tags: ContextTags
        /// The key is an unescaped copy this walker must free.
        var ownsKey: Bool
    }

    /// An open object or array.
    struct Container {
        var isArray: Bool
        /// Array: where its package names start in `packageNames`.
        var packageStart: Int
        /// Array: the index its next element gets.
        var nextIndex: Int
        /// Object: the enclosing object's coordinate slot was set aside on entry.
        var savedCoordinates: Bool
    }

    let p: Bytes
    /// The walker never outlives the `inspectJSON` call that owns both. A strong
    /// `let` (no cycle: the inspection only holds the walker unretained in its
    /// frames): calls through it need no retain/release, unlike `unowned(unsafe)`.
    let ins: Inspection
    var i = 0
    private let path: UnsafeMutablePointer<PathEntry>
    private(set) var pathCount = 0
    private let containers: UnsafeMutablePointer<Container>
    private var containerCount = 0
    /// Arrays among the open containers: a package name anywhere below one counts for app lists.
    private var openArrays = 0
    private let capacity: Int
    /// Package names seen under the open arrays, for app-list detection: one flat
    /// list, the innermost array's names from its `packageStart` on.
    var packageNames: [String] = []
    private var coordinateStack: [Inspection.CoordinateSlot] = []
    /// The longest string value taken for a plain word without `leaf`: shorter than
    /// a shaped identifier (11) and than the device list's shortest variant.
    private let plainWordLimit: Int
    /// Where the triage kernel writes a value's dot count.
    private let dotsScratch = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    init(_ p: Bytes, inspection: Inspection) {
        self.p = p
        self.ins = inspection
        capacity = max(1, inspection.limits.maxJSONDepth) + 1
        plainWordLimit = min(10, (inspection.deviceLookup?.minVariantLength ?? 11) - 1)
        path = .allocate(capacity: capacity)
        containers = .allocate(capacity: capacity)
    }

    deinit {
        for k in 0..<pathCount where path[k].ownsKey { UnsafeMutablePointer(mutating: path[k].key)?.deallocate() }
        path.deallocate()
        containers.deallocate()
        dotsScratch.deallocate()
    }

    struct Stop: Error {}

    /// Returns how far the walk got; `p.count` when the whole input was JSON.
    /// Everything found during the walk is attributed to the path current at that moment.
    func walk() -> Int {
        let me = Unmanaged.passUnretained(self)
        return ins.withFrame(step: .json(me), field: .json(me)) {
            do {
                try run()
                return p.count
            } catch {
                return min(i, p.count)
            }
        }
    }

    func pathString() -> String {
        var s = "$"
        for k in 0..<pathCount {
            let e = path[k]
            if e.index < 0 {
                s += "."
                s += String(decoding: Bytes(start: e.key, count: e.keyCount), as: UTF8.self)
            } else {
                s += "[\(e.index)]"
            }
        }
        return s
    }

    /// Moves `i` past JSON whitespace (`b`, `n`: the walked buffer, passed in so the
    /// common case, no whitespace, is one load and one compare).
    @inline(__always) func skipWS(_ b: UnsafePointer<UInt8>, _ n: Int) {
        var j = i
        guard j < n, b[j] <= 0x20 else { return }
        while j < n, b[j] == 0x20 || b[j] == 10 || b[j] == 13 || b[j] == 9 { j &+= 1 }
        i = j
    }

    private enum Next { case value, member, element, afterValue }

    private func run() throws(Stop) {
        guard p.count > 0 else { return }
        let b = p.baseAddress!
        let n = p.count
        let maxDepth = ins.limits.maxJSONDepth
        var next = Next.value
        while true {
            switch next {
            case .value:
                skipWS(b, n)
                guard i < n else { if containerCount == 0 { return }; throw Stop() }
                let c = b[i]
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    guard containerCount < maxDepth else { throw Stop() }
                    i &+= 1
                    if c == UInt8(ascii: "{") {
                        var saved = false
                        if ins.coordinates.lat != nil || ins.coordinates.lon != nil {
                            coordinateStack.append(ins.coordinates)
                            ins.coordinates = Inspection.CoordinateSlot()
                            saved = true
                        }
                        containers[containerCount] = Container(isArray: false, packageStart: 0, nextIndex: 0, savedCoordinates: saved)
                        containerCount &+= 1
                        next = .member
                    } else {
                        containers[containerCount] = Container(isArray: true, packageStart: packageNames.count, nextIndex: 0, savedCoordinates: false)
                        containerCount &+= 1
                        openArrays &+= 1
                        next = .element
                    }
                    continue
                }
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    let (raw, escaped) = try quotedString()
                    stringValue(raw, escaped: escaped)
                } else {
                    let start = i
                    // Most numbers are bare digits (timestamps, counters): eight at a time.
                    var j = Self.digitsEnd(b, from: i, count: n)
                    if j > start, j == n || Self.endsScalar(b[j]) {
                        i = j
                        digitLeaf(Bytes(start: b + start, count: j &- start))
                        next = .afterValue
                        continue
                    }
                    while j < n {
                        let d = b[j]
                        if Self.endsScalar(d) { break }
                        j &+= 1
                    }
                    i = j
                    guard j > start else { throw Stop() }
                    if c == UInt8(ascii: "-") || ByteClass.isDigit(c) {
                        leaf(Bytes(start: b + start, count: j &- start), isString: false)
                    } else if !(c == UInt8(ascii: "t") || c == UInt8(ascii: "f") || c == UInt8(ascii: "n")) {
                        throw Stop()
                    }
                }
                next = .afterValue

            case .afterValue:
                if containerCount == 0 {
                    skipWS(b, n)
                    if i < n, b[i] == UInt8(ascii: ",") { i &+= 1 }
                    if i >= n { return }
                    next = .value
                    continue
                }
                popPath()
                next = containers[containerCount &- 1].isArray ? .element : .member

            case .member:
                skipWS(b, n)
                guard i < n else { throw Stop() }
                var c = b[i]
                if c == UInt8(ascii: "}") {
                    i &+= 1
                    closeObject()
                    next = .afterValue
                    continue
                }
                if c == UInt8(ascii: ",") {
                    i &+= 1
                    // Compact JSON: the next key's quote follows at once (what another turn would find).
                    guard i < n, b[i] == UInt8(ascii: "\"") else { continue }
                    c = b[i]
                }
                var key: Bytes
                var owned = false
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    let escaped: Bool
                    (key, escaped) = try quotedString()
                    if escaped {
                        let copy = Self.unescape(key)
                        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(copy.count, 1))
                        buffer.initialize(from: copy, count: copy.count)
                        key = Bytes(start: buffer, count: copy.count)
                        owned = true
                    }
                } else {
                    let s = i
                    var j = i
                    while j < n, b[j] != UInt8(ascii: ":"), b[j] > 0x20 { j &+= 1 }
                    i = j
                    guard j > s else { throw Stop() }
                    key = Bytes(start: b + s, count: j &- s)
                }
                skipWS(b, n)
                guard i < n, b[i] == UInt8(ascii: ":") else {
                    if owned { UnsafeMutablePointer(mutating: key.baseAddress!).deallocate() }
                    throw Stop()
                }
                i &+= 1
                if key.count >= 11 { ins.scanKey(key) }
                path[pathCount] = PathEntry(key: key.baseAddress, keyCount: key.count, index: -1,
                                            tags: ins.keyTags.tags(forKey: key, readable: owned ? 0 : readable(key)), ownsKey: owned)
                pathCount &+= 1
                // Most values are strings or bare numbers: read here, not after two more turns
                // of the loop (`value`, then `afterValue`, which pops the key) that end back here.
                skipWS(b, n)
                if i < n {
                    let v = b[i]
                    if v == UInt8(ascii: "\"") {
                        let (raw, escaped) = try quotedString()
                        stringValue(raw, escaped: escaped)
                        popPath()
                        continue
                    }
                    if ByteClass.isDigit(v) {
                        let j = Self.digitsEnd(b, from: i, count: n)
                        if j == n || Self.endsScalar(b[j]) {
                            let start = i
                            i = j
                            digitLeaf(Bytes(start: b + start, count: j &- start))
                            popPath()
                            continue
                        }
                    }
                }
                next = .value

            case .element:
                skipWS(b, n)
                guard i < n else { throw Stop() }
                let c = b[i]
                if c == UInt8(ascii: "]") {
                    i &+= 1
                    closeArray()
                    next = .afterValue
                    continue
                }
                if c == UInt8(ascii: ",") {
                    i &+= 1
                    // Compact JSON: the next element starts at once (what another turn would find).
                    guard i < n, b[i] > 0x20, b[i] != UInt8(ascii: "]"), b[i] != UInt8(ascii: ",") else { continue }
                }
                // Elements inherit the array's key as context.
                let tags = pathCount > 0 ? path[pathCount &- 1].tags : []
                let index = containers[containerCount &- 1].nextIndex
                containers[containerCount &- 1].nextIndex = index &+ 1
                path[pathCount] = PathEntry(key: nil, keyCount: 0, index: index, tags: tags, ownsKey: false)
                pathCount &+= 1
                next = .value
            }
        }
    }

    @inline(__always) static func endsScalar(_ d: UInt8) -> Bool {
        d == UInt8(ascii: ",") || d == UInt8(ascii: "}") || d == UInt8(ascii: "]") || d <= 0x20
    }

    /// The first index at or after `from` that is not an ASCII digit (or `n`).
    @inline(__always) static func digitsEnd(_ b: UnsafePointer<UInt8>, from: Int, count n: Int) -> Int {
        var j = from
        while j &+ 8 <= n {
            let w = Inspection.load(b, j)
            // High bit of each byte that is a digit, 0x30...0x39 (the sums carry into no other byte;
            // bytes >= 0x80 are excluded first).
            let x = w & ~Inspection.highs
            let digits = (x &+ 0x5050_5050_5050_5050) & ~(x &+ 0x4646_4646_4646_4646) & ~w & Inspection.highs
            if digits != Inspection.highs { return j &+ ((~digits & Inspection.highs).trailingZeroBitCount &>> 3) }
            j &+= 8
        }
        while j < n, ByteClass.isDigit(b[j]) { j &+= 1 }
        return j
    }

    /// A number of bare digits: what `leaf` and the triage do with it, without the
    /// byte classification (no dots, no extras, one token from its first byte).
    @inline(__always) private func digitLeaf(_ v: Bytes) {
        let tags = pathCount > 0 ? path[pathCount &- 1].tags : []
        // (Over 64 digits the triage calls it full, as `leaf` will.)
        guard tags.isDisjoint(with: ins.keyedOnlyTags), v.count <= 64 else {
            leaf(v, isString: false)
            return
        }
        // (The bitmap check in Swift: a C call per number measured 3% slower on telemetry.)
        if let lookup = ins.deviceLookup, v.count >= lookup.minVariantLength,
           DeviceVariantIndex.Lookup.mayStart(lookup.bitmap, v.baseAddress!),
           wc_device_prefix_known(lookup.prefixes, v.baseAddress!) != 0 {
            ins.inspectLeaf(v, keyTags: tags, triage: false)
        } else if Validators.digitRunMayBeIdentifier(v) {
            if ins.consume(v.count) { ins.scanSingleToken(v, keyTags: tags) }
        } else {
            _ = ins.consume(v.count)
        }
    }

    @inline(__always) private func popPath() {
        pathCount &-= 1
        let e = path[pathCount]
        if e.ownsKey { UnsafeMutablePointer(mutating: e.key)?.deallocate() }
    }

    private func closeObject() {
        containerCount &-= 1
        if ins.coordinates.lat != nil || ins.coordinates.lon != nil { ins.coordinates = Inspection.CoordinateSlot() }
        if containers[containerCount].savedCoordinates { ins.coordinates = coordinateStack.removeLast() }
    }

    private func closeArray() {
        containerCount &-= 1
        openArrays &-= 1
        let start = containers[containerCount].packageStart
        let count = packageNames.count &- start
        if count > 0 {
            if count >= 5 {
                ins.emit(.appList, packageNames[start...].joined(separator: ","), confidence: 0.9,
                         detail: "\(count) package names in one array")
            }
            packageNames.removeLast(count)
        }
    }

    /// The string whose opening quote is at `i`: its raw contents and whether they hold
    /// escapes; `i` moves past the closing quote. Unterminated (a truncated body), `i`
    /// stays just inside the opening quote, so the text scan of the rest covers it.
    @inline(__always) private func quotedString() throws(Stop) -> (raw: Bytes, escaped: Bool) {
        let start = i &+ 1
        let (end, escaped) = Self.stringEnd(p, from: start, quote: p[i])
        guard end < p.count else { i = start; throw Stop() }
        i = end &+ 1
        return (Bytes(start: p.baseAddress! + start, count: end &- start), escaped)
    }

    /// Index of the closing quote (or `p.count`) and whether a backslash was seen;
    /// sixteen bytes per step until a quote or backslash shows up.
    @inline(__always) static func stringEnd(_ p: Bytes, from: Int, quote: UInt8) -> (Int, Bool) {
        guard let b = p.baseAddress else { return (p.count, false) }
        var escaped: Int32 = 0
        let end = wc_string_end(b, p.count, from, quote, &escaped)
        return (min(end, p.count), escaped != 0)
    }

    static func unescape(_ b: Bytes) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        var k = 0
        var pendingHigh: UInt32? = nil
        while k < b.count {
            let c = b[k]
            guard c == UInt8(ascii: "\\"), k + 1 < b.count else { out.append(c); k += 1; continue }
            let e = b[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "u"):
                guard k + 4 <= b.count else { continue }
                var v: UInt32 = 0
                var ok = true
                for m in 0..<4 { if let h = ByteClass.hexValue(b[k + m]) { v = v << 4 | UInt32(h) } else { ok = false } }
                guard ok else { continue }
                k += 4
                if v >= 0xD800 && v < 0xDC00 { pendingHigh = v; continue }
                if v >= 0xDC00 && v < 0xE000, let high = pendingHigh { v = 0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00) }
                pendingHigh = nil
                if let scalar = Unicode.Scalar(v) { out.append(contentsOf: Array(String(Character(scalar)).utf8)) }
            default: out.append(e)
            }
        }
        return out
    }

    /// Bytes loadable from `v`'s start: to the end of the walked buffer when `v` lies in it
    /// (an unescaped copy does not).
    @inline(__always) private func readable(_ v: Bytes) -> Int {
        guard let vb = v.baseAddress, let pb = p.baseAddress, vb >= pb, vb < pb + p.count else { return v.count }
        return pb + p.count - vb
    }

    /// A string value (raw contents): a short word of letters, digits, '_' and '-'
    /// ("home", "4g", "ad_show", "settings") is only counted, which is all `leaf` would
    /// do with it (its verdict: quiet), without the call; anything else goes to `leaf`.
    /// Up to `plainWordLimit` no device variant fits; from there to 10 bytes a word of
    /// letters and digits only has one place one may start (its first byte), which the
    /// device bitmap rules out or sends to `leaf`.
    @inline(__always) private func stringValue(_ raw: Bytes, escaped: Bool) {
        if !escaped, raw.count > 0, raw.count <= 10,
           (pathCount > 0 ? path[pathCount &- 1].tags : []).isDisjoint(with: ins.keyedOnlyTags) {
            let word = wc_plain_word(raw.baseAddress, raw.count, readable(raw))
            // (Past `plainWordLimit` there is a device list: the limit is 10 without one.)
            if word != 0, raw.count <= plainWordLimit
                || (word == 2 && ins.deviceLookup.map { !DeviceVariantIndex.Lookup.mayStart($0.bitmap, raw.baseAddress!) } ?? false) {
                _ = ins.consume(raw.count)
                return
            }
        }
        stringLeaf(raw, escaped: escaped)
    }

    /// A string value's raw contents, unescaped first when they hold escapes. Out of
    /// line, like `leaf` (the walker's loop is too large to inline into).
    private func stringLeaf(_ raw: Bytes, escaped: Bool) {
        if escaped {
            Self.unescape(raw).withUnsafeBufferPointer { leaf($0, isString: true) }
        } else {
            leaf(raw, isString: true)
        }
    }

    private func leaf(_ b: Bytes, isString: Bool) {
        guard !b.isEmpty else { return }
        let tags = pathCount > 0 ? path[pathCount &- 1].tags : []
        // Package names (for app lists) are collected anywhere below an array.
        let mayBePackage = isString && openArrays > 0 && b.count >= 3 && b.count < 128 && ByteClass.isAlpha(b[0])
        if tags.isDisjoint(with: ins.keyedOnlyTags) {
            // What `inspectLeaf` does with a value no detector can fire on, before any of its bookkeeping.
            let v = Inspection.trimmed(b)
            if v.isEmpty { return }
            let verdict = Inspection.leafVerdict(v, readable: readable(v), device: ins.devicePrefixes, dotsInto: dotsScratch)
            let dots = Int(dotsScratch.pointee)
            // The verdict counted the dots unless it stopped early; a name has no surrounding space.
            if mayBePackage, v.count == b.count, dots > 0 || (dots < 0 && KeyedDetectors.countDots(b) > 0),
               Self.isPackageName(b) {
                packageNames.append(String(decoding: b, as: UTF8.self))
            }
            switch verdict {
            case .quiet:
                _ = ins.consume(v.count)
                return
            case .singleToken:
                // All that `inspectLeaf` would do with one alphanumeric run is the token check.
                if ins.consume(v.count) { ins.scanSingleToken(v, keyTags: tags) }
                return
            case .encodedRun:
                if ins.consume(v.count) { ins.decodeEncodedRun(v, keyTags: tags) }
                return
            case .full:
                // Got here through the triage above: not twice.
                ins.inspectLeaf(b, keyTags: tags, triage: false)
            }
            return
        }
        if mayBePackage, KeyedDetectors.countDots(b) > 0, Self.isPackageName(b) {
            packageNames.append(String(decoding: b, as: UTF8.self))
        }
        ins.inspectLeaf(b, keyTags: tags)
    }

    static func isPackageName(_ b: Bytes) -> Bool {
        var dots = 0
        var prevDot = true
        for c in b {
            if c == UInt8(ascii: ".") { if prevDot { return false }; dots += 1; prevDot = true; continue }
            if prevDot { guard ByteClass.isAlpha(c) else { return false } }
            else if !(ByteClass.isAlnum(c) || c == UInt8(ascii: "_")) { return false }
            prevDot = false
        }
        guard dots >= 1, !prevDot else { return false }
        var firstEnd = 0
        while b[firstEnd] != UInt8(ascii: ".") { firstEnd += 1 }
        let root = String(decoding: Bytes(rebasing: b[0..<firstEnd]), as: UTF8.self).lowercased()
        var lastStart = b.count - 1
        while b[lastStart - 1] != UInt8(ascii: ".") { lastStart -= 1 }
        let last = String(decoding: Bytes(rebasing: b[lastStart...]), as: UTF8.self).lowercased()
        return KeyedDetectors.packageRoots.contains(root) && !KeyedDetectors.tlds.contains(last)
    }
}
