/// A `--device` entry wirecheck refuses: a silently ignored typo would make a real
/// leak look absent, so every bad key or value is an error naming it.
public struct DeviceFileError: Error, Sendable, CustomStringConvertible {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "device identifier '\(key)': \(message)" }
}
