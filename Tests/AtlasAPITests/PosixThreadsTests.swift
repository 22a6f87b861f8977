import Testing

@testable import AtlasAPI

/// The pthread primitives behind the transfer pool: every thread runs, the lock excludes, the
/// condition wakes its waiter.
@Suite struct PosixThreadsTests {
    /// Shared by the threads of one test: a count and how many threads finished, under the condition.
    final class Tally: @unchecked Sendable {
        let condition = PosixCondition()
        var count = 0
        var finished = 0

        /// Runs `body(index)` on `threads` detached threads and returns once every one has finished.
        func runOnThreads(_ threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
            for index in 0..<threads {
                let started = PosixThread.detach {
                    body(index)
                    self.condition.lock()
                    self.finished += 1
                    self.condition.broadcast()
                    self.condition.unlock()
                }
                #expect(started)
            }
            condition.lock()
            while finished < threads { condition.wait() }
            condition.unlock()
        }
    }

    @Test func detachedThreadsAllRunAndTheLockKeepsTheirIncrementsWhole() {
        let tally = Tally()
        let threads = 8
        let increments = 10_000
        tally.runOnThreads(threads) { _ in
            for _ in 0..<increments {
                tally.condition.lock()
                tally.count += 1
                tally.condition.unlock()
            }
        }
        tally.condition.lock()
        let count = tally.count
        tally.condition.unlock()
        #expect(count == threads * increments)
    }

    /// Contended on purpose (eight threads, a dictionary rewritten under the lock): every write lands,
    /// and under ThreadSanitizer (`make test-sanitizers`) the run stays clean, which it does not with
    /// Synchronization's `Mutex`, whose contended hand-over ThreadSanitizer cannot see.
    @Test func aContendedLockedValueKeepsEveryWriteAndItsOrderIsSeen() {
        let tally = Tally()
        let shared = LockedValue([Int: Int]())
        let threads = 8
        let writes = 5_000
        tally.runOnThreads(threads) { thread in
            for write in 0..<writes {
                shared.withLock { $0[thread * writes + write] = thread }
            }
        }
        let written = shared.current
        #expect(written.count == threads * writes)
        #expect((0..<threads).allSatisfy { thread in written.values.filter { $0 == thread }.count == writes })
    }

    @Test func aLockTakenInOneCallIsReleasedInAnother() {
        // libcurl's share locks and unlocks from separate callbacks; withLock is the scoped form.
        let lock = PosixLock()
        var value = 0
        lock.lock()
        value += 1
        lock.unlock()
        lock.withLock { value += 1 }
        #expect(value == 2)
        let locked = LockedValue([Int]())
        locked.withLock { $0.append(3) }
        #expect(locked.current == [3])
    }
}
