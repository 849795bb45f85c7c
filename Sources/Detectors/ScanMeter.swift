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

    public init() {}

    @inline(__always) func record(bytes: Int, since start: UInt64) {
        cpuNanoseconds &+= Self.threadCPUNanoseconds() &- start
        self.bytes &+= bytes
        calls &+= 1
    }

    /// This thread's CPU time (not wall time: a busy neighbour on a shared host does not count).
    public static func threadCPUNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }
}
