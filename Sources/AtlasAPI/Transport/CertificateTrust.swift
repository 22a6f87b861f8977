#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Which certificate authorities verify the server: libcurl's own store unless told otherwise.
///
/// Read as the Atlas CLI (Go) reads its environment, so one setting serves both tools behind a
/// TLS-inspecting proxy:
/// - `SSL_CERT_FILE` (or curl's `CURL_CA_BUNDLE`) names a PEM file of CA certificates. It replaces
///   libcurl's CA *file*, as it replaces Go's; libcurl's CA *directory* (`/etc/ssl/certs` on Debian
///   and Ubuntu, the same hashed store Go reads) stays, so a file holding only the proxy's CA adds
///   that CA to the public ones instead of replacing them.
/// - `SSL_CERT_DIR` names a directory of hashed certificates (`openssl rehash`), or several
///   separated by `:`; it replaces libcurl's directory.
///
/// Verification itself is never turned off.
public struct CertificateTrust: Equatable, Sendable {
    /// Handed to `CURLOPT_CAINFO`; nil keeps libcurl's built-in bundle.
    public var caFile: String?
    /// Handed to `CURLOPT_CAPATH`; nil keeps libcurl's built-in directory.
    public var caDirectory: String?

    public init(caFile: String? = nil, caDirectory: String? = nil) {
        self.caFile = caFile
        self.caDirectory = caDirectory
    }

    /// libcurl's own store: neither file nor directory named.
    public static let system = CertificateTrust()

    /// The trust the environment asks for; `SSL_CERT_FILE` wins over `CURL_CA_BUNDLE`.
    public static func environment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> CertificateTrust
    {
        CertificateTrust(
            caFile: environment.firstSetValue(["SSL_CERT_FILE", "CURL_CA_BUNDLE"]),
            caDirectory: environment.firstSetValue(["SSL_CERT_DIR"]))
    }
}
