#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file or pipe through one bounded window, so memory stays flat
/// however large the capture (pages of a whole mapped file would count
/// against resident memory). Regular files are mapped a window at a time
/// (no copy out of the page cache); pipes are read into a reused buffer.
/// Records are parsed in place inside the window; a record that straddles
/// the window's end starts the next window.
struct InputWindow: ~Copyable {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    /// Unconsumed bytes are `storage[start..<end]`.
    private(set) var start = 0
    private(set) var end = 0
    private(set) var reachedEOF = false
    /// Bytes of the file before `storage[start]`.
    private(set) var consumedOffset: UInt64 = 0
    private(set) var readError: Int32 = 0
    /// Called with every chunk read from the file, in order (for the file digest).
    var observer: ((UnsafeRawBufferPointer) -> Void)?

    static let defaultCapacity = 4 << 20
    /// A pcapng block or pcap record larger than this is treated as corrupt.
    static let maximumRecord = 64 << 20

    /// Mapped mode: the file's size, and where the current mapping starts.
    private let mappedFileSize: Int?
    private var mappingOffset = 0
    private var mappingLength = 0
    private var observedUpTo = 0
    static let mappedWindow = 16 << 20

    init(fd: Int32, ownsDescriptor: Bool, capacity: Int = InputWindow.defaultCapacity) {
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
            mappedFileSize = Int(status.st_size)
            self.capacity = 0
            self.storage = UnsafeMutableRawPointer(bitPattern: 0x1)!
        } else {
            mappedFileSize = nil
            self.capacity = capacity
            self.storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        }
    }

    deinit {
        if mappedFileSize != nil {
            if mappingLength > 0 { munmap(storage, mappingLength) }
        } else {
            storage.deallocate()
        }
        if ownsDescriptor { close(fd) }
    }

    /// Maps the window that begins at file offset `from` (rounded down to a
    /// page) and covers at least `count` bytes when the file has them.
    private mutating func remap(from fileOffset: Int, count: Int) -> Bool {
        guard let fileSize = mappedFileSize else { return false }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let aligned = fileOffset / page * page
        let length = min(max(InputWindow.mappedWindow, count + (fileOffset - aligned)), fileSize - aligned)
        if mappingLength > 0 { munmap(storage, mappingLength) }
        mappingLength = 0
        guard length > 0 else { return false }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let mapped = mmap(nil, length, PROT_READ, flags, fd, off_t(aligned)), mapped != MAP_FAILED else {
            readError = errno
            start = 0
            end = 0
            return false
        }
        storage = mapped
        mappingOffset = aligned
        mappingLength = length
        start = fileOffset - aligned
        end = length
        if let observer, aligned + length > observedUpTo {
            let from = max(observedUpTo, aligned)
            observer(UnsafeRawBufferPointer(start: mapped + (from - aligned), count: aligned + length - from))
            observedUpTo = aligned + length
        }
        return true
    }

    var available: Int { end - start }

    /// Makes at least `count` bytes available from `start`; false when the
    /// input ends first (the bytes that are there stay available).
    mutating func ensure(_ count: Int) -> Bool {
        if available >= count { return true }
        if reachedEOF || count > InputWindow.maximumRecord { return false }
        if let fileSize = mappedFileSize {
            let position = Int(consumedOffset)
            if fileSize - position < count || (mappingLength > 0 && mappingOffset + mappingLength >= fileSize) {
                // The file ends before `count` bytes: keep what is there available.
                if mappingLength == 0 || mappingOffset + mappingLength < fileSize { _ = remap(from: position, count: fileSize - position) }
                reachedEOF = true
                return available >= count
            }
            return remap(from: position, count: count) && available >= count
        }
        if start > 0 {
            if available > 0 { memmove(storage, storage + start, available) }
            end = available
            start = 0
        }
        if count > capacity {
            var newCapacity = capacity
            while newCapacity < count { newCapacity *= 2 }
            let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 64)
            if end > 0 { grown.copyMemory(from: storage, byteCount: end) }
            storage.deallocate()
            storage = grown
            capacity = newCapacity
        }
        while end < count {
            let n = read(fd, storage + end, capacity - end)
            if n < 0 {
                if errno == EINTR { continue }
                readError = errno
                reachedEOF = true
                return false
            }
            if n == 0 {
                reachedEOF = true
                return false
            }
            observer?(UnsafeRawBufferPointer(start: storage + end, count: n))
            end += n
        }
        return true
    }

    /// Reads the rest of the input only to feed the observer (digest) after a
    /// fatal format error, so the report still names the file's hash and size.
    mutating func drain() {
        guard observer != nil else { return }
        repeat { consume(available) } while ensure(1)
    }

    mutating func consume(_ count: Int) {
        precondition(count <= available)
        start += count
        consumedOffset += UInt64(count)
    }

    /// The unconsumed bytes. Valid until the next `ensure`.
    func bytes(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + start, count: Swift.min(count, available))
    }

    func byte(at offset: Int) -> UInt8 {
        storage.load(fromByteOffset: start + offset, as: UInt8.self)
    }

    func uint16(at offset: Int, bigEndian: Bool) -> UInt16 {
        let raw = storage.loadUnaligned(fromByteOffset: start + offset, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw)
    }

    func uint32(at offset: Int, bigEndian: Bool) -> UInt32 {
        let raw = storage.loadUnaligned(fromByteOffset: start + offset, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
    }
}
