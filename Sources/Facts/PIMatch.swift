/// One piece of personal information found in one inspected value.
public struct PIMatch: Sendable, Hashable {
    public var type: PIType
    /// Normalised raw value (digits only for numbers, lower-case colon form for MACs,
    /// "lat,lon" for coordinates). Reporters must print it only when asked to reveal.
    public var value: String
    /// APP-GUIDE B.4 partial masking; safe to print (rules per type in docs/pii.md).
    public var masked: String
    /// Decoding steps applied, outermost first, e.g. ["query", "base64", "gzip", "json:$.dev.imei"].
    public var decoding: [String]
    /// Parameter, header, cookie or JSON path the value came from, outermost wins.
    public var field: String?
    /// True when the value is one of the test device's own identifiers.
    public var confirmed: Bool
    public var confidence: Double
    public var detail: String?
    /// Sightings of the same (type, value) within the one inspected value or
    /// body that this match stands for (a telemetry batch repeats its ids).
    public var occurrences: Int = 1

    public init(type: PIType, value: String, masked: String, decoding: [String] = [], field: String? = nil,
                confirmed: Bool = false, confidence: Double, detail: String? = nil) {
        self.type = type
        self.value = value
        self.masked = masked
        self.decoding = decoding
        self.field = field
        self.confirmed = confirmed
        self.confidence = confidence
        self.detail = detail
    }
}
