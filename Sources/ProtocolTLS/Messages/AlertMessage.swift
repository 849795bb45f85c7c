import TLSModel
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
extension AlertMessage {
    public init(parsing r: inout ByteReader) throws(ParseError) {
        self.init()
        guard r.remaining >= 2 else {
            throw ParseError(.truncated(needed: 2 - r.remaining), at: r.absoluteOffset)
        }
        level = try r.readUInt8()
        description = AlertDescription(rawValue: try r.readUInt8())
    }
}
