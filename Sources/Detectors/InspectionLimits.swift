/// Bounds that keep one hostile value (a zip bomb, a 50-level nested base64) from
/// stalling the whole capture.
public struct InspectionLimits: Sendable {
    /// Decoding layers (percent, base64, hex, base32, gzip/zlib, nested JSON) below one value.
    public var maxDepth: Int
    /// Largest output of one decoding step; longer output is truncated, not rejected.
    public var maxDecodedBytes: Int
    /// Total bytes (original plus decoded) one `inspect` call may scan.
    public var maxBytesScanned: Int
    /// JSON nesting beyond this is scanned as text instead of walked.
    public var maxJSONDepth: Int
    /// The text scan passes over short words between quiet bytes without a visit
    /// (`Inspection.worthAVisit`); off only for the tests that check the skip.
    var skipsQuietTextWindows = true

    public init(maxDepth: Int = 4, maxDecodedBytes: Int = 1 << 20, maxBytesScanned: Int = 64 << 20, maxJSONDepth: Int = 64) {
        self.maxDepth = maxDepth
        self.maxDecodedBytes = maxDecodedBytes
        self.maxBytesScanned = maxBytesScanned
        self.maxJSONDepth = maxJSONDepth
    }
}
