#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The cancel switch of one transfer, read by libcurl's progress callback on the worker thread.
///
/// Cancelling a Swift task cannot interrupt a blocking `curl_easy_perform`; the progress callback
/// (CURLOPT_XFERINFOFUNCTION), which libcurl calls at least once a second and whenever data moves,
/// returns non-zero once this flag is set, and libcurl aborts with CURLE_ABORTED_BY_CALLBACK.
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
