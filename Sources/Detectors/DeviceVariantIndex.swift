import Facts
import CScanKernels
import Crypto
import WireBytes

/// Every spelling of every device identifier, indexed so the scanner can test a
/// position with one bitmap probe: the bitmap holds a hash of the first four bytes
/// of all variants, a table keyed by the first four bytes holds the candidates.
struct DeviceVariantIndex: Sendable {
    struct Variant: Sendable {
        var bytes: [UInt8]
        var type: PIType
        var value: String
        var steps: [String]
        var detail: String
        /// Coordinates match as a prefix: 39.9042 also finds 39.904211.
        var allowsTrailingDigits: Bool
        /// Unpadded base64 may be followed by its '=' padding.
        var allowsTrailingPadding: Bool
    }

    private(set) var variants: [Variant] = []
    private(set) var lookup: Lookup
    static let minLength = 4

    var isEmpty: Bool { variants.isEmpty }

    init(_ device: DeviceIdentifiers) {
        var seen = Set<[UInt8]>()
        for entry in device.entries {
            for v in Self.variants(of: entry) where v.bytes.count >= Self.minLength && seen.insert(v.bytes).inserted {
                variants.append(v)
            }
        }
        lookup = Lookup(variants: variants)
    }

    @inline(__always) static func prefix4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> UInt32 {
        UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(d) << 24
    }

    /// The scanner's view of the index: the bitmap, the prefix table and the variant
    /// bytes in raw storage, so probing a position neither retains nor hashes.
    final class Lookup: @unchecked Sendable {
        let bitmap: UnsafeMutablePointer<UInt64>
        /// Open addressing on the 4-byte prefix: key, and the range of `ids` holding its variants in index order.
        let slotKeys: UnsafeMutablePointer<UInt32>
        let slotUsed: UnsafeMutablePointer<Bool>
        let slotRanges: UnsafeMutablePointer<(start: Int32, end: Int32)>
        let slotMask: Int
        let ids: UnsafeMutablePointer<Int32>
        let bytes: UnsafeMutablePointer<UInt8>
        let offsets: UnsafeMutablePointer<Int>
        let lengths: UnsafeMutablePointer<Int>
        let trailingDigits: UnsafeMutablePointer<Bool>
        let noPlusSlash: UnsafeMutablePointer<Bool>
        /// The bitmap and the prefix table as the C triage kernel reads them.
        let prefixes: UnsafeMutablePointer<wc_device_prefixes>
        /// The shortest variant's length: no variant starts closer than this to the end
        /// of what is scanned (the filter that spares most short values any probe).
        let minVariantLength: Int

        init(variants: [Variant]) {
            // (Variants are kept from `minLength` bytes on.)
            minVariantLength = variants.lazy.map(\.bytes.count).min() ?? DeviceVariantIndex.minLength
            // One bit per hashed four-byte prefix: a probe costs one load, and
            // unrelated prefixes rarely share a bit (a few hundred variants in 2^15 bits, a 4 KB
            // table that stays in the L1 cache).
            bitmap = .allocate(capacity: Self.bitmapWords)
            bitmap.initialize(repeating: 0, count: Self.bitmapWords)
            for v in variants {
                let bit = Self.prefixBit(DeviceVariantIndex.prefix4(v.bytes[0], v.bytes[1], v.bytes[2], v.bytes[3]))
                bitmap[bit >> 6] |= 1 << UInt64(bit & 63)
            }
            var groups = [UInt32: [Int32]]()
            var order = [UInt32]()
            for (i, v) in variants.enumerated() {
                let key = DeviceVariantIndex.prefix4(v.bytes[0], v.bytes[1], v.bytes[2], v.bytes[3])
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(Int32(i))
            }
            var size = 8
            while size < order.count * 2 { size <<= 1 }
            slotMask = size - 1
            slotKeys = .allocate(capacity: size); slotKeys.initialize(repeating: 0, count: size)
            slotUsed = .allocate(capacity: size); slotUsed.initialize(repeating: false, count: size)
            slotRanges = .allocate(capacity: size); slotRanges.initialize(repeating: (0, 0), count: size)
            ids = .allocate(capacity: max(1, variants.count))
            var next = 0
            for key in order {
                var slot = Lookup.slot(key, mask: size - 1)
                while slotUsed[slot] { slot = (slot + 1) & (size - 1) }
                slotUsed[slot] = true
                slotKeys[slot] = key
                let list = groups[key]!
                slotRanges[slot] = (Int32(next), Int32(next + list.count))
                for id in list { ids[next] = id; next += 1 }
            }
            prefixes = .allocate(capacity: 1)
            prefixes.initialize(to: wc_device_prefixes(
                bitmap: UnsafePointer(bitmap), slot_keys: UnsafePointer(slotKeys),
                slot_used: UnsafeRawPointer(slotUsed).assumingMemoryBound(to: UInt8.self), slot_mask: slotMask,
                min_length: minVariantLength))
            let total = variants.reduce(0) { $0 + $1.bytes.count }
            bytes = .allocate(capacity: max(1, total))
            offsets = .allocate(capacity: max(1, variants.count))
            lengths = .allocate(capacity: max(1, variants.count))
            trailingDigits = .allocate(capacity: max(1, variants.count))
            noPlusSlash = .allocate(capacity: max(1, variants.count))
            var off = 0
            for (i, v) in variants.enumerated() {
                (bytes + off).initialize(from: v.bytes, count: v.bytes.count)
                offsets[i] = off
                lengths[i] = v.bytes.count
                trailingDigits[i] = v.allowsTrailingDigits
                noPlusSlash[i] = v.allowsTrailingPadding == false && v.steps.first == "base64"
                off += v.bytes.count
            }
        }

        deinit {
            prefixes.deallocate(); bitmap.deallocate(); slotKeys.deallocate(); slotUsed.deallocate(); slotRanges.deallocate(); ids.deallocate()
            bytes.deallocate(); offsets.deallocate(); lengths.deallocate(); trailingDigits.deallocate(); noPlusSlash.deallocate()
        }

        /// `slot` and `prefixBit` are also `wc_device_prefix_slot` and `wc_device_prefix_bit`
        /// in `scan_kernels.h`, which read these tables for the triage (kept in Swift here:
        /// a call per token costs more than the hash). `LeafTriageTests` fails if they differ.
        @inline(__always) static func slot(_ key: UInt32, mask: Int) -> Int {
            Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        }

        static let bitmapWords = 1 << 9

        @inline(__always) static func prefixBit(_ prefix: UInt32) -> Int {
            Int(truncatingIfNeeded: (prefix &* 0x9E37_79B1) &>> 17)
        }

        /// Whether a variant may start at `i`: the shortest fits, and the prefix's bit is set.
        @inline(__always) func mayStart(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
            guard i &+ minVariantLength <= p.count else { return false }
            return Self.mayStart(bitmap, p.baseAddress! + i)
        }

        @inline(__always) static func mayStart(_ bitmap: UnsafeMutablePointer<UInt64>, _ b: UnsafePointer<UInt8>) -> Bool {
            let bit = prefixBit(UInt32(littleEndian: UnsafeRawPointer(b).loadUnaligned(as: UInt32.self)))
            return bitmap[bit &>> 6] & (1 &<< UInt64(truncatingIfNeeded: bit & 63)) != 0
        }

        /// Index of the longest variant that starts at `i` and ends on a token boundary.
        func match(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (variant: Int, length: Int)? {
            guard i + DeviceVariantIndex.minLength <= p.count else { return nil }
            let key = DeviceVariantIndex.prefix4(p[i], p[i + 1], p[i + 2], p[i + 3])
            var slot = Lookup.slot(key, mask: slotMask)
            while slotUsed[slot], slotKeys[slot] != key { slot = (slot + 1) & slotMask }
            guard slotUsed[slot] else { return nil }
            let range = slotRanges[slot]
            var best: (Int, Int)? = nil
            for r in Int(range.start)..<Int(range.end) {
                let vi = Int(ids[r])
                let len = lengths[vi]
                guard i + len <= p.count else { continue }
                let v = bytes + offsets[vi]
                var k = 4
                while k < len, p[i + k] == v[k] { k += 1 }
                guard k == len else { continue }
                if i + len < p.count {
                    let next = p[i + len]
                    let lastIsWord = ByteClass.isAlnum(v[len - 1])
                    if lastIsWord, ByteClass.isAlnum(next), !(trailingDigits[vi] && ByteClass.isDigit(next)) { continue }
                    if noPlusSlash[vi], next == UInt8(ascii: "+") || next == UInt8(ascii: "/") { continue }
                }
                if best == nil || len > best!.1 { best = (vi, len) }
            }
            return best
        }
    }

    // MARK: Variant generation

    static func variants(of e: DeviceIdentifiers.Entry) -> [Variant] {
        let v = e.value
        var forms: [String]
        var digestSources: [String]
        switch e.type {
        case .mac, .bssid:
            let lower = v.lowercased()
            let none = String(lower.filter { $0 != ":" })
            let dash = lower.replacingColons(with: "-")
            forms = [lower, lower.uppercased(), dash, dash.uppercased(), none, none.uppercased()]
            digestSources = forms
        case .phoneCN:
            forms = [v, "+86" + v, "86" + v, "0086" + v, "+86 " + v, "+86-" + v]
            digestSources = [v, "+86" + v, "86" + v]
        case .oaid, .idfa, .idfv:
            let noDash = String(v.filter { $0 != "-" })
            forms = [v.lowercased(), v.uppercased(), noDash.lowercased(), noDash.uppercased()]
            digestSources = forms
        case .coordinates:
            forms = [v]
            if let dot = v.firstIndex(of: "."), v.distance(from: dot, to: v.endIndex) > 5 {
                forms.append(String(v[..<v.index(dot, offsetBy: 5)]))
            }
            digestSources = []
        case .ssid:
            forms = [v]
            digestSources = [v]
        default:
            forms = [v, v.lowercased(), v.uppercased()]
            digestSources = forms
        }
        forms = forms.uniqued()
        digestSources = digestSources.uniqued()
        let name = e.key
        var out = [Variant]()
        func add(_ bytes: [UInt8], _ steps: [String], _ detail: String, prefixOK: Bool = false, padding: Bool = false) {
            out.append(Variant(bytes: bytes, type: e.type, value: e.reportedValue, steps: steps, detail: detail,
                               allowsTrailingDigits: prefixOK, allowsTrailingPadding: padding))
        }
        for f in forms {
            let raw = Array(f.utf8)
            add(raw, [], "device \(name)", prefixOK: e.type == .coordinates)
            let url = urlEncode(raw)
            if url != raw { add(url, ["percent"], "URL-encoded device \(name)") }
            for b64 in base64Forms(raw) { add(b64, ["base64"], "base64 of device \(name)", padding: true) }
            add(Hex.bytes(raw, uppercase: false), ["hex"], "hex of device \(name)")
            add(Hex.bytes(raw, uppercase: true), ["hex"], "hex of device \(name)")
        }
        for s in digestSources {
            let raw = Array(s.utf8)
            let digests: [(String, [UInt8])] = [
                ("md5", Array(Insecure.MD5.hash(data: raw))),
                ("sha1", Array(Insecure.SHA1.hash(data: raw))),
                ("sha256", Array(SHA256.hash(data: raw))),
            ]
            for (algo, d) in digests {
                add(Hex.bytes(d, uppercase: false), [algo], "\(algo) of device \(name)")
                add(Hex.bytes(d, uppercase: true), [algo], "\(algo) of device \(name)")
                for b64 in base64Forms(d) { add(b64, ["base64", algo], "base64 \(algo) of device \(name)", padding: true) }
            }
        }
        return out
    }


    /// Standard and URL-safe base64 without padding; the matcher tolerates the '='.
    static func base64Forms(_ b: [UInt8]) -> [[UInt8]] {
        let std = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        var i = 0
        while i < b.count {
            let n = min(3, b.count - i)
            var chunk: UInt32 = 0
            for k in 0..<3 { chunk = chunk << 8 | UInt32(k < n ? b[i + k] : 0) }
            for k in 0...n { out.append(std[Int((chunk >> UInt32(18 - 6 * k)) & 63)]) }
            i += 3
        }
        let url = out.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: "-") : $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 }
        return url == out ? [out] : [out, url]
    }

    static func urlEncode(_ b: [UInt8]) -> [UInt8] {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for c in b {
            if ByteClass.isAlnum(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") || c == UInt8(ascii: "~") {
                out.append(c)
            } else {
                out.append(UInt8(ascii: "%")); out.append(hexDigits[Int(c >> 4)]); out.append(hexDigits[Int(c & 15)])
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingColons(with sep: Character) -> String { String(map { $0 == ":" ? sep : $0 }) }
}

extension Array where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
