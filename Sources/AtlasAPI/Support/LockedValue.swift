#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A value guarded by a lock, for the state that threads and tasks share: libcurl's threads and Swift
/// tasks here, and every other module's (in place of Synchronization's `Mutex`).
///
/// Used where an actor would force an `await` into a C callback or a blocking worker thread. It is a
/// pthread mutex rather than a `Mutex` because ThreadSanitizer can follow it: on Linux a contended
/// `Mutex` is handed from one holder to the next by the kernel (a priority-inheritance futex, waited
/// on inside the uninstrumented standard library), so ThreadSanitizer sees no order between the two
/// holders and reports a race on whatever the lock guards. It intercepts `pthread_mutex_lock` and
/// `pthread_mutex_unlock`, so `make test-sanitizers` reports only races that are real.
public final class LockedValue<Value> {
    private let lock = PosixLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, the lock held.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure)
        -> Result
    {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    public var current: Value { withLock { $0 } }
}

extension LockedValue: @unchecked Sendable where Value: Sendable {}
