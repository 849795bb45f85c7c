#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time and bytes spent in `PIInspector.inspect`, for `--stats` and the
/// benchmark: the scanner's own throughput, apart from capture reading,
/// reassembly and HTTP parsing. One meter per pipeline, on the one thread the
/// dissection runs on (hence unchecked Sendable).
public final class ScanMeter: @unchecked Sendable {
    /// Thread CPU time inside `inspect` calls.
    public private(set) var cpuNanoseconds: UInt64 = 0
    /// Bytes handed to `inspect` (before any decoding).
    public private(set) var bytes = 0
    public private(set) var calls = 0

    /// The same per kind of content (`ContentKind.meterLabel`), in `labels` order.
    private var kindNanoseconds = [UInt64](repeating: 0, count: ContentKind.meterLabels.count)
    private var kindBytes = [Int](repeating: 0, count: ContentKind.meterLabels.count)
    private var kindCalls = [Int](repeating: 0, count: ContentKind.meterLabels.count)

    public init() {}

    @inline(__always) func record(bytes: Int, kind: ContentKind, since start: UInt64) {
        let spent = Self.threadCPUNanoseconds() &- start
        cpuNanoseconds &+= spent
        self.bytes &+= bytes
        calls &+= 1
        let k = kind.meterIndex
        kindNanoseconds[k] &+= spent
        kindBytes[k] &+= bytes
        kindCalls[k] &+= 1
    }

    /// Where the scanner's time went, per kind of content it was handed (kinds it never saw left out).
    public var byContent: [(kind: String, bytes: Int, cpuNanoseconds: UInt64, calls: Int)] {
        ContentKind.meterLabels.indices.compactMap { k in
            kindCalls[k] == 0 ? nil : (ContentKind.meterLabels[k], kindBytes[k], kindNanoseconds[k], kindCalls[k])
        }
    }

    /// This thread's CPU time (not wall time: a busy neighbour on a shared host does not count).
    public static func threadCPUNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }
}
