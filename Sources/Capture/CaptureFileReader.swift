#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import WireBytes

/// One packet record as the file describes it. The bytes come alongside as a
/// `RawSpan` that is valid only during the callback.
public struct PacketRecord: Sendable {
    /// 1-based position of the record among the file's packets (what tshark
    /// calls the frame number), counting corrupt records too.
    public var number: Int
    /// Nanoseconds since the Unix epoch, UTC.
    public var timestampNanos: Int64
    public var capturedLength: Int
    public var originalLength: Int
    public var linkType: LinkType
    public var interfaceIndex: Int
}

public enum CaptureFormat: String, Sendable {
    case pcap
    case pcapNanosecond = "pcap-ns"
    case pcapng
}

/// Totals for one input, for the report's evidence header.
public struct CaptureSummary: Sendable {
    public var path: String
    public var format: CaptureFormat?
    public var bytes: UInt64 = 0
    public var sha256: String = ""
    public var packets = 0
    public var packetsSkipped = 0
    public var firstTimestampNanos: Int64?
    public var lastTimestampNanos: Int64?
    public var linkTypes: [LinkType] = []
    public var comments: [String] = []
    public var diagnostics: [CaptureDiagnostic] = []
    /// pcapng Decryption Secrets Blocks read (each handed on in band as it was found).
    public var decryptionSecretsBlocks = 0
}

/// Our own pcap/pcapng reader: both byte orders, microsecond and nanosecond
/// pcap, pcapng with several sections and interfaces of different link types,
/// if_tsresol/if_tsoffset, comments and decryption secrets. libpcap's offline
/// reader refuses pcapng files whose interfaces differ in link type and hides
/// comments and secrets; this reader does neither.
///
/// A corrupt record does not end the file: the reader looks for the next
/// plausible record and reports what it skipped.
public final class CaptureFileReader: PacketSource {
    public var name: String { path }
    public let path: String
    private var window: InputWindow
    private var hashing: HashBox
    private var background: BackgroundDigest?
    public private(set) var summary: CaptureSummary

    // pcap state
    private var bigEndian = false
    private var nanosecond = false
    private var pcapLinkType = LinkType.ethernet
    private var snapLength = 262_144

    // pcapng state, per section
    private struct Interface {
        var linkType: LinkType
        var snapLength: Int
        /// Timestamp units per second is 10^exp or 2^exp.
        var resolutionIsPowerOfTwo = false
        var resolutionExponent = 6
        var offsetSeconds: Int64 = 0
    }
    private var interfaces: [Interface] = []
    private var interfaceBase = 0

    /// Opens `path` ("-" is standard input) and reads the file header.
    public init(path: String) throws(CaptureOpenError) {
        self.path = path
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw CaptureOpenError(file: path, message: "cannot open: \(String(cString: strerror(errno)))")
            }
            #if os(Linux)
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
            #endif
        }
        window = InputWindow(fd: fd, ownsDescriptor: path != "-")
        summary = CaptureSummary(path: path)
        let box = HashBox()
        hashing = box
        background = path == "-" || !BackgroundDigest.worthAThread ? nil : BackgroundDigest(path: path)
        if background == nil {
            window.observer = { chunk in
                box.hasher.update(bufferPointer: chunk)
                box.bytes += UInt64(chunk.count)
            }
        }
        try readFileHeader()
    }

    /// SHA-256 runs over every byte as it is read, so the digest costs no second pass.
    private final class HashBox {
        var hasher = SHA256()
        var bytes: UInt64 = 0
    }

    private func readFileHeader() throws(CaptureOpenError) {
        guard window.ensure(4) else {
            finishDigest()
            throw CaptureOpenError(file: path, message: window.available == 0 ? "empty file" : "file too short for a capture header")
        }
        let magic = window.uint32(at: 0, bigEndian: false)
        switch magic {
        case 0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1:
            bigEndian = magic == 0xD4C3_B2A1 || magic == 0x4D3C_B2A1
            nanosecond = magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1
            guard window.ensure(24) else {
                finishDigest()
                throw CaptureOpenError(file: path, message: "truncated pcap file header (\(window.available) of 24 bytes)")
            }
            let major = window.uint16(at: 4, bigEndian: bigEndian)
            snapLength = Int(window.uint32(at: 16, bigEndian: bigEndian))
            if snapLength <= 0 || snapLength > InputWindow.maximumRecord { snapLength = 262_144 }
            // The FCS bits of the link-type field (pcap 2.4 "LinkType and additional information").
            pcapLinkType = LinkType(rawValue: window.uint32(at: 20, bigEndian: bigEndian) & 0x0FFF_FFFF)
            guard major == 2 else {
                finishDigest()
                throw CaptureOpenError(file: path, message: "unsupported pcap version \(major)")
            }
            summary.format = nanosecond ? .pcapNanosecond : .pcap
            noteLinkType(pcapLinkType, packet: nil)
            window.consume(24)
        case 0x0A0D_0D0A:
            summary.format = .pcapng
        default:
            window.drain()
            finishDigest()
            throw CaptureOpenError(file: path, message: "not a pcap or pcapng file (magic 0x\(String(magic, radix: 16)))")
        }
    }

    private func noteLinkType(_ linkType: LinkType, packet: Int?) {
        if !summary.linkTypes.contains(linkType) {
            summary.linkTypes.append(linkType)
        }
        if !linkType.isSupported {
            summary.diagnostics.append(CaptureDiagnostic(
                kind: .unknownLinkType, file: path, packet: packet, offset: window.consumedOffset,
                message: "unsupported link type \(linkType.rawValue) (\(linkType.name)); its packets are counted and skipped"))
        }
    }

    private func finishDigest() {
        if let background {
            if let (digest, bytes) = background.wait() {
                summary.sha256 = digest
                summary.bytes = bytes
            }
            self.background = nil
            return
        }
        summary.sha256 = Hex.string(hashing.hasher.finalize())
        summary.bytes = hashing.bytes
    }

    /// Hands every packet to `consumer` in file order, each pcapng decryption
    /// secrets block at its place between them, then finishes the summary
    /// (digest, totals). Problems go to `summary.diagnostics`.
    public func read<Consumer: PacketConsumer>(into consumer: inout Consumer) -> CaptureSummary {
        let summary = readAll { record, bytes in
            if !pendingSecrets.isEmpty {
                for secrets in pendingSecrets { consumer.decryptionSecrets(secrets) }
                pendingSecrets = []
            }
            consumer.packet(record, bytes: bytes)
        }
        for secrets in pendingSecrets { consumer.decryptionSecrets(secrets) }
        pendingSecrets = []
        return summary
    }

    /// Calls `body` for every packet in file order, then finishes the summary
    /// (digest, totals). Problems go to `summary.diagnostics`.
    func readAll(_ body: (PacketRecord, RawSpan) -> Void) -> CaptureSummary {
        if summary.format == .pcapng {
            readPcapng(body)
        } else {
            readPcap(body)
        }
        if window.readError != 0 {
            summary.diagnostics.append(CaptureDiagnostic(
                kind: .unreadable, file: path, packet: summary.packets + 1, offset: window.consumedOffset,
                message: "read error: \(String(cString: strerror(window.readError)))"))
        }
        window.drain()
        finishDigest()
        return summary
    }

    // MARK: pcap

    private func plausiblePcapHeader(at offset: Int, previousSeconds: UInt32?) -> Bool {
        let included = window.uint32(at: offset + 8, bigEndian: bigEndian)
        let original = window.uint32(at: offset + 12, bigEndian: bigEndian)
        let fraction = window.uint32(at: offset + 4, bigEndian: bigEndian)
        guard included <= UInt32(snapLength), included <= original || original == 0, included > 0 else { return false }
        guard fraction < (nanosecond ? 1_000_000_000 : 1_000_000) else { return false }
        if let previousSeconds {
            let seconds = window.uint32(at: offset, bigEndian: bigEndian)
            let delta = Int64(seconds) - Int64(previousSeconds)
            if delta < -86_400 || delta > 86_400 * 30 { return false }
        }
        return true
    }

    private func readPcap(_ body: (PacketRecord, RawSpan) -> Void) {
        var number = 0
        var previousSeconds: UInt32?
        while true {
            guard window.ensure(16) else {
                if window.available > 0 {
                    summary.diagnostics.append(CaptureDiagnostic(
                        kind: .truncatedFile, file: path, packet: number + 1, offset: window.consumedOffset,
                        message: "file ends inside a record header (\(window.available) of 16 bytes)"))
                    summary.packetsSkipped += 1
                }
                return
            }
            number += 1
            let included = Int(window.uint32(at: 8, bigEndian: bigEndian))
            let original = Int(window.uint32(at: 12, bigEndian: bigEndian))
            if included > snapLength || included > InputWindow.maximumRecord {
                summary.diagnostics.append(CaptureDiagnostic(
                    kind: .corruptRecord, file: path, packet: number, offset: window.consumedOffset,
                    message: "record length \(included) exceeds the snapshot length \(snapLength); resynchronising"))
                summary.packetsSkipped += 1
                if !resynchronisePcap(previousSeconds: previousSeconds) { return }
                continue
            }
            guard window.ensure(16 + included) else {
                summary.diagnostics.append(CaptureDiagnostic(
                    kind: .truncatedFile, file: path, packet: number, offset: window.consumedOffset,
                    message: "file ends inside packet data (\(max(0, window.available - 16)) of \(included) bytes)"))
                summary.packetsSkipped += 1
                return
            }
            let seconds = window.uint32(at: 0, bigEndian: bigEndian)
            let fraction = window.uint32(at: 4, bigEndian: bigEndian)
            previousSeconds = seconds
            let nanos = Int64(seconds) * 1_000_000_000 + Int64(fraction) * (nanosecond ? 1 : 1000)
            let record = PacketRecord(number: number, timestampNanos: nanos, capturedLength: included,
                                      originalLength: original, linkType: pcapLinkType, interfaceIndex: 0)
            deliver(record, offset: 16, body)
            window.consume(16 + included)
        }
    }

    /// Skips one byte at a time until a record header that is plausible and
    /// followed by another plausible header (or the end of the file).
    private func resynchronisePcap(previousSeconds: UInt32?) -> Bool {
        window.consume(1)
        var skipped = 1
        while window.ensure(16) {
            if plausiblePcapHeader(at: 0, previousSeconds: previousSeconds) {
                let included = Int(window.uint32(at: 8, bigEndian: bigEndian))
                if window.ensure(16 + included + 16) {
                    if plausiblePcapHeader(at: 16 + included, previousSeconds: previousSeconds) { return true }
                } else if window.available == 16 + included {
                    return true
                }
            }
            window.consume(1)
            skipped += 1
            if skipped > InputWindow.maximumRecord { break }
        }
        return false
    }

    private func deliver(_ record: PacketRecord, offset: Int, _ body: (PacketRecord, RawSpan) -> Void) {
        summary.packets += 1
        if summary.firstTimestampNanos == nil { summary.firstTimestampNanos = record.timestampNanos }
        summary.lastTimestampNanos = record.timestampNanos
        let raw = window.bytes(offset + record.capturedLength)
        let packet = UnsafeRawBufferPointer(rebasing: raw[offset...])
        body(record, RawSpan(_unsafeBytes: packet))
    }

    // MARK: pcapng

    private func readPcapng(_ body: (PacketRecord, RawSpan) -> Void) {
        var number = 0
        while true {
            guard window.ensure(12) else {
                if window.available > 0 {
                    summary.diagnostics.append(CaptureDiagnostic(
                        kind: .truncatedFile, file: path, packet: number + 1, offset: window.consumedOffset,
                        message: "file ends inside a block header (\(window.available) bytes)"))
                }
                return
            }
            var blockType = window.uint32(at: 0, bigEndian: bigEndian)
            if blockType == 0x0A0D_0D0A {
                // A Section Header Block sets the byte order of its section.
                let byteOrderMagic = window.uint32(at: 8, bigEndian: false)
                if byteOrderMagic == 0x1A2B_3C4D { bigEndian = false }
                else if byteOrderMagic == 0x4D3C_2B1A { bigEndian = true }
                else {
                    summary.diagnostics.append(CaptureDiagnostic(
                        kind: .corruptRecord, file: path, packet: number + 1, offset: window.consumedOffset,
                        message: "section header with an invalid byte-order magic; stopping"))
                    return
                }
                blockType = 0x0A0D_0D0A
            }
            let length = Int(window.uint32(at: 4, bigEndian: bigEndian))
            guard length >= 12, length % 4 == 0, length <= InputWindow.maximumRecord else {
                summary.diagnostics.append(CaptureDiagnostic(
                    kind: .corruptRecord, file: path, packet: number + 1, offset: window.consumedOffset,
                    message: "block length \(length) is invalid; resynchronising"))
                if !resynchronisePcapng() { return }
                continue
            }
            guard window.ensure(length) else {
                let isPacket = blockType == 6 || blockType == 3 || blockType == 2
                if isPacket { summary.packetsSkipped += 1 }
                summary.diagnostics.append(CaptureDiagnostic(
                    kind: .truncatedFile, file: path, packet: number + 1, offset: window.consumedOffset,
                    message: "file ends inside a block of \(length) bytes (\(window.available) present)"))
                return
            }
            let trailer = Int(window.uint32(at: length - 4, bigEndian: bigEndian))
            guard trailer == length else {
                summary.diagnostics.append(CaptureDiagnostic(
                    kind: .corruptRecord, file: path, packet: number + 1, offset: window.consumedOffset,
                    message: "block length \(length) does not match its trailer \(trailer); resynchronising"))
                if !resynchronisePcapng() { return }
                continue
            }
            switch blockType {
            case 0x0A0D_0D0A:
                // Interface numbers restart in every section; keep them distinct in the report.
                interfaceBase += interfaces.count
                interfaces.removeAll(keepingCapacity: true)
                var comments: [String] = []
                readOptions(from: 24, to: length - 4) { code, valueOffset, valueLength in
                    if code == 1 { comments.append(string(at: valueOffset, count: valueLength)) }
                }
                summary.comments += comments
            case 1:
                readInterfaceDescription(length: length, packet: number + 1)
            case 6, 3, 2:
                number += 1
                readPacketBlock(type: blockType, length: length, number: number, body)
            case 0x0A:
                readDecryptionSecrets(length: length)
            default:
                break // NRB, ISB, custom blocks: nothing the analysis needs.
            }
            window.consume(length)
        }
    }

    private func resynchronisePcapng() -> Bool {
        window.consume(4)
        while window.ensure(12) {
            let type = window.uint32(at: 0, bigEndian: bigEndian)
            let length = Int(window.uint32(at: 4, bigEndian: bigEndian))
            if [1, 2, 3, 4, 5, 6, 0x0A, 0x0A0D_0D0A].contains(type), length >= 12, length % 4 == 0, length <= InputWindow.maximumRecord,
               window.ensure(length), Int(window.uint32(at: length - 4, bigEndian: bigEndian)) == length {
                return true
            }
            window.consume(4)
        }
        return false
    }

    private func string(at offset: Int, count: Int) -> String {
        let raw = window.bytes(offset + count)
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]), as: UTF8.self)
    }

    /// Walks pcapng options (code, length, value padded to 32 bits) between two offsets.
    private func readOptions(from start: Int, to limit: Int, _ visit: (UInt16, Int, Int) -> Void) {
        var offset = start
        while offset + 4 <= limit {
            let code = window.uint16(at: offset, bigEndian: bigEndian)
            let length = Int(window.uint16(at: offset + 2, bigEndian: bigEndian))
            if code == 0 { return }
            let valueOffset = offset + 4
            guard valueOffset + length <= limit else { return }
            visit(code, valueOffset, length)
            offset = valueOffset + ((length + 3) & ~3)
        }
    }

    private func readInterfaceDescription(length: Int, packet: Int) {
        guard length >= 20 else { return }
        let linkType = LinkType(rawValue: UInt32(window.uint16(at: 8, bigEndian: bigEndian)))
        var interface = Interface(linkType: linkType, snapLength: Int(window.uint32(at: 12, bigEndian: bigEndian)))
        readOptions(from: 16, to: length - 4) { code, valueOffset, valueLength in
            switch code {
            case 9 where valueLength >= 1:
                let value = window.byte(at: valueOffset)
                interface.resolutionIsPowerOfTwo = value & 0x80 != 0
                interface.resolutionExponent = Int(value & 0x7F)
            case 14 where valueLength >= 8:
                let high = UInt64(window.uint32(at: valueOffset + (bigEndian ? 0 : 4), bigEndian: bigEndian))
                let low = UInt64(window.uint32(at: valueOffset + (bigEndian ? 4 : 0), bigEndian: bigEndian))
                interface.offsetSeconds = Int64(bitPattern: high << 32 | low)
            default:
                break
            }
        }
        interfaces.append(interface)
        noteLinkType(linkType, packet: packet)
    }

    private func nanoseconds(_ units: UInt64, interface: Interface) -> Int64 {
        var nanos: UInt64
        if interface.resolutionIsPowerOfTwo {
            let shift = UInt64(min(interface.resolutionExponent, 63))
            let whole = units >> shift
            let fraction = units & ((1 << shift) - 1)
            nanos = whole &* 1_000_000_000 &+ (fraction &* 1_000_000_000) >> shift
        } else if interface.resolutionExponent <= 9 {
            var scale: UInt64 = 1
            for _ in 0..<(9 - interface.resolutionExponent) { scale *= 10 }
            nanos = units &* scale
        } else {
            var scale: UInt64 = 1
            for _ in 0..<min(interface.resolutionExponent - 9, 19) { scale *= 10 }
            nanos = units / scale
        }
        return Int64(bitPattern: nanos) &+ interface.offsetSeconds &* 1_000_000_000
    }

    private func readPacketBlock(type: UInt32, length: Int, number: Int, _ body: (PacketRecord, RawSpan) -> Void) {
        let interfaceID: Int
        let dataOffset: Int
        var captured: Int
        var original: Int
        var timestamp: UInt64 = 0
        switch type {
        case 6: // Enhanced Packet Block
            guard length >= 32 else { return corrupt(number, "enhanced packet block too short") }
            interfaceID = Int(window.uint32(at: 8, bigEndian: bigEndian))
            timestamp = UInt64(window.uint32(at: 12, bigEndian: bigEndian)) << 32 | UInt64(window.uint32(at: 16, bigEndian: bigEndian))
            captured = Int(window.uint32(at: 20, bigEndian: bigEndian))
            original = Int(window.uint32(at: 24, bigEndian: bigEndian))
            dataOffset = 28
        case 2: // obsolete Packet Block
            guard length >= 32 else { return corrupt(number, "packet block too short") }
            interfaceID = Int(window.uint16(at: 8, bigEndian: bigEndian))
            timestamp = UInt64(window.uint32(at: 12, bigEndian: bigEndian)) << 32 | UInt64(window.uint32(at: 16, bigEndian: bigEndian))
            captured = Int(window.uint32(at: 20, bigEndian: bigEndian))
            original = Int(window.uint32(at: 24, bigEndian: bigEndian))
            dataOffset = 28
        default: // Simple Packet Block: interface 0, no timestamp
            interfaceID = 0
            original = Int(window.uint32(at: 8, bigEndian: bigEndian))
            captured = min(original, length - 16)
            if let first = interfaces.first { captured = min(captured, first.snapLength == 0 ? captured : first.snapLength) }
            dataOffset = 12
        }
        guard interfaceID < interfaces.count else {
            return corrupt(number, "packet names interface \(interfaceID) but the section describes \(interfaces.count)")
        }
        guard captured >= 0, dataOffset + captured <= length - 4 else {
            return corrupt(number, "captured length \(captured) overruns its block of \(length) bytes")
        }
        let interface = interfaces[interfaceID]
        let record = PacketRecord(number: number, timestampNanos: nanoseconds(timestamp, interface: interface),
                                  capturedLength: captured, originalLength: original,
                                  linkType: interface.linkType, interfaceIndex: interfaceBase + interfaceID)
        if type == 6 {
            var comments: [String] = []
            readOptions(from: dataOffset + ((captured + 3) & ~3), to: length - 4) { code, valueOffset, valueLength in
                if code == 1 { comments.append("packet \(number): " + string(at: valueOffset, count: valueLength)) }
            }
            summary.comments += comments
        }
        deliver(record, offset: dataOffset, body)
    }

    private func corrupt(_ number: Int, _ message: String) {
        summary.packetsSkipped += 1
        summary.diagnostics.append(CaptureDiagnostic(kind: .corruptRecord, file: path, packet: number,
                                                     offset: window.consumedOffset, message: message))
    }

    private func readDecryptionSecrets(length: Int) {
        guard length >= 20 else { return }
        let secretsType = window.uint32(at: 8, bigEndian: bigEndian)
        let secretsLength = Int(window.uint32(at: 12, bigEndian: bigEndian))
        guard 16 + secretsLength <= length - 4 else {
            summary.diagnostics.append(CaptureDiagnostic(
                kind: .corruptRecord, file: path, packet: nil, offset: window.consumedOffset,
                message: "decryption secrets block claims \(secretsLength) bytes in a \(length)-byte block; skipped"))
            return
        }
        let raw = window.bytes(16 + secretsLength)
        pendingSecrets.append(DecryptionSecrets(type: secretsType, data: Array(UnsafeRawBufferPointer(rebasing: raw[16..<(16 + secretsLength)])),
                                                afterPacket: summary.packets))
        summary.decryptionSecretsBlocks += 1
    }

    /// Secrets read since the last packet was handed on: they go out before the next one.
    private var pendingSecrets: [DecryptionSecrets] = []
}
