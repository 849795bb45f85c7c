/// The handshake message type byte (RFC 8446 §4, RFC 5246 §7.4 and the IANA
/// "TLS HandshakeType" registry).
///
/// ```
/// enum {
///     hello_request_RESERVED(0), client_hello(1), server_hello(2),
///     hello_verify_request_RESERVED(3), new_session_ticket(4),
///     end_of_early_data(5), hello_retry_request_RESERVED(6),
///     encrypted_extensions(8), certificate(11),
///     server_key_exchange_RESERVED(12), certificate_request(13),
///     server_hello_done_RESERVED(14), certificate_verify(15),
///     client_key_exchange_RESERVED(16), finished(20),
///     certificate_url_RESERVED(21), certificate_status_RESERVED(22),
///     supplemental_data_RESERVED(23), key_update(24), message_hash(254),
///     (255)
/// } HandshakeType;
/// ```
/// `compressed_certificate(25)` is RFC 8879. Values outside the enum keep
/// their byte; use `HandshakeType.name(of:)` to print any byte.
public enum HandshakeType: UInt8, Sendable, CaseIterable {
    case helloRequest = 0
    case clientHello = 1
    case serverHello = 2
    case helloVerifyRequest = 3
    case newSessionTicket = 4
    case endOfEarlyData = 5
    case helloRetryRequest = 6
    case encryptedExtensions = 8
    case certificate = 11
    case serverKeyExchange = 12
    case certificateRequest = 13
    case serverHelloDone = 14
    case certificateVerify = 15
    case clientKeyExchange = 16
    case finished = 20
    case certificateURL = 21
    case certificateStatus = 22
    case supplementalData = 23
    case keyUpdate = 24
    case compressedCertificate = 25
    case messageHash = 254

    /// The registry's spelling: `client_hello`, `certificate_request`, …
    public var name: String {
        switch self {
        case .helloRequest: "hello_request"
        case .clientHello: "client_hello"
        case .serverHello: "server_hello"
        case .helloVerifyRequest: "hello_verify_request"
        case .newSessionTicket: "new_session_ticket"
        case .endOfEarlyData: "end_of_early_data"
        case .helloRetryRequest: "hello_retry_request"
        case .encryptedExtensions: "encrypted_extensions"
        case .certificate: "certificate"
        case .serverKeyExchange: "server_key_exchange"
        case .certificateRequest: "certificate_request"
        case .serverHelloDone: "server_hello_done"
        case .certificateVerify: "certificate_verify"
        case .clientKeyExchange: "client_key_exchange"
        case .finished: "finished"
        case .certificateURL: "certificate_url"
        case .certificateStatus: "certificate_status"
        case .supplementalData: "supplemental_data"
        case .keyUpdate: "key_update"
        case .compressedCertificate: "compressed_certificate"
        case .messageHash: "message_hash"
        }
    }

    /// The name of any type byte: the registry name when known, else `unknown-<n>`.
    public static func name(of rawValue: UInt8) -> String {
        HandshakeType(rawValue: rawValue)?.name ?? "unknown-\(rawValue)"
    }
}
