import CCurl

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A libcurl share object for the DNS cache and TLS sessions of every easy handle of one client.
///
/// A new connection (a second handle, or one after the server closed the old) then skips the DNS
/// look-up and resumes the TLS session instead of a full handshake. libcurl calls the lock callbacks
/// from whichever worker thread is using the share, so each kind of data gets its own lock, as
/// CURLSHOPT_LOCKFUNC requires. Connections themselves are not put in the share: libcurl documents
/// connection sharing as unsupported between concurrent threads; each pooled handle keeps its own
/// connection alive instead (see ``EasyHandlePool``).
final class CurlShare: @unchecked Sendable {
    /// The `CURLSH *` handed to `CURLOPT_SHARE` (libcurl's public headers make it a `void *`).
    let rawHandle: UnsafeMutableRawPointer?
    /// One lock per `curl_lock_data` value, indexed by its raw value.
    fileprivate let locks: [PosixLock]

    init() {
        _ = CurlGlobal.ensureInitialised()
        locks = (0..<Int(CURL_LOCK_DATA_LAST.rawValue)).map { _ in PosixLock() }
        rawHandle = curl_share_init()
        guard let handle = rawHandle else { return }
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = atlas_curl_share_setopt_pointer(handle, CURLSHOPT_USERDATA, me)
        _ = atlas_curl_share_setopt_lock_function(handle) { _, data, _, userData in
            guard let userData else { return }
            let share = Unmanaged<CurlShare>.fromOpaque(userData).takeUnretainedValue()
            share.locks[Int(data.rawValue)].lock()
        }
        _ = atlas_curl_share_setopt_unlock_function(handle) { _, data, userData in
            guard let userData else { return }
            let share = Unmanaged<CurlShare>.fromOpaque(userData).takeUnretainedValue()
            share.locks[Int(data.rawValue)].unlock()
        }
        _ = atlas_curl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        _ = atlas_curl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
    }

    deinit {
        // Only reached after every easy handle using the share has been cleaned up (the pool owns both
        // and releases the handles first), which curl_share_cleanup requires.
        if let rawHandle { curl_share_cleanup(rawHandle) }
    }
}
