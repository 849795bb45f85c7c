import WireBytes

/// A small deterministic JSON emitter: keys in the order written, two-space
/// indentation, every string escaped (control characters, quotes,
/// backslashes, and U+2028/U+2029 for JavaScript consumers). Compact output
/// (JSON Lines) puts a whole value on one line.
public struct JSONOutput {
    public private(set) var output: [UInt8] = []
    private var depth = 0
    private var needsComma: [Bool] = [false]
    private var afterKey = false
    private let compact: Bool

    public init(compact: Bool = false) {
        self.compact = compact
    }

    public var text: String { String(decoding: output, as: UTF8.self) }

    public mutating func newlineAtEnd() { output.append(UInt8(ascii: "\n")) }

    private mutating func newline() {
        guard !compact else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
    }

    private mutating func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma[needsComma.count - 1] { output.append(UInt8(ascii: ",")) }
        if depth > 0 { newline() }
        needsComma[needsComma.count - 1] = true
    }

    /// Members already encoded (`"a":1,"b":2`), appended as if written one by one.
    mutating func rawMembers(_ encoded: ArraySlice<UInt8>) {
        guard !encoded.isEmpty else { return }
        if needsComma[needsComma.count - 1] { output.append(UInt8(ascii: ",")) }
        output.append(contentsOf: encoded)
        needsComma[needsComma.count - 1] = true
    }

    public mutating func key(_ name: String) {
        beginValue()
        appendString(name)
        if compact { output.append(UInt8(ascii: ":")) } else { output.append(contentsOf: Array(": ".utf8)) }
        afterKey = true
    }

    public mutating func beginObject() {
        beginValue()
        output.append(UInt8(ascii: "{"))
        depth += 1
        needsComma.append(false)
    }

    public mutating func endObject() {
        depth -= 1
        let hadMembers = needsComma.removeLast()
        if hadMembers { newline() }
        output.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beginValue()
        output.append(UInt8(ascii: "["))
        depth += 1
        needsComma.append(false)
    }

    public mutating func endArray() {
        depth -= 1
        let hadMembers = needsComma.removeLast()
        if hadMembers { newline() }
        output.append(UInt8(ascii: "]"))
    }

    public mutating func string(_ value: String) {
        beginValue()
        appendString(value)
    }

    public mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public mutating func int<I: BinaryInteger>(_ value: I) {
        beginValue()
        output.append(contentsOf: Array(String(value).utf8))
    }

    public mutating func optionalInt<I: BinaryInteger>(_ value: I?) {
        if let value { int(value) } else { null() }
    }

    /// A number with at most three decimals, written the same on every run.
    public mutating func number(_ value: Double) {
        beginValue()
        let thousandths = Int((value * 1000).rounded())
        let whole = thousandths / 1000
        let fraction = abs(thousandths % 1000)
        var text = "\(whole)"
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        output.append(contentsOf: Array(text.utf8))
    }

    public mutating func bool(_ value: Bool) {
        beginValue()
        output.append(contentsOf: Array((value ? "true" : "false").utf8))
    }

    public mutating func null() {
        beginValue()
        output.append(contentsOf: Array("null".utf8))
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        optionalString(value)
    }

    public mutating func field<I: BinaryInteger>(_ name: String, _ value: I?) {
        key(name)
        optionalInt(value)
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    public mutating func stringArray(_ name: String, _ values: [String]) {
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    private mutating func appendString(_ value: String) {
        output.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { bytes in
            // Copy runs of bytes that need no escaping in one go.
            var runStart = 0
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                let escape: [UInt8]?
                switch byte {
                case UInt8(ascii: "\""): escape = Array("\\\"".utf8)
                case UInt8(ascii: "\\"): escape = Array("\\\\".utf8)
                case 0x0A: escape = Array("\\n".utf8)
                case 0x0D: escape = Array("\\r".utf8)
                case 0x09: escape = Array("\\t".utf8)
                case 0x00..<0x20, 0x7F: escape = Self.unicodeEscape(UInt32(byte))
                case 0xE2 where index + 2 < count && Self.isEscapedThreeByte(bytes[index + 1], bytes[index + 2]):
                    // U+2028 and U+2029 end lines in JavaScript; the bidirectional controls
                    // (U+200E/F, U+202A–E, U+2066–9) would reorder a terminal showing the report.
                    escape = Self.unicodeEscape(0x2000 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F))
                case 0xD8 where index + 1 < count && bytes[index + 1] == 0x9C:
                    escape = Self.unicodeEscape(0x061C)
                default: escape = nil
                }
                if let escape {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    output.append(contentsOf: escape)
                    index += byte == 0xE2 ? 3 : byte == 0xD8 ? 2 : 1
                    runStart = index
                } else {
                    index += 1
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The second and third bytes of U+200E, U+200F, U+2028–U+202E and U+2066–U+2069 after 0xE2.
    @inline(__always) private static func isEscapedThreeByte(_ second: UInt8, _ third: UInt8) -> Bool {
        (second == 0x80 && (third == 0x8E || third == 0x8F || (0xA8...0xAE).contains(third))) || (second == 0x81 && (0xA6...0xA9).contains(third))
    }

    private static func unicodeEscape(_ value: UInt32) -> [UInt8] {
        var out = Array("\\u".utf8)
        Hex.append(UInt8(truncatingIfNeeded: value >> 8), to: &out)
        Hex.append(UInt8(truncatingIfNeeded: value), to: &out)
        return out
    }
}

extension JSONOutput {
    /// Splices the members of a complete compact object (`{…}`) into the object being written.
    mutating func raw(members object: [UInt8]) {
        guard object.count > 2, object.first == UInt8(ascii: "{"), object.last == UInt8(ascii: "}") else { return }
        rawMembers(object[1..<(object.count - 1)])
    }
}
