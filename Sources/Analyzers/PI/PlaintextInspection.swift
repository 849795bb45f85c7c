import Detectors
import Facts
import WireBytes

/// What to look for in plaintext, shared by every flow.
public struct PlaintextInspection: Sendable {
    public var inspector: PIInspector
    /// Inspect UDP payloads (DNS names and unknown protocols).
    public var inspectUDP = true
    /// Bytes of one direction of an unknown protocol scanned at most.
    public var maximumRawBytesPerDirection = 8 << 20

    public init(inspector: PIInspector) {
        self.inspector = inspector
    }

    /// Endpoints whose paths or field names mark an image as a face or biometric sample.
    static let biometricWords = ["face", "liveness", "biometric", "selfie", "renlian", "rlsb", "huoti", "portrait", "idphoto"]

    static func isBiometricContext(_ text: String?) -> Bool {
        guard let text = text?.lowercased() else { return false }
        return biometricWords.contains { text.contains($0) }
    }

    /// JSON or form text gets its structure walked; anything else is scanned as bytes.
    static func guessKind<C: Collection>(_ bytes: C) -> ContentKind where C.Element == UInt8 {
        guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return .binary }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return .json }
        let sample = bytes.prefix(512)
        let printable = sample.filter { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.count
        if printable * 10 < sample.count * 9 { return .binary }
        if sample.contains(UInt8(ascii: "=")) && sample.contains(UInt8(ascii: "&")) && !sample.contains(UInt8(ascii: " ")) { return .form }
        return .text
    }
}

extension FlowContext {
    /// Emits one sighting per match, with where the inspected bytes came from.
    func emitSightings(_ matches: [PIMatch], sender: Side, http: HTTPContext?, carrier: PICarrier,
                       first: PacketReference, lastPacket: Int) {
        for match in matches {
            emit(.piSighting(PISighting(flow: id, file: file, sender: sender, carrier: carrier, match: match, http: http,
                                        first: first, lastPacket: lastPacket)))
        }
    }
}
