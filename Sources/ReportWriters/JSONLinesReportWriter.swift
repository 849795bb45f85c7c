import ReportModel

/// JSON Lines, one object a line, written as the run goes: every flow when
/// it closes, every handshake when it completes, every finding when it is
/// made, periodic progress, and a last `summary` line with the evidence
/// header and the totals. Each object's `type` says which; their members
/// are those of the JSON report's objects of the same name.
public final class JSONLinesReportWriter: ReportWriter {
    public static let format = "jsonl"
    public static let about = "JSON Lines, one object per flow, handshake, finding and progress step as they happen, then a summary"

    public init(options: WriterOptions) {}

    private func line(_ type: String, body: (inout JSONOutput) -> Void) -> [UInt8] {
        var json = JSONOutput(compact: true)
        json.beginObject()
        json.field("type", type)
        body(&json)
        json.endObject()
        json.newlineAtEnd()
        return json.output
    }

    /// A line whose members are those of the object `write` writes.
    private func line(_ type: String, membersOf write: (inout JSONOutput) -> Void) -> [UInt8] {
        var inner = JSONOutput(compact: true)
        write(&inner)
        return line(type, body: { json in json.raw(members: inner.output) })
    }

    public func streamed(_ item: ReportItem) -> [UInt8] {
        switch item {
        case .flow(let flow):
            line("flow", membersOf: { JSONReportWriter.write(flow, into: &$0) })
        case .handshake(let handshake):
            line("handshake", membersOf: { JSONReportWriter.write(handshake, into: &$0) })
        case .finding(let finding):
            line("finding", membersOf: { JSONReportWriter.write(finding, into: &$0) })
        case .progress(let progress):
            line("progress", body: { json in
                json.field("file", progress.file)
                json.field("bytes", progress.bytes)
                json.field("packets", progress.packets)
                json.field("flows", progress.flows)
                json.field("handshakes", progress.handshakes)
                json.field("findings", progress.findings)
                json.field("pi_sightings", progress.personalInformation)
            })
        }
    }

    /// The sharing record is known only at the end: one `recipient` line each, then the summary.
    public func finished(_ report: Report) -> [UInt8] {
        report.recipients.flatMap { recipient in line("recipient", membersOf: { JSONReportWriter.write(recipient, into: &$0) }) }
            + line("summary", body: { json in
            json.field("schema_version", JSONReportWriter.schemaVersion)
            JSONReportWriter.header(report, into: &json)
            var inner = JSONOutput(compact: true)
            inner.beginObject()
            JSONReportWriter.summary(report, into: &inner)
            inner.endObject()
            json.raw(members: inner.output)
        })
    }
}
