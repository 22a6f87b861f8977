/// A draft or journal file could not be read or written: the path's operation and the system's reason.
public struct PersistenceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var reason: String

    public init(operation: String, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var description: String { "could not \(operation) \(path): \(reason)" }
}
