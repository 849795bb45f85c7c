/// Something wrong with an input that did not stop the run: a corrupt record,
/// an unknown link type, a truncated tail. The report lists each one with the
/// file and the packet number so the user can look at it.
public struct CaptureDiagnostic: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case truncatedFile = "truncated_file"
        case corruptRecord = "corrupt_record"
        case unknownLinkType = "unknown_link_type"
        case unsupportedBlock = "unsupported_block"
        case malformedPacket = "malformed_packet"
        case unreadable = "unreadable"
    }

    public let kind: Kind
    public let file: String
    /// 1-based packet number the problem concerns (the next packet for a
    /// problem between records), nil for the file as a whole.
    public let packet: Int?
    /// Byte offset in the file, when known.
    public let offset: UInt64?
    public let message: String

    public init(kind: Kind, file: String, packet: Int?, offset: UInt64?, message: String) {
        self.kind = kind
        self.file = file
        self.packet = packet
        self.offset = offset
        self.message = message
    }

    public var description: String {
        var text = "\(file)"
        if let packet { text += ": packet \(packet)" }
        if let offset { text += " (offset \(offset))" }
        return text + ": " + message
    }
}

public struct CaptureOpenError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let message: String
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): \(message)" }
}
