import CCurl

#if canImport(Glibc)
    import Glibc
#endif

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs every libcurl transfer of one client on a single thread that drives a `curl_multi` handle,
/// and hands the results to async callers.
///
/// libcurl's multi interface performs many transfers at once without a thread each, and lets them
/// share connections: over HTTP/2 every concurrent request is a stream of one connection (one TCP
/// and TLS handshake per client instead of one per thread), over HTTP/1.1 at most
/// `maxHostConnections` kept-alive connections serve them. The transfer thread owns the multi
/// handle and every easy handle; requests reach it through a lock-protected queue and
/// `curl_multi_wakeup`, and completions resume the awaiting continuations. Digest requests answer
/// one challenge shared by the whole pool (``DigestSession``); while the first one fetches it, the
/// other Digest requests stay queued. Cancelling the awaiting task removes its transfer from the multi handle, or drops it if it
/// is still queued.
final class TransferPool: @unchecked Sendable {
    fileprivate struct Job {
        let request: HTTPRequest
        let control: TransferControl
        let complete: @Sendable (Result<HTTPResponse, TransportFailure>) -> Void
    }

    /// Transfers in progress at once; more wait in the queue, in order.
    let maxConcurrentTransfers: Int
    /// Threads that perform transfers: the one driving the multi handle.
    let transferThreads = 1

    fileprivate let settings: TransportSettings
    /// The `CURLM *`; only `curl_multi_wakeup` is called on it from other threads, under `lock`.
    fileprivate let multi: UnsafeMutableRawPointer?

    private let lock = PosixLock()
    // Guarded by `lock`.
    private var submitted: [Job] = []
    private var cancelledWhileQueued = false
    private var stopping = false
    private var multiAlive: Bool
    private var running = 0
    private var maxRunning = 0
    private var opened = 0

    /// Signalled when the transfer thread has left libcurl for good; guards `threadRunning`.
    private let threadEnd = PosixCondition()
    private var threadRunning = false
    /// The transfer thread, so that a shutdown it causes itself does not wait for itself.
    private let threadID = LockedValue<pthread_t?>(nil)

    /// Every pool whose thread may still run, for ``finishAll()`` at process exit.
    private static let live = LockedValue<[ObjectIdentifier: WeakPool]>([:])
    private struct WeakPool: @unchecked Sendable { weak var pool: TransferPool? }

    init(maxConcurrentTransfers: Int, maxHostConnections: Int, settings: TransportSettings) {
        self.maxConcurrentTransfers = max(1, maxConcurrentTransfers)
        self.settings = settings
        _ = CurlGlobal.ensureInitialised()
        multi = curl_multi_init()
        multiAlive = multi != nil
        if let multi {
            // HTTP/2 streams share one connection; without HTTP/2 `maxHostConnections` to the host at
            // most, the rest of the transfers waiting inside libcurl for one to be free.
            _ = atlas_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, atlas_curlpipe_multiplex())
            _ = atlas_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, maxHostConnections))
            threadRunning = true
            Self.live.withLock { $0[ObjectIdentifier(self)] = WeakPool(pool: self) }
            let started = PosixThread.detach { [self] in
                threadID.withLock { $0 = pthread_self() }
                runLoop()
                threadEnd.lock()
                threadRunning = false
                threadEnd.broadcast()
                threadEnd.unlock()
            }
            if !started { threadRunning = false }
        }
    }

    deinit {
        Self.live.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(self)) }
    }

    /// The loop, in a call of its own so that it and its handles, share and connections are gone when
    /// the call returns.
    private func runLoop() { TransferLoop(pool: self).run() }

    /// The most transfers that were ever running at once (tests check the concurrency bound with it).
    var peakConcurrentTransfers: Int { lock.withLock { maxRunning } }

    /// TCP connections libcurl opened for this pool's transfers (each a TLS handshake over https).
    var connectionsOpened: Int { lock.withLock { opened } }

    /// Whether the transfer thread has yet to leave libcurl for good.
    var transferThreadRunning: Bool {
        threadEnd.lock()
        defer { threadEnd.unlock() }
        return threadRunning
    }

    /// Transfers running right now.
    var runningTransfers: Int { lock.withLock { running } }

    /// Performs `request` on the transfer thread; throws ``TransportFailure``.
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let control = TransferControl()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                let job = Job(request: request, control: control) { result in
                    continuation.resume(with: result.mapError { $0 as Error })
                }
                guard multi != nil else {
                    job.complete(.failure(.curl(code: 2, message: "libcurl could not allocate a multi handle")))
                    return
                }
                lock.lock()
                if stopping || control.isCancelled {
                    lock.unlock()
                    job.complete(.failure(.cancelled))
                    return
                }
                submitted.append(job)
                wakeLocked()
                lock.unlock()
            }
        } onCancel: {
            control.cancel()
            lock.withLock {
                cancelledWhileQueued = true
                wakeLocked()
            }
        }
    }

    /// Stops the transfer thread: transfers in progress and queued requests fail as cancelled. Waits
    /// (up to `patience` seconds) until the thread has closed its connections and left libcurl: a
    /// process that exits while the thread is still inside OpenSSL races OpenSSL's own exit handler,
    /// which frees the locks the thread is using (`list` crashed in `pthread_rwlock_rdlock` once in
    /// about a hundred runs, after writing its output). The thread itself does not wait for itself.
    func shutdown(patience: Double = 2) {
        lock.lock()
        stopping = true
        let dropped = submitted
        submitted.removeAll()
        wakeLocked()
        lock.unlock()
        for job in dropped { job.complete(.failure(.cancelled)) }
        if let thread = threadID.current, pthread_equal(thread, pthread_self()) != 0 { return }
        threadEnd.lock()
        defer { threadEnd.unlock() }
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        deadline.tv_sec += Int(patience)
        deadline.tv_nsec += Int((patience - patience.rounded(.down)) * 1e9)
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_sec += 1
            deadline.tv_nsec -= 1_000_000_000
        }
        while threadRunning {
            if threadEnd.wait(until: deadline) == ETIMEDOUT { return }
        }
    }

    /// Stops every pool's transfer thread and waits for each, before the process exits (see
    /// ``shutdown(patience:)``): a client still referenced at exit never ran its deinit.
    static func finishAll() {
        let pools = live.withLock { $0.values.compactMap(\.pool) }
        for pool in pools { pool.shutdown() }
    }

    /// Interrupts `curl_multi_poll` so the thread sees new requests, cancellations or the shutdown.
    private func wakeLocked() {
        if multiAlive, let multi { _ = curl_multi_wakeup(multi) }
    }

    // MARK: The transfer thread's side

    /// New requests, whether a cancellation needs looking at, and whether to stop.
    fileprivate func takeSubmitted() -> (jobs: [Job], cancellation: Bool, stop: Bool) {
        lock.withLock {
            let jobs = submitted
            submitted.removeAll()
            let cancellation = cancelledWhileQueued
            cancelledWhileQueued = false
            return (jobs, cancellation, stopping)
        }
    }

    fileprivate func noteRunning(_ count: Int) {
        lock.withLock {
            running = count
            maxRunning = max(maxRunning, count)
        }
    }

    fileprivate func noteConnections(_ count: Int) {
        lock.withLock { opened += count }
    }

    /// Called by the thread just before it frees the multi handle: no wakeup may reach it after.
    fileprivate func retireMulti() {
        lock.withLock { multiAlive = false }
    }
}

/// The transfer thread's state: the multi handle's transfers and the idle easy handles. Made and
/// used on that thread only.
private final class TransferLoop {
    private struct Active {
        let handle: EasyHandle
        let job: TransferPool.Job
    }

    private let pool: TransferPool
    private let multi: UnsafeMutableRawPointer
    private let share = CurlShare()
    private let digestSession: DigestSession
    private var idleHandles: [EasyHandle] = []
    private var waiting: [TransferPool.Job] = []
    private var active: [UnsafeMutableRawPointer: Active] = [:]
    /// Set once a response came over HTTP/2: from then on one connection to the host is enough.
    private var multiplexing = false

    init(pool: TransferPool) {
        self.pool = pool
        // The loop starts only when the multi handle exists.
        multi = pool.multi!
        digestSession = DigestSession(memory: pool.settings.digestMemory)
    }

    func run() {
        while true {
            let (jobs, cancellation, stop) = pool.takeSubmitted()
            if stop { break }
            waiting.append(contentsOf: jobs)
            if cancellation { dropCancelled() }
            startWaiting()
            var stillRunning: Int32 = 0
            _ = curl_multi_perform(multi, &stillRunning)
            let again = collectFinished()
            pool.noteRunning(active.count)
            if again { continue }
            // libcurl shortens the wait to its own next timeout; a wakeup ends it at once.
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        shutDown()
    }

    private func startWaiting() {
        var index = 0
        while active.count < pool.maxConcurrentTransfers, index < waiting.count {
            if case .digest = waiting[index].request.authentication, !digestSession.mayStart {
                // Another request is fetching the challenge this one will answer.
                index += 1
                continue
            }
            let job = waiting.remove(at: index)
            guard
                let handle = idleHandles.popLast()
                    ?? EasyHandle(share: share, settings: pool.settings, digestSession: digestSession)
            else {
                job.complete(.failure(.curl(code: 27, message: "libcurl could not allocate a handle")))
                continue
            }
            guard handle.begin(job.request, control: job.control) else {
                idleHandles.append(handle)
                job.complete(.failure(.cancelled))
                continue
            }
            let added = curl_multi_add_handle(multi, handle.rawHandle)
            guard added == CURLM_OK else {
                handle.abandon()
                idleHandles.append(handle)
                job.complete(
                    .failure(.curl(code: Int(added.rawValue), message: String(cString: curl_multi_strerror(added)))))
                continue
            }
            active[handle.rawHandle] = Active(handle: handle, job: job)
        }
        pool.noteRunning(active.count)
    }

    /// Answers cancelled requests at once: queued ones are dropped, running ones leave the multi handle
    /// (an HTTP/2 stream is reset, an HTTP/1.1 connection closed).
    private func dropCancelled() {
        waiting.removeAll { job in
            guard job.control.isCancelled else { return false }
            job.complete(.failure(.cancelled))
            return true
        }
        for (raw, transfer) in active where transfer.job.control.isCancelled {
            end(raw, transfer, with: .failure(.cancelled))
        }
    }

    /// Hands every finished transfer its outcome; true when the loop should go round again without
    /// sleeping: a handle went back in to answer a Digest challenge (which may also let the requests
    /// waiting for it go), or one was freed for a waiting request.
    private func collectFinished() -> Bool {
        var finishedAny = false
        var readded = false
        var easy: UnsafeMutableRawPointer?
        var code = CURLE_OK
        while atlas_curl_multi_next_done(multi, &easy, &code) != 0 {
            guard let raw = easy, let transfer = active[raw] else { continue }
            _ = curl_multi_remove_handle(multi, raw)
            let result = transfer.handle.finish(code)
            pool.noteConnections(transfer.handle.connectionsOpenedByLastAttempt)
            guard let result else {
                // Set up to go again, answering a Digest challenge.
                if curl_multi_add_handle(multi, raw) == CURLM_OK {
                    readded = true
                } else {
                    end(raw, transfer, with: .failure(.curl(code: 2, message: "libcurl refused the retried transfer")))
                    finishedAny = true
                }
                continue
            }
            active[raw] = nil
            idleHandles.append(transfer.handle)
            if case .success(let response) = result, response.httpVersion == "2" { limitToOneConnection() }
            transfer.job.complete(result)
            finishedAny = true
        }
        return readded || (finishedAny && !waiting.isEmpty)
    }

    /// Once the host multiplexes, a connection it closes (an HTTP/2 GOAWAY) is replaced by one
    /// connection. libcurl's PIPEWAIT only waits while it does not yet know whether the host
    /// multiplexes; afterwards every transfer waiting when the connection went would open one of its
    /// own (the sandbox's HTTP/2 server ends a connection after 200 stream errors, and libcurl 7.88
    /// causes one per request: eight transfers then opened eight connections at once).
    private func limitToOneConnection() {
        guard !multiplexing else { return }
        multiplexing = true
        _ = atlas_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1)
    }

    private func end(
        _ raw: UnsafeMutableRawPointer, _ transfer: Active, with result: Result<HTTPResponse, TransportFailure>
    ) {
        _ = curl_multi_remove_handle(multi, raw)
        transfer.handle.abandon()
        active[raw] = nil
        idleHandles.append(transfer.handle)
        transfer.job.complete(result)
    }

    /// Fails what is left, then frees the handles in the order libcurl requires: easy handles out of
    /// the multi handle, the multi handle, the easy handles, and the share after them (``CurlShare``).
    private func shutDown() {
        for job in waiting { job.complete(.failure(.cancelled)) }
        waiting.removeAll()
        for (raw, transfer) in active { end(raw, transfer, with: .failure(.cancelled)) }
        pool.noteRunning(0)
        pool.retireMulti()
        _ = curl_multi_cleanup(multi)
        idleHandles.removeAll()
    }
}
