import CCurl
import CNcursesw

/// What `atlas-roles --version` reports: the version this binary was built as, and the C libraries the
/// loader found on this host, since the same binary runs against whatever libcurl and ncurses it finds.
public enum BuildInfo {
    /// `git describe` at build time, or the VERSION file outside git (see scripts/version.sh).
    public static let version = BuildStamp.version

    /// Three lines: `atlas-roles 0.1.0`, `libcurl 7.88.1 (OpenSSL/3.0.17)`, `ncurses 6.4.20221231`.
    public static var versionReport: String {
        "atlas-roles \(version)\n\(libcurlVersion)\n\(ncursesVersion)"
    }

    /// The loaded libcurl and the TLS library it was built with, which decides the certificates and
    /// ciphers it accepts.
    static var libcurlVersion: String {
        // CURLVERSION_NOW is a macro Swift does not import; the two fields read here exist since the first age.
        guard let info = curl_version_info(CURLVERSION_FIRST)?.pointee, let version = info.version else {
            return "libcurl (version unknown)"
        }
        let tls = info.ssl_version.map { " (\(String(cString: $0)))" } ?? ""
        return "libcurl \(String(cString: version))\(tls)"
    }

    /// `ncurses 6.4.20221231`, as the loaded library names itself.
    static var ncursesVersion: String {
        guard let version = curses_version() else { return "ncurses (version unknown)" }
        return String(cString: version)
    }
}
