/// Every cap that bounds time or memory on a hostile input, by a stable
/// snake_case name (the JSON report's `limits` keys). A hit is never silent:
/// it is counted here and shown in the report's summary with what it skipped.
public enum Limit: String, CaseIterable, Sendable {
    // Packets and flows
    case fragmentTimeout = "fragment_timeout"
    case fragmentPending = "fragment_pending"
    case fragmentHeldBytes = "fragment_held_bytes"
    case fragmentOversize = "fragment_oversize"
    case fragmentOverlap = "fragment_overlap"
    case fragmentIncomplete = "fragment_incomplete_at_end"
    case openFlows = "open_flows"
    case reassemblyMemory = "reassembly_memory"
    // HTTP and WebSocket
    case httpHeaderFields = "http_header_fields"
    case httpHeadBytes = "http_head_bytes"
    case httpBodyBytes = "http_body_bytes"
    case httpDecompressedBytes = "http_decompressed_bytes"
    case httpDeclaredLength = "http_declared_length"
    case httpSkippedUnscanned = "http_skipped_unscanned"
    case webSocketFrameLength = "websocket_frame_length"
    // DNS
    case dnsMessageRefused = "dns_message_refused"
    // The PI scanner
    case scanBudget = "scan_budget"
    // The report
    case reportFlows = "report_flows"
    case findingExamples = "finding_examples"

    /// What one hit stands for.
    public var unit: String {
        switch self {
        case .fragmentTimeout, .fragmentPending, .fragmentHeldBytes, .fragmentOversize, .fragmentOverlap, .fragmentIncomplete: "datagrams"
        case .openFlows, .reportFlows: "flows"
        case .reassemblyMemory: "segments"
        case .httpHeaderFields, .httpHeadBytes, .httpBodyBytes, .httpDecompressedBytes, .httpDeclaredLength: "messages"
        case .httpSkippedUnscanned, .scanBudget: "bytes"
        case .webSocketFrameLength: "frames"
        case .dnsMessageRefused: "messages"
        case .findingExamples: "sightings"
        }
    }

    /// What the cap did, for the text summary.
    public var consequence: String {
        switch self {
        case .fragmentTimeout: "fragmented datagrams not completed within the reassembly timeout, dropped"
        case .fragmentPending: "fragmented datagrams dropped, oldest first, because too many were pending"
        case .fragmentHeldBytes: "fragmented datagrams dropped because the fragment memory cap was reached"
        case .fragmentOversize: "fragments reaching past the largest possible datagram, dropped"
        case .fragmentOverlap: "fragmented datagrams dropped for overlapping pieces beyond the work cap"
        case .fragmentIncomplete: "fragmented datagrams still incomplete when the input ended"
        case .openFlows: "flows finished early, least recently active first, because too many were open"
        case .reassemblyMemory: "TCP segments not reassembled because a flow or the run reached its memory cap"
        case .httpHeaderFields: "HTTP messages with more header fields than the cap; the rest scanned as text"
        case .httpHeadBytes: "HTTP heads longer than the cap, scanned as raw bytes instead"
        case .httpBodyBytes: "HTTP bodies cut at the body cap; the rest not inspected"
        case .httpDecompressedBytes: "HTTP bodies whose decompression stopped at the cap (decompression bombs)"
        case .httpDeclaredLength: "HTTP or WebSocket lengths too large to be true; the message reported malformed"
        case .httpSkippedUnscanned: "bytes skipped while resynchronising an HTTP stream, past the raw-scan cap"
        case .webSocketFrameLength: "WebSocket frames declaring an impossible length; the connection no longer parsed"
        case .dnsMessageRefused: "DNS messages refused for compression loops, bad pointers or too many records"
        case .scanBudget: "plaintext bytes past the PI scanner's budget, not scanned"
        case .reportFlows: "flows left out of the report's flow list (--max-flows-in-report); counted in the summary"
        case .findingExamples: "PI sightings folded into an aggregated finding beyond its examples"
        }
    }
}

/// The run's counts of cap hits, shared by every stage, summed over every
/// input (one per run, never reset between files).
public final class LimitCounters: @unchecked Sendable {
    public private(set) var hits = [Int](repeating: 0, count: Limit.allCases.count)
    /// Bytes the hits skipped, where the cap knows (bodies, raw bytes).
    public private(set) var skippedBytes = [Int](repeating: 0, count: Limit.allCases.count)
    private static let positions: [Limit: Int] = Dictionary(uniqueKeysWithValues: Limit.allCases.enumerated().map { ($1, $0) })

    public init() {}

    public func record(_ limit: Limit, count: Int = 1, skippedBytes bytes: Int = 0) {
        guard count > 0 || bytes > 0, let position = Self.positions[limit] else { return }
        hits[position] += count
        skippedBytes[position] += bytes
    }

    /// Sets a count kept elsewhere (fragment and flow tables count their own).
    public func set(_ limit: Limit, count: Int) {
        guard let position = Self.positions[limit] else { return }
        hits[position] = count
    }

    public func count(_ limit: Limit) -> Int { Self.positions[limit].map { hits[$0] } ?? 0 }
    public func skipped(_ limit: Limit) -> Int { Self.positions[limit].map { skippedBytes[$0] } ?? 0 }

    /// The caps that were hit, in catalogue order.
    public var hit: [(limit: Limit, count: Int, skippedBytes: Int)] {
        Limit.allCases.enumerated().compactMap { position, limit in
            hits[position] > 0 || skippedBytes[position] > 0 ? (limit, hits[position], skippedBytes[position]) : nil
        }
    }
}
