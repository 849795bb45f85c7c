#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Dispatch
import WireBytes

/// SHA-256 of a regular file computed on another core while the pipeline
/// reads it: the report needs the digest as evidence, and hashing inline
/// would cost the single analysis core about 0.6 s per GB. The second read
/// comes from the page cache. Pipes and standard input are hashed inline
/// instead (see `CaptureFileReader`).
final class BackgroundDigest: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written once by the worker before `leave()`, read after `wait()`.
    private var digest = ""
    private var byteCount: UInt64 = 0
    private var failure: Int32 = 0

    /// Nil when `path` is not a regular file that can be opened.
    init?(path: String) {
        // Checked before opening: opening a FIFO would wait for its writer.
        var named = stat()
        guard stat(path, &named) == 0, (named.st_mode & S_IFMT) == S_IFREG else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        let fileSize = Int(status.st_size)
        group.enter()
        DispatchQueue.global(qos: .utility).async { [self] in
            defer { close(fd); group.leave() }
            #if os(Linux)
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
            #endif
            // Hash straight from the page cache, one mapped window at a time
            // (bounded resident memory, no copy).
            let window = 32 << 20
            var hasher = SHA256()
            var total: UInt64 = 0
            var offset = 0
            while offset < fileSize {
                let length = min(window, fileSize - offset)
                guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(offset)), mapped != MAP_FAILED else {
                    failure = errno
                    break
                }
                #if os(Linux)
                _ = madvise(mapped, length, MADV_SEQUENTIAL | MADV_WILLNEED)
                #endif
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: mapped, count: length))
                munmap(mapped, length)
                total += UInt64(length)
                offset += length
            }
            digest = Hex.string(hasher.finalize())
            byteCount = total
        }
    }

    /// Blocks until the worker finished; nil if the file could not be read to its end.
    func wait() -> (sha256: String, bytes: UInt64)? {
        group.wait()
        return failure == 0 ? (digest, byteCount) : nil
    }
}

extension BackgroundDigest {
    /// Whether hashing on another thread can run beside the analysis: only when the
    /// process may use a second CPU. On one (a one-core host, or pinned with `taskset`)
    /// the thread would only take turns with the analysis on its core, evicting its
    /// caches at every switch; the reader then hashes as it reads, as for a pipe.
    static var worthAThread: Bool { allowedCPUCount() > 1 }

    /// How many CPUs this process may run on: its affinity mask (what `taskset` sets)
    /// from /proc/self/status on Linux, at most the online count (a VM's mask may list
    /// CPUs that are not running); the online count elsewhere or if unreadable. (A CPU
    /// quota, as `docker --cpus=1` sets, is not seen: the thread is kept then.)
    static func allowedCPUCount() -> Int {
        let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #if os(Linux)
        let fd = open("/proc/self/status", O_RDONLY)
        if fd >= 0 {
            defer { close(fd) }
            var status = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while status.count < 1 << 20 {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                status += buffer[0..<n]
            }
            if let count = allowedCPUCount(status: status) { return min(count, online) }
        }
        #endif
        return online
    }

    /// The CPUs in the `Cpus_allowed:` line of a /proc/<pid>/status text (a hex mask
    /// in comma-separated groups), nil without one or with an empty mask.
    static func allowedCPUCount(status: [UInt8]) -> Int? {
        let label = Array("Cpus_allowed:".utf8)
        var lineStart = 0
        while lineStart < status.count {
            var lineEnd = lineStart
            while lineEnd < status.count, status[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd - lineStart > label.count, Array(status[lineStart..<lineStart + label.count]) == label {
                var count = 0
                for c in status[(lineStart + label.count)..<lineEnd] {
                    switch c {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): count += Int(c - UInt8(ascii: "0")).nonzeroBitCount
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): count += Int(c - UInt8(ascii: "a") + 10).nonzeroBitCount
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): count += Int(c - UInt8(ascii: "A") + 10).nonzeroBitCount
                    case UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\t"): continue
                    default: return nil
                    }
                }
                return count > 0 ? count : nil
            }
            lineStart = lineEnd + 1
        }
        return nil
    }
}

