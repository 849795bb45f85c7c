/// Which side of the connection a byte stream comes from. The parser needs it
/// because the two directions speak different grammars: the client direction
/// carries requests, the server direction carries responses.
public enum HTTPRole: Sendable, Equatable {
    case client
    case server
}
