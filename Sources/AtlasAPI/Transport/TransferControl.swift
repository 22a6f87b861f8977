#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The cancel switch of one transfer, set by the cancelled task and read on the transfer thread.
///
/// The transfer thread, woken by the cancellation, removes a cancelled transfer from the multi
/// handle; libcurl's progress callback (CURLOPT_XFERINFOFUNCTION) also returns non-zero once this
/// flag is set, so a transfer aborts with CURLE_ABORTED_BY_CALLBACK even between wakeups.
final class TransferControl: @unchecked Sendable {
    private let lock = PosixLock()
    private var cancelled = false

    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
