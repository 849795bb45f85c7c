import WireBytes

/// Makes wire strings safe for a terminal: control characters (escape
/// sequences among them) are shown as `\xNN`.
public enum TextEscaping {
    public static func terminal(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\x" + Hex.string([UInt8(scalar.value)], uppercase: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
