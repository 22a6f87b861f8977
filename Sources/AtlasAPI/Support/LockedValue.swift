#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value guarded by a lock, for the few pieces of state that libcurl's threads and Swift tasks share.
///
/// Used where an actor would force an `await` into a C callback or a blocking worker thread.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = PosixLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value { withLock { $0 } }
}
