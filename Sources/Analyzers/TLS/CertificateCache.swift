import ProtocolX509
import CertificateModel

/// Servers send the same chain on every connection; parse each distinct
/// certificate once and share the result (and its bytes) between handshakes.
final class CertificateCache {
    private var parsed: [[UInt8]: CertificateParseResult] = [:]
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    func parse(_ der: [UInt8]) -> CertificateParseResult {
        if let known = parsed[der] { return known }
        let result = CertificateParse.parse(der)
        // A capture full of distinct certificates must not grow memory without bound.
        if parsed.count >= capacity { parsed.removeAll(keepingCapacity: true) }
        parsed[der] = result
        return result
    }
}
