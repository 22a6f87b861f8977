import CCurl

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Settings every transfer of one client shares (TLS, HTTP version, User-Agent).
struct TransportSettings: Sendable {
    var userAgent: String
    /// The CAs servers are verified with; TLS is verified either way.
    var trust: CertificateTrust = .system
    var proxy: ProxySettings = .direct
    /// Ask for HTTP/2 over TLS when the server offers it (ALPN); plain http stays HTTP/1.1.
    var preferHTTP2: Bool = true
    /// Where the Digest challenge is kept between runs (API keys with a cache directory only).
    var digestMemory: DigestNonceMemory?
}

/// One reusable libcurl easy handle, driven by the transfer thread's multi handle.
///
/// A handle is reused for many transfers (connections belong to the multi handle and are shared by
/// every handle), so every option that differs per request is set explicitly on every transfer.
/// Digest is answered here, not by libcurl: libcurl keeps a nonce per easy handle, so each handle's
/// first request was challenged, and it cannot answer a server that refuses a reused nonce. The
/// client's one ``DigestSession`` signs every request up front instead. Only the transfer thread
/// touches a handle.
final class EasyHandle {
    /// The request in flight on this handle, with where its response goes.
    private struct Transfer {
        let request: HTTPRequest
        let control: TransferControl
        var sink: ResponseSink
        /// How this attempt answers Digest; nil for other authentication.
        var digest: DigestAttempt?
        /// True until the one answer to a fresh Digest challenge has been spent.
        var mayAnswerChallenge = false
        /// True once a refused answer was followed by a second one (a replay, see
        /// ``DigestSession/mayAnswerAgain(after:)``); never a third.
        var answeredAgain = false
    }

    private let handle: UnsafeMutableRawPointer
    /// Connections libcurl opened for the attempt `finish` last reported, whatever its outcome (a
    /// transfer that failed, or fetched a Digest challenge, may have opened one too).
    private(set) var connectionsOpenedByLastAttempt = 0
    /// Kept alive as long as the handle: libcurl requires the share to outlive every handle using it.
    private let share: CurlShare
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let settings: TransportSettings
    /// The client's Digest state, shared by every handle of the transfer thread.
    private let digestSession: DigestSession
    private var current: Transfer?
    /// The request's header lines, freed once its transfer is over.
    private var headerList: UnsafeMutablePointer<curl_slist>?

    /// Nil when libcurl could not allocate a handle.
    init?(share: CurlShare, settings: TransportSettings, digestSession: DigestSession) {
        guard CurlGlobal.ensureInitialised(), let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.share = share
        self.settings = settings
        self.digestSession = digestSession
        let size = Int(atlas_curl_error_size())
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        configure()
    }

    /// Every option that stays the same across transfers.
    private func configure() {
        let settings = self.settings
        // Worker threads must not get SIGALRM from libcurl's DNS timeouts.
        setLong(CURLOPT_NOSIGNAL, 1)
        _ = atlas_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        if let shared = share.rawHandle { _ = atlas_curl_setopt_share(handle, shared) }
        _ = atlas_curl_setopt_string(handle, CURLOPT_USERAGENT, settings.userAgent)
        _ = atlas_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        // Redirects are not followed: credentials must never travel to a host the user did not name.
        setLong(CURLOPT_FOLLOWLOCATION, 0)
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        // An empty proxy goes direct: libcurl must not pick one from the environment behind the
        // configuration's back.
        _ = atlas_curl_setopt_string(handle, CURLOPT_PROXY, settings.proxy.proxy ?? "")
        if let noProxy = settings.proxy.noProxy { _ = atlas_curl_setopt_string(handle, CURLOPT_NOPROXY, noProxy) }
        // Each is set only when named, so the other keeps libcurl's built-in default.
        if let caFile = settings.trust.caFile { _ = atlas_curl_setopt_string(handle, CURLOPT_CAINFO, caFile) }
        if let caDirectory = settings.trust.caDirectory {
            _ = atlas_curl_setopt_string(handle, CURLOPT_CAPATH, caDirectory)
        }
        setLong(
            CURLOPT_HTTP_VERSION,
            settings.preferHTTP2 && CurlGlobal.supportsHTTP2
                ? atlas_curl_http_version_2tls() : atlas_curl_http_version_1_1())
        setLong(CURLOPT_TCP_KEEPALIVE, 1)
        // Requests started while the first connection is still being made wait for it to say whether
        // it multiplexes (HTTP/2) instead of opening connections of their own.
        if settings.preferHTTP2 { setLong(CURLOPT_PIPEWAIT, 1) }
        // An empty string offers every encoding this libcurl can decode (gzip, br, zstd).
        _ = atlas_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        // A body that announces its size is refused before it arrives; one that does not, or that
        // inflates, is cut by the write callback.
        _ = atlas_curl_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(ResponseSink.maximumBodyBytes))
        // Progress callbacks are off by default; they are how a cancelled task aborts its transfer.
        setLong(CURLOPT_NOPROGRESS, 0)
        _ = atlas_curl_setopt_write_function(handle) { data, size, count, userData in
            let bytes = size * count
            guard let userData else { return 0 }
            let sink = Unmanaged<ResponseSink>.fromOpaque(userData).takeUnretainedValue()
            if let data, bytes > 0 {
                // Counted after decoding: a small gzip body that inflates to gigabytes stops here too.
                guard sink.body.count + bytes <= ResponseSink.maximumBodyBytes else {
                    sink.exceededLimit = true
                    return 0  // libcurl aborts the transfer (CURLE_WRITE_ERROR)
                }
                sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: bytes)
            }
            return bytes
        }
        _ = atlas_curl_setopt_header_function(handle) { data, size, count, userData in
            let bytes = size * count
            guard let userData, let data else { return bytes }
            let sink = Unmanaged<ResponseSink>.fromOpaque(userData).takeUnretainedValue()
            sink.headerBytes += bytes
            guard sink.headerBytes <= ResponseSink.maximumHeaderBytes else {
                sink.exceededLimit = true
                return 0
            }
            let buffer = UnsafeRawBufferPointer(start: data, count: bytes)
            sink.receiveHeaderLine(String(decoding: buffer, as: UTF8.self))
            return bytes
        }
        _ = atlas_curl_setopt_xferinfo_function(handle) { userData, _, _, _, _ in
            guard let userData else { return 0 }
            let sink = Unmanaged<ResponseSink>.fromOpaque(userData).takeUnretainedValue()
            return sink.control.isCancelled ? 1 : 0
        }
    }

    deinit {
        curl_slist_free_all(headerList)
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// The `CURL *` the multi handle drives.
    var rawHandle: UnsafeMutableRawPointer { handle }

    /// Sets `request` up for the multi handle to perform; false when its task was already cancelled.
    func begin(_ request: HTTPRequest, control: TransferControl) -> Bool {
        if control.isCancelled { return false }
        var transfer = Transfer(request: request, control: control, sink: ResponseSink(control: control))
        if case .digest = request.authentication {
            transfer.digest = digestSession.nextAttempt()
            transfer.mayAnswerChallenge = true
        }
        current = transfer
        prepare()
        return true
    }

    /// The outcome of the transfer the multi handle reported done with `code`, or nil when the handle
    /// has been set up to go again (a Digest challenge to answer) and must be added back.
    func finish(_ code: CURLcode) -> Result<HTTPResponse, TransportFailure>? {
        var connects = 0
        getLong(CURLINFO_NUM_CONNECTS, &connects)
        connectionsOpenedByLastAttempt = connects
        guard var transfer = current else { return .failure(.cancelled) }
        let result = outcome(code, sink: transfer.sink, control: transfer.control)
        // The handle outlives this request: drop pointers into memory that is about to be freed.
        releaseRequestMemory()
        // A Digest request answered 401 with a challenge goes once more answering it: the first
        // request of a run fetched the challenge, or the server refused the nonce (stale, or reused
        // where it allows none). Wrong credentials are refused again and come back as the 401 they are.
        guard let attempt = transfer.digest, case .success(let response) = result, response.status == 401,
            transfer.mayAnswerChallenge
                || (!transfer.answeredAgain && digestSession.mayAnswerAgain(after: attempt)),
            let challenge = DigestChallenge.strongest(in: response)
        else {
            if case .probe = transfer.digest {
                digestSession.probeEnded(answered: (try? result.get()) != nil)
            } else if let attempt = transfer.digest, case .success(let response) = result, response.status != 401 {
                digestSession.accepted(attempt)
            }
            current = nil
            return result
        }
        if transfer.control.isCancelled {
            // The caller left while the challenge was on its way: that is a cancellation, not the 401
            // of a handshake half done (and a probe's challenge goes unanswered, so the next request
            // fetches its own).
            if case .probe = attempt { digestSession.probeEnded(answered: false) }
            current = nil
            return .failure(.cancelled)
        }
        if !transfer.mayAnswerChallenge { transfer.answeredAgain = true }
        transfer.digest = digestSession.answer(challenge, refused: attempt)
        transfer.mayAnswerChallenge = false
        transfer.sink = ResponseSink(control: transfer.control)
        current = transfer
        prepare()
        return nil
    }

    /// Forgets the transfer in progress after the multi handle dropped it (cancelled, or shutting down).
    func abandon() {
        if case .probe = current?.digest { digestSession.probeEnded(answered: false) }
        releaseRequestMemory()
        current = nil
    }

    private func releaseRequestMemory() {
        _ = atlas_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, nil)
        curl_slist_free_all(headerList)
        headerList = nil
    }

    /// Sets every option of the current transfer.
    private func prepare() {
        guard let transfer = current else { return }
        let request = transfer.request
        errorBuffer[0] = 0

        releaseRequestMemory()
        // An empty "Expect:" stops libcurl from waiting for "100 Continue" before sending a body.
        var headers = request.headers + [("Expect", "")]
        switch request.authentication {
        case .none:
            setLong(CURLOPT_HTTPAUTH, atlas_curlauth_none())
            setString(CURLOPT_USERNAME, nil)
            setString(CURLOPT_PASSWORD, nil)
        case .digest(let username, let password):
            setLong(CURLOPT_HTTPAUTH, atlas_curlauth_none())
            setString(CURLOPT_USERNAME, nil)
            setString(CURLOPT_PASSWORD, nil)
            if case .signed(let challenge, let count, _) = transfer.digest {
                // libcrypto refusing the hash leaves the request unsigned: the server's 401 says why.
                if let authorization = challenge.authorization(
                    method: request.method, uri: Self.requestTarget(of: request.url), username: username,
                    password: password, nonceCount: count, cnonce: DigestChallenge.makeClientNonce())
                {
                    headers.append(("Authorization", authorization))
                }
            }
        case .basic(let username, let password):
            setLong(CURLOPT_HTTPAUTH, atlas_curlauth_basic())
            setString(CURLOPT_USERNAME, username)
            setString(CURLOPT_PASSWORD, password)
        case .bearer(let token):
            setLong(CURLOPT_HTTPAUTH, atlas_curlauth_none())
            setString(CURLOPT_USERNAME, nil)
            setString(CURLOPT_PASSWORD, nil)
            headers.append(("Authorization", "Bearer \(token)"))
        }
        for header in headers {
            // "Name:" with nothing after it tells libcurl to drop a header it would add itself.
            let line = header.value.isEmpty ? "\(header.name):" : "\(header.name): \(header.value)"
            headerList = curl_slist_append(headerList, line)
        }
        _ = atlas_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))

        setString(CURLOPT_URL, request.url)
        setLong(CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        setLong(CURLOPT_TIMEOUT_MS, Int(request.totalTimeout * 1000))
        if let body = request.body {
            // COPYPOSTFIELDS copies the bytes, so a retried or challenged request can be sent again;
            // the size goes first so bodies are never cut at a NUL byte.
            _ = atlas_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // A NUL is appended so an empty body still has a valid pointer; the size set above
            // keeps libcurl from sending it.
            (body + [0]).withUnsafeBytes { raw in
                _ = atlas_curl_setopt_string(
                    handle, CURLOPT_COPYPOSTFIELDS, raw.baseAddress?.assumingMemoryBound(to: CChar.self))
            }
            setString(CURLOPT_CUSTOMREQUEST, request.method == "POST" ? nil : request.method)
        } else {
            setLong(CURLOPT_HTTPGET, 1)
            setString(CURLOPT_CUSTOMREQUEST, request.method == "GET" ? nil : request.method)
        }

        let me = Unmanaged.passUnretained(transfer.sink).toOpaque()
        _ = atlas_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = atlas_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        _ = atlas_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, me)
    }

    /// What a finished transfer amounts to: a response, or why there is none.
    private func outcome(_ code: CURLcode, sink: ResponseSink, control: TransferControl)
        -> Result<HTTPResponse, TransportFailure>
    {
        if code == CURLE_ABORTED_BY_CALLBACK && control.isCancelled { return .failure(.cancelled) }
        var connectStatus = 0
        getLong(CURLINFO_HTTP_CONNECTCODE, &connectStatus)
        if code != CURLE_OK && connectStatus >= 400 {
            // The proxy refused the tunnel (407 wants credentials): its answer is the response, so
            // the status reaches the error and its remedy instead of a bare "CONNECT failed".
            return .success(
                HTTPResponse(
                    status: connectStatus, headers: sink.headers, body: sink.body, httpVersion: "1.1"))
        }
        if sink.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(
                .curl(
                    code: Int(code.rawValue),
                    message: "the response was larger than \(ResponseSink.maximumBodyBytes >> 20) MiB (or its headers "
                        + "than \(ResponseSink.maximumHeaderBytes >> 10) KiB); refusing to read more"))
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(.curl(code: Int(code.rawValue), message: message))
        }
        var status = 0
        getLong(CURLINFO_RESPONSE_CODE, &status)
        var version = 0
        getLong(CURLINFO_HTTP_VERSION, &version)
        return .success(
            HTTPResponse(
                status: status, headers: sink.headers, body: sink.body, httpVersion: Self.versionName(version)))
    }

    /// The request target of `url` as libcurl sends it (path and query, `/` when empty): what a
    /// Digest answer's `uri` must be.
    static func requestTarget(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let afterAuthority = url[schemeEnd.upperBound...]
        guard let slash = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let target = afterAuthority[slash...].prefix { $0 != "#" }
        return target.hasPrefix("?") ? "/" + target : String(target)
    }

    private static func versionName(_ version: Int) -> String {
        switch version {
        case CURL_HTTP_VERSION_1_0: "1.0"
        case CURL_HTTP_VERSION_1_1: "1.1"
        case CURL_HTTP_VERSION_2_0: "2"
        case CURL_HTTP_VERSION_3: "3"
        default: "?"
        }
    }

    private func setLong(_ option: CURLoption, _ value: Int) {
        _ = atlas_curl_setopt_long(handle, option, value)
    }

    private func setString(_ option: CURLoption, _ value: String?) {
        _ = atlas_curl_setopt_string(handle, option, value)
    }

    private func getLong(_ info: CURLINFO, _ value: inout Int) {
        _ = atlas_curl_getinfo_long(handle, info, &value)
    }
}

/// Where libcurl's callbacks put one response while it arrives.
private final class ResponseSink {
    /// Far above any answer of the calls this program makes (a page of 500 users is about 0.5 MB),
    /// far below what would exhaust an admin host: what a hostile server can make the client hold.
    static let maximumBodyBytes = 32 << 20
    static let maximumHeaderBytes = 256 << 10

    let control: TransferControl
    var body = Data()
    var headerBytes = 0
    var exceededLimit = false
    var headers: [(name: String, value: String)] = []

    init(control: TransferControl) { self.control = control }

    func receiveHeaderLine(_ line: String) {
        let trimmed = line.trimmingWhitespace()
        // A status line starts a new response: a 100 Continue or a proxy's CONNECT answer come
        // before the final one, whose headers are the ones that count.
        if trimmed.hasPrefix("HTTP/") {
            headers.removeAll()
            body.removeAll()
            headerBytes = line.utf8.count
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].trimmingWhitespace()
        let value = trimmed[trimmed.index(after: colon)...].trimmingWhitespace()
        headers.append((name, value))
    }
}
