#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs blocking libcurl transfers on a few dedicated threads and hands the results to async callers.
///
/// `curl_easy_perform` blocks its thread for the whole transfer, so it must not run on Swift's
/// cooperative pool (a handful of slow requests would starve every other task). The pool owns
/// `threadCount` worker threads and as many easy handles; a worker takes the next request and the
/// most recently used idle handle (last in, first out), so back-to-back calls land on the handle
/// whose connection is still open and whose Digest nonce is still fresh. Cancelling the awaiting
/// task aborts the transfer through its ``TransferControl``, or drops it if it is still queued.
final class TransferPool: @unchecked Sendable {
    private struct Job {
        let request: HTTPRequest
        let control: TransferControl
        let complete: @Sendable (Result<HTTPResponse, TransportFailure>) -> Void
    }

    private let condition = PosixCondition()
    // Guarded by `condition`.
    private var queue: [Job] = []
    private var idleHandles: [EasyHandle] = []
    private var stopping = false
    private var running = 0
    private var maxRunning = 0
    private var opened = 0

    let threadCount: Int

    init(threadCount: Int, settings: TransportSettings) {
        self.threadCount = max(1, threadCount)
        let share = CurlShare()
        idleHandles = (0..<self.threadCount).compactMap { _ in EasyHandle(share: share, settings: settings) }
        for _ in 0..<self.threadCount {
            PosixThread.detach { [self] in workerLoop() }
        }
    }

    /// The most transfers that were ever running at once (tests check the concurrency bound with it).
    var peakConcurrentTransfers: Int {
        condition.lock()
        defer { condition.unlock() }
        return maxRunning
    }

    /// TCP connections libcurl opened for this pool's transfers (each a TLS handshake over https).
    var connectionsOpened: Int {
        condition.lock()
        defer { condition.unlock() }
        return opened
    }

    /// Transfers running right now.
    var runningTransfers: Int {
        condition.lock()
        defer { condition.unlock() }
        return running
    }

    /// Performs `request` on a worker thread; throws ``TransportFailure``.
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let control = TransferControl()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                let job = Job(request: request, control: control) { result in
                    continuation.resume(with: result.mapError { $0 as Error })
                }
                condition.lock()
                if stopping || control.isCancelled {
                    condition.unlock()
                    job.complete(.failure(.cancelled))
                    return
                }
                queue.append(job)
                condition.signal()
                condition.unlock()
            }
        } onCancel: {
            control.cancel()
            dropQueued(control)
        }
    }

    /// Stops the workers once their current transfers end; queued requests fail as cancelled.
    func shutdown() {
        condition.lock()
        stopping = true
        let dropped = queue
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
        for job in dropped { job.complete(.failure(.cancelled)) }
    }

    /// A request cancelled before a worker took it is answered at once instead of waiting for a thread.
    private func dropQueued(_ control: TransferControl) {
        condition.lock()
        let index = queue.firstIndex { $0.control === control }
        let job = index.map { queue.remove(at: $0) }
        condition.unlock()
        job?.complete(.failure(.cancelled))
    }

    private func workerLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            let handle = idleHandles.popLast()
            running += 1
            maxRunning = max(maxRunning, running)
            condition.unlock()

            let result: Result<HTTPResponse, TransportFailure>
            if let handle {
                result = handle.perform(job.request, control: job.control)
            } else {
                result = .failure(.curl(code: 27, message: "libcurl could not allocate a handle"))
            }

            condition.lock()
            running -= 1
            if case .success(let response) = result { opened += response.newConnections }
            if let handle { idleHandles.append(handle) }
            condition.unlock()
            job.complete(result)
        }
    }
}
