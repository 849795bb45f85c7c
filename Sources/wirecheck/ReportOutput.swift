import Foundation

/// The report's destination; a write error is remembered and reported once the run ends.
final class ReportOutput {
    let descriptor: Int32
    let path: String?
    private(set) var failure: String?

    init(descriptor: Int32, path: String?) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Written straight from the rendered bytes: a large report is not copied again.
    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, failure == nil else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
    }

    func close() {
        if path != nil { _ = Glibc.close(descriptor) }
    }
}
