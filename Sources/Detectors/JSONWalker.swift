#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A lenient, bounded JSON reader that walks objects and arrays without building
/// a tree. Each leaf is inspected with its last key as context; the JSON path is
/// only turned into a string when something is found. Tolerates single quotes,
/// unquoted keys, trailing commas and a truncated end (snap length, segment loss).
final class JSONWalker {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    enum Component { case key(Bytes); case index(Int) }
    struct Frame {
        var component: Component
        var tags: ContextTags
    }

    let p: Bytes
    /// The walker never outlives the `inspectJSON` call that owns both. A strong
    /// `let` (no cycle: the inspection only holds the walker unretained in its
    /// frames): calls through it need no retain/release, unlike `unowned(unsafe)`.
    let ins: Inspection
    var i = 0
    var path: [Frame] = []
    /// Unescaped copies of strings still referenced by `path` or the current leaf.
    var unescaped: [UnsafeMutableBufferPointer<UInt8>] = []
    /// Package names seen under the open arrays, for app-list detection: one flat
    /// list, the innermost array's names from `packageStarts.last` on.
    var packageNames: [String] = []
    var packageStarts: [Int] = []

    init(_ p: Bytes, inspection: Inspection) {
        self.p = p
        self.ins = inspection
        path.reserveCapacity(16)
        packageStarts.reserveCapacity(16)
    }

    struct Stop: Error {}

    /// Returns how far the walk got; `p.count` when the whole input was JSON.
    func walk() -> Int {
        var lastGood = 0
        do {
            skipWS()
            while i < p.count {
                try value(depth: 0)
                lastGood = i
                skipWS()
                if i < p.count, p[i] == UInt8(ascii: ",") { i += 1; skipWS() }
            }
            return p.count
        } catch {
            _ = lastGood
            return min(i, p.count)
        }
    }

    func pathString() -> String {
        var s = "$"
        for f in path {
            switch f.component {
            case .key(let k): s += "." + String(decoding: k, as: UTF8.self)
            case .index(let n): s += "[\(n)]"
            }
        }
        return s
    }

    @inline(__always) func skipWS() {
        var j = i
        let n = p.count, b = p.baseAddress
        while j < n, b![j] == 0x20 || b![j] == 10 || b![j] == 13 || b![j] == 9 { j += 1 }
        i = j
    }

    private func value(depth: Int) throws(Stop) {
        skipWS()
        guard i < p.count else { throw Stop() }
        switch p[i] {
        case UInt8(ascii: "{"):
            guard depth < ins.limits.maxJSONDepth else { throw Stop() }
            try object(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < ins.limits.maxJSONDepth else { throw Stop() }
            try array(depth: depth + 1)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let (s, owned) = try string()
            leaf(s, isString: true)
            if owned { releaseString() }
        default:
            let start = i
            while i < p.count {
                let c = p[i]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c <= 0x20 { break }
                i += 1
            }
            guard i > start else { throw Stop() }
            let b = Bytes(rebasing: p[start..<i])
            let c0 = b[0]
            if c0 == UInt8(ascii: "-") || ByteClass.isDigit(c0) { leaf(b, isString: false) }
            else if !(c0 == UInt8(ascii: "t") || c0 == UInt8(ascii: "f") || c0 == UInt8(ascii: "n")) { throw Stop() }
        }
    }

    private func object(depth: Int) throws(Stop) {
        i += 1
        // Moved out and back rather than copied: no retain/release per object.
        var saved = Inspection.CoordinateSlot()
        swap(&saved, &ins.coordinates)
        defer { swap(&saved, &ins.coordinates) }
        while true {
            skipWS()
            guard i < p.count else { throw Stop() }
            if p[i] == UInt8(ascii: "}") { i += 1; return }
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            let key: Bytes
            let keyIsOwned: Bool
            if p[i] == UInt8(ascii: "\"") || p[i] == UInt8(ascii: "'") {
                (key, keyIsOwned) = try string()
            } else {
                let s = i
                while i < p.count, p[i] != UInt8(ascii: ":"), p[i] > 0x20 { i += 1 }
                guard i > s else { throw Stop() }
                key = Bytes(rebasing: p[s..<i]); keyIsOwned = false
            }
            skipWS()
            guard i < p.count, p[i] == UInt8(ascii: ":") else { throw Stop() }
            i += 1
            if key.count >= 11 { ins.scanKey(key, walker: self) }
            path.append(Frame(component: .key(key), tags: ins.cachedTags(forKey: key)))
            defer { path.removeLast(); if keyIsOwned { releaseString() } }
            try value(depth: depth)
        }
    }

    private func array(depth: Int) throws(Stop) {
        i += 1
        let tags = path.last?.tags ?? []
        packageStarts.append(packageNames.count)
        defer {
            let start = packageStarts.removeLast()
            let count = packageNames.count - start
            if count > 0 {
                if count >= 5 {
                    let names = packageNames[start...]
                    ins.withFrame(step: .json(Unmanaged.passUnretained(self)), field: .json(Unmanaged.passUnretained(self))) {
                        ins.emit(.appList, names.joined(separator: ","), confidence: 0.9, detail: "\(count) package names in one array")
                    }
                }
                packageNames.removeLast(count)
            }
        }
        var index = 0
        while true {
            skipWS()
            guard i < p.count else { throw Stop() }
            if p[i] == UInt8(ascii: "]") { i += 1; return }
            if p[i] == UInt8(ascii: ",") { i += 1; continue }
            path.append(Frame(component: .index(index), tags: tags))
            defer { path.removeLast() }
            try value(depth: depth)
            index += 1
        }
    }

    /// Reads a string, returning its raw bytes when it has no escapes and an
    /// unescaped copy (kept on a stack until the caller releases it) otherwise.
    /// `owned`: the bytes are an unescaped copy on the `unescaped` stack, to be released by the caller.
    private func string() throws(Stop) -> (Bytes, owned: Bool) {
        let quote = p[i]
        let start = i + 1
        let (end, escaped) = Self.stringEnd(p, from: start, quote: quote)
        i = end
        guard i < p.count else { throw Stop() }
        let raw = Bytes(rebasing: p[start..<i])
        i += 1
        if !escaped { return (raw, false) }
        let copy = Self.unescape(raw)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(copy.count, 1))
        _ = buffer.initialize(from: copy)
        unescaped.append(buffer)
        return (UnsafeBufferPointer(rebasing: buffer[0..<copy.count]), true)
    }

    /// Index of the closing quote (or `p.count`) and whether a backslash was seen;
    /// eight bytes per step until a quote or backslash shows up.
    @inline(__always) static func stringEnd(_ p: Bytes, from: Int, quote: UInt8) -> (Int, Bool) {
        let n = p.count
        guard let b = p.baseAddress else { return (n, false) }
        var j = from
        var escaped = false
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let q = UInt64(quote) &* ones, bs = UInt64(UInt8(ascii: "\\")) &* ones
        while true {
            while j + 8 <= n {
                let w = UnsafeRawPointer(b + j).loadUnaligned(as: UInt64.self)
                let x = w ^ q, y = w ^ bs
                if ((x &- ones) & ~x | (y &- ones) & ~y) & highs != 0 { break }
                j += 8
            }
            let stop = min(n, j + 8)
            while j < stop {
                let c = b[j]
                if c == quote { return (j, escaped) }
                if c == UInt8(ascii: "\\") { escaped = true; j += 2 } else { j += 1 }
            }
            if j >= n { return (n, escaped) }
        }
    }

    private func releaseString() {
        unescaped.removeLast().deallocate()
    }

    deinit {
        for b in unescaped { b.deallocate() }
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

    private func leaf(_ b: Bytes, isString: Bool) {
        guard !b.isEmpty else { return }
        let tags = path.last?.tags ?? []
        if isString, !packageStarts.isEmpty, b.count < 128, Self.isPackageName(b) {
            packageNames.append(String(decoding: b, as: UTF8.self))
        }
        if tags.isDisjoint(with: ins.keyedOnlyTags) {
            // What `inspectLeaf` does with a value no detector can fire on, without the frame.
            var v = b
            while let f = v.first, f == 0x20 || f == 9 || f == 10 || f == 13 { v = Bytes(rebasing: v[1...]) }
            while let l = v.last, l == 0x20 || l == 9 || l == 10 || l == 13 { v = Bytes(rebasing: v[..<(v.count - 1)]) }
            if v.isEmpty { return }
            if Inspection.isInert(v, deviceList: ins.hasDeviceList, table: ins.inertBytes) { _ = ins.consume(v.count); return }
        }
        ins.withFrame(step: .json(Unmanaged.passUnretained(self)), field: .json(Unmanaged.passUnretained(self))) {
            ins.inspectLeaf(b, keyTags: tags)
        }
    }

    static func isPackageName(_ b: Bytes) -> Bool {
        // Needs at least one dot: most strings are rejected by one memchr.
        guard let base = b.baseAddress, memchr(base, Int32(UInt8(ascii: ".")), b.count) != nil else { return false }
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
