#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

// The three thread primitives the transport needs, on pthreads. Foundation's NSLock, NSCondition and
// Thread would do, but they live in full Foundation, whose link brings in ICU's data (about 40 MB of
// a static binary); this module needs nothing else from it. Synchronization's Mutex cannot serve:
// libcurl locks and unlocks a share's data from two separate callbacks, and nothing there waits on
// a condition.

/// A mutual-exclusion lock whose `lock()` and `unlock()` may be called from separate places.
final class PosixLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() {
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock()
        defer { unlock() }
        return try body()
    }
}

/// A lock with a condition variable, used like NSCondition: `wait()` is called with the lock held.
final class PosixCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Releases the lock until signalled, then holds it again; callers re-check their predicate.
    func wait() { pthread_cond_wait(condition, mutex) }
    /// As `wait()`, but returns ETIMEDOUT once `deadline` (CLOCK_REALTIME) has passed.
    func wait(until deadline: timespec) -> Int32 {
        var deadline = deadline
        return pthread_cond_timedwait(condition, mutex, &deadline)
    }
    func signal() { pthread_cond_signal(condition) }
    func broadcast() { pthread_cond_broadcast(condition) }
}

/// Detached threads that run one closure each, for work that blocks (a whole libcurl transfer).
enum PosixThread {
    /// Starts `body` on a new thread; false if the system refused another thread.
    @discardableResult
    static func detach(_ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(ThreadStart(body: body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { argument in
                guard let argument else { return nil }
                let start = Unmanaged<ThreadStart>.fromOpaque(argument).takeRetainedValue()
                start.body()
                return nil
            }, box)
        guard started == 0 else {
            Unmanaged<ThreadStart>.fromOpaque(box).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    private final class ThreadStart {
        let body: @Sendable () -> Void

        init(body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
