/// An alert record's two bytes.
public struct AlertMessage: Sendable, Hashable {
    public var level: UInt8 = 0
    public var description = AlertDescription(rawValue: 0)

    public init() {}

    /// Level 2. (In TLS 1.3 every alert but close_notify and user_canceled
    /// ends the connection whatever its level, RFC 8446 §6.2.)
    public var isFatal: Bool { level == 2 }

    /// close_notify (0).
    public var isCloseNotify: Bool { description.rawValue == 0 }
}
