import TLSModel
import WireBytes

/// Caps on lists read from the wire. The wire lengths already bound every
/// list (nothing is preallocated from a count), these caps bound the work a
/// hostile hello can cause and document what we consider absurd.
enum WireLimits {
    static let maxCipherSuites = 4096
    static let maxExtensions = 512
    static let maxListEntries = 4096
    static let maxALPNProtocols = 256
    static let maxCertificates = 32
    static let maxCertificateBytes = 256 * 1024
    static let maxCertificateAuthorities = 512
}
