import CCurl

/// Process-wide libcurl initialisation, done exactly once before the first handle is made.
///
/// `curl_global_init` is not thread-safe in libcurl 7.88 unless the build says so; a Swift global is
/// initialised lazily under `swift_once`, which makes the single call safe whichever thread gets here first.
enum CurlGlobal {
    private static let initialised: Bool = curl_global_init(atlas_curl_global_all()) == CURLE_OK

    /// Ensures libcurl is initialised; false if it could not be (no TLS backend, out of memory).
    static func ensureInitialised() -> Bool { initialised }

    /// The version of the libcurl this process loaded, for diagnostics.
    static var libcurlVersion: String { String(cString: atlas_curl_version_string()) }

    /// Whether this libcurl was built with HTTP/2 (nghttp2).
    static var supportsHTTP2: Bool { atlas_curl_supports_http2() != 0 }
}
