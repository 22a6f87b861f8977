import CCurl

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A libcurl share object for the DNS cache and TLS sessions of every easy handle of one client.
///
/// A new connection (a second handle, or one after the server closed the old) then skips the DNS
/// look-up and resumes the TLS session instead of a full handshake. Only the transfer thread uses the
/// share today, but libcurl wants the lock callbacks set before a share is used, so each kind of
/// data gets its own lock as CURLSHOPT_LOCKFUNC requires. Connections are not put in the share: the
/// multi handle of ``TransferPool`` already holds them for every easy handle it drives.
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
        // Only reached after every easy handle using the share has been cleaned up (each handle keeps
        // the share alive), which curl_share_cleanup requires.
        if let rawHandle { curl_share_cleanup(rawHandle) }
    }
}
