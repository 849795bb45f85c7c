import WireBytes

/// Makes wire strings safe for a terminal: C0 and C1 control characters
/// (escape sequences among them) are shown as `\xNN`; characters that reorder
/// or break what a terminal shows — the bidirectional embeddings, overrides
/// and isolates, the directional marks, the line and paragraph separators —
/// as `\u{202E}`, so a hostile name cannot make the report read otherwise.
public enum TextEscaping {
    public static func terminal(_ text: String) -> String {
        // Most strings need nothing: return them without rebuilding.
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\x" + Hex.string([UInt8(scalar.value)], uppercase: true)
            } else if reorders(scalar) {
                out += "\\u{" + Hex.string([UInt8(scalar.value >> 8), UInt8(scalar.value & 0xFF)], uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || reorders(scalar)
    }

    /// U+061C ALM, U+200E/U+200F LRM/RLM, U+2028/U+2029 separators, U+202A–U+202E
    /// embeddings and overrides, U+2066–U+2069 isolates.
    static func reorders(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
