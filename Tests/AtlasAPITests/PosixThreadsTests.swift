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
    }

    @Test func detachedThreadsAllRunAndTheLockKeepsTheirIncrementsWhole() {
        let tally = Tally()
        let threads = 8
        let increments = 10_000
        for _ in 0..<threads {
            let started = PosixThread.detach {
                for _ in 0..<increments {
                    tally.condition.lock()
                    tally.count += 1
                    tally.condition.unlock()
                }
                tally.condition.lock()
                tally.finished += 1
                tally.condition.broadcast()
                tally.condition.unlock()
            }
            #expect(started)
        }
        tally.condition.lock()
        while tally.finished < threads { tally.condition.wait() }
        let count = tally.count
        tally.condition.unlock()
        #expect(count == threads * increments)
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
