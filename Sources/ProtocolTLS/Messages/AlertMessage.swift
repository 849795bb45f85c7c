import WireBytes

/// One alert (RFC 8446 §6, RFC 5246 §7.2):
/// ```
/// enum { warning(1), fatal(2), (255) } AlertLevel;
/// struct {
///     AlertLevel level;
///     AlertDescription description;
/// } Alert;
/// ```
/// Reads exactly two bytes and leaves the reader after them: an alert
/// record may hold more than one alert, the caller loops while bytes remain.
public struct AlertMessage: Sendable, Hashable {
    public var level: UInt8
    public var description: AlertDescription

    public init(parsing r: inout ByteReader) throws(ParseError) {
        guard r.remaining >= 2 else {
            throw ParseError(.truncated(needed: 2 - r.remaining), at: r.absoluteOffset)
        }
        level = try r.readUInt8()
        description = AlertDescription(rawValue: try r.readUInt8())
    }

    /// Level 2. (In TLS 1.3 every alert but close_notify and user_canceled
    /// ends the connection whatever its level, RFC 8446 §6.2.)
    public var isFatal: Bool { level == 2 }

    /// close_notify (0).
    public var isCloseNotify: Bool { description.rawValue == 0 }
}
