/// Bounds how many writes are out at once: `acquire` waits while `limit` are held.
actor AsyncSemaphore {
    private let limit: Int
    private var held = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = max(1, limit) }

    func acquire() async {
        if held < limit {
            held += 1
            return
        }
        // The releaser hands its slot straight to the first waiter, so `held` stays counted.
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            held -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

}
