/// A small deterministic JSON emitter: keys in the order written, two-space
/// indentation, every string escaped (control characters, quotes,
/// backslashes, and U+2028/U+2029 for JavaScript consumers).
public struct JSONWriter {
    public private(set) var output: [UInt8] = []
    private var depth = 0
    private var needsComma: [Bool] = [false]
    private var afterKey = false

    public init() {}

    public var text: String { String(decoding: output, as: UTF8.self) }

    private mutating func newline() {
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

    public mutating func key(_ name: String) {
        beginValue()
        appendString(name)
        output.append(contentsOf: Array(": ".utf8))
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
        let hex = Array("0123456789abcdef".utf8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case "\\": output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case "\n": output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case "\r": output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case "\t": output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let v = scalar.value
                    output.append(contentsOf: Array("\\u".utf8))
                    for shift in [12, 8, 4, 0] { output.append(hex[Int((v >> UInt32(shift)) & 0xF)]) }
                } else {
                    output.append(contentsOf: Array(String(scalar).utf8))
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
