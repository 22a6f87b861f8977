import AtlasAPI
import RoleEditor

/// Where the effect runner's results wait for the curses thread: a locked queue plus a wake-up byte.
///
/// `post` is called from any thread (libcurl work finishes on the concurrency pool); the curses
/// thread is blocked in `poll` and wakes on the pipe, then takes everything queued at once.
final class ActionInbox: Sendable {
    private let queue = LockedValue<[Action]>([])
    private let wakeup: WakeupPipe

    init(wakeup: WakeupPipe) { self.wakeup = wakeup }

    func post(_ action: Action) {
        queue.withLock { $0.append(action) }
        wakeup.wake()
    }

    /// Every queued action, oldest first, and an empty queue.
    func takeAll() -> [Action] {
        queue.withLock { queue in
            defer { queue = [] }
            return queue
        }
    }
}
