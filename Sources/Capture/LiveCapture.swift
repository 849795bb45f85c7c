#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPcap
import Crypto
import WireBytes

/// Live capture through libpcap (the lab host the test phone's Wi-Fi runs
/// through). Packets go to the same callback shape as the file reader's, so
/// the live mode drives the same engine. Optionally every packet is saved to
/// a pcap file, the evidence the report then names by its SHA-256.
public final class LiveCapture: PacketSource {
    /// Stop after this many packets, or this many seconds (both optional; Ctrl-C stops too).
    public var stopAfterPackets: Int?
    public var stopAfterSeconds: Double?
    public var name: String { savePath ?? "live:\(interface)" }

    public let interface: String
    private let handle: OpaquePointer
    private var dumper: OpaquePointer?
    public let savePath: String?

    /// Set from a signal handler; checked between packets (the read timeout
    /// bounds how long that takes).
    nonisolated(unsafe) public static var stopRequested: sig_atomic_t = 0

    public init(interface: String, filter: String?, snapLength: Int32 = 262_144, promiscuous: Bool = false,
                savePath: String? = nil) throws(CaptureOpenError) {
        self.interface = interface
        self.savePath = savePath
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let created = pcap_create(interface, &errorBuffer) else {
            throw CaptureOpenError(file: "live:\(interface)", message: String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        // From here every stored property is set, so a throw runs deinit, which closes the handle.
        handle = created
        pcap_set_snaplen(handle, snapLength)
        pcap_set_promisc(handle, promiscuous ? 1 : 0)
        pcap_set_timeout(handle, 100)
        pcap_set_immediate_mode(handle, 1)
        pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let status = pcap_activate(handle)
        if status < 0 {
            let message = String(cString: pcap_geterr(handle))
            throw CaptureOpenError(file: "live:\(interface)", message: "cannot start capture: \(message.isEmpty ? String(cString: pcap_statustostr(status)) : message)")
        }
        if let filter {
            var program = bpf_program()
            guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                let message = String(cString: pcap_geterr(handle))
                throw CaptureOpenError(file: "live:\(interface)", message: "bad capture filter '\(filter)': \(message)")
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(handle, &program) == 0 else {
                let message = String(cString: pcap_geterr(handle))
                throw CaptureOpenError(file: "live:\(interface)", message: "cannot set filter: \(message)")
            }
        }
        // Non-blocking reads plus poll() with a timeout, so the stop flag and
        // the duration are honoured even on an idle interface.
        pcap_setnonblock(handle, 1, &errorBuffer)
        if let savePath {
            guard let opened = pcap_dump_open(handle, savePath) else {
                let message = String(cString: pcap_geterr(handle))
                throw CaptureOpenError(file: savePath, message: "cannot write the capture: \(message)")
            }
            dumper = opened
        }
    }

    deinit {
        if let dumper { pcap_dump_close(dumper) }
        pcap_close(handle)
    }

    /// Captures until `stopAfterPackets` packets, `stopAfterSeconds` elapsed, or `stopRequested`.
    public func read<Consumer: PacketConsumer>(into consumer: inout Consumer) -> CaptureSummary {
        let count = stopAfterPackets
        let seconds = stopAfterSeconds
        var summary = CaptureSummary(path: name)
        summary.format = .pcapNanosecond
        let linkType = LinkType(rawValue: UInt32(pcap_datalink(handle)))
        summary.linkTypes = [linkType]
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        var number = 0
        // Without a saved file the digest covers the packet records themselves
        // (pcap record header fields, then the bytes), in capture order.
        var hasher = SHA256()
        var hashedBytes: UInt64 = 0
        while LiveCapture.stopRequested == 0 {
            if let count, number >= count { break }
            if let seconds {
                var now = timespec()
                clock_gettime(CLOCK_MONOTONIC, &now)
                let elapsed = Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
                if elapsed >= seconds { break }
            }
            let status = pcap_next_ex(handle, &header, &data)
            if status == 0 {
                // Nothing buffered: wait up to 100 ms for the descriptor, then check the clocks and the stop flag.
                var descriptor = pollfd(fd: pcap_get_selectable_fd(handle), events: Int16(POLLIN), revents: 0)
                if descriptor.fd >= 0 { _ = poll(&descriptor, 1, 100) } else { usleep(10_000) }
                continue
            }
            if status < 0 {
                if status == PCAP_ERROR {
                    summary.diagnostics.append(CaptureDiagnostic(kind: .unreadable, file: summary.path, packet: number + 1, offset: nil,
                                                                 message: String(cString: pcap_geterr(handle))))
                }
                break
            }
            guard let header, let data else { continue }
            number += 1
            if let dumper {
                pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), header, data)
            }
            let nanos = Int64(header.pointee.ts.tv_sec) * 1_000_000_000 + Int64(header.pointee.ts.tv_usec)
            let record = PacketRecord(number: number, timestampNanos: nanos, capturedLength: Int(header.pointee.caplen),
                                      originalLength: Int(header.pointee.len), linkType: linkType, interfaceIndex: 0)
            if dumper == nil {
                var fields = [UInt32(truncatingIfNeeded: header.pointee.ts.tv_sec), UInt32(truncatingIfNeeded: header.pointee.ts.tv_usec),
                              header.pointee.caplen, header.pointee.len].map(\.littleEndian)
                fields.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: data, count: Int(header.pointee.caplen)))
                hashedBytes += UInt64(16 + header.pointee.caplen)
            }
            if summary.firstTimestampNanos == nil { summary.firstTimestampNanos = nanos }
            summary.lastTimestampNanos = nanos
            summary.packets += 1
            consumer.packet(record, bytes: RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: data, count: Int(header.pointee.caplen))))
        }
        var statistics = pcap_stat()
        if pcap_stats(handle, &statistics) == 0, statistics.ps_drop > 0 {
            summary.packetsSkipped = Int(statistics.ps_drop)
            summary.diagnostics.append(CaptureDiagnostic(kind: .unreadable, file: summary.path, packet: nil, offset: nil,
                                                         message: "the kernel dropped \(statistics.ps_drop) packet(s) during the capture"))
        }
        if dumper == nil {
            summary.sha256 = Hex.string(hasher.finalize())
            summary.bytes = hashedBytes
        }
        if let dumper {
            pcap_dump_flush(dumper)
            pcap_dump_close(dumper)
            self.dumper = nil
            if let savePath, let digest = BackgroundDigest(path: savePath)?.wait() {
                summary.sha256 = digest.sha256
                summary.bytes = digest.bytes
            }
        }
        return summary
    }
}
