import ReportModel

/// How a writer was asked to behave.
public struct WriterOptions: Sendable {
    /// ANSI colours for severities (a terminal that wants them).
    public var color = false
    /// Print each finding the moment it is known, before the report (live capture).
    public var liveFindings = false

    public init(color: Bool = false, liveFindings: Bool = false) {
        self.color = color
        self.liveFindings = liveFindings
    }
}

/// One output format over the report model. Streaming formats write items
/// as the run produces them; every format writes what remains at the end.
/// A new format is a new type and a line in `ReportWriters.all`.
public protocol ReportWriter: AnyObject {
    /// The `--format` value.
    static var format: String { get }
    /// One line for `--help`.
    static var about: String { get }
    init(options: WriterOptions)
    /// Bytes to write now for an item the run just produced (empty for batch formats).
    func streamed(_ item: ReportItem) -> [UInt8]
    /// Bytes to write once the run is over.
    func finished(_ report: Report) -> [UInt8]
}

public enum ReportWriters {
    public static let all: [any ReportWriter.Type] = [TextReportWriter.self, JSONReportWriter.self, JSONLinesReportWriter.self]

    public static func named(_ format: String) -> (any ReportWriter.Type)? {
        all.first { $0.format == format }
    }

    public static var formats: [String] { all.map { $0.format } }
}
