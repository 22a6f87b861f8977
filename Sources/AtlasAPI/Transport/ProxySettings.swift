#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The proxy every call goes through, if any: read from the environment as curl reads it.
///
/// - `https_proxy` or `HTTPS_PROXY` for an https base URL; `http_proxy` (lowercase only, as curl
///   does: the capitalised name is settable by a CGI request's `Proxy:` header) for plain http;
///   then `all_proxy` or `ALL_PROXY` for either.
/// - `no_proxy` or `NO_PROXY`: comma-separated hosts, domains or addresses that go direct (`*`: all).
/// - Credentials go in the proxy URL (`http://user:password@proxy:3128`); a proxy that answers 407
///   gets the remedy ``Remedy/giveProxyCredentials``.
///
/// The values are handed to libcurl explicitly, so the proxy a client uses is the one its
/// configuration shows, whatever the process's environment holds later.
public struct ProxySettings: Equatable, Sendable {
    /// `CURLOPT_PROXY`; nil goes direct.
    public var proxy: String?
    /// `CURLOPT_NOPROXY`.
    public var noProxy: String?

    public init(proxy: String? = nil, noProxy: String? = nil) {
        self.proxy = proxy
        self.noProxy = noProxy
    }

    /// No proxy at all.
    public static let direct = ProxySettings()

    /// The proxy the environment names for calls to `baseURL` (its scheme picks the variable).
    public static func environment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, baseURL: String
    ) -> ProxySettings {
        func value(_ names: String...) -> String? { environment.firstSetValue(names) }
        let secure = baseURL.lowercased().hasPrefix("https:")
        let proxy =
            secure
            ? value("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
            : value("http_proxy", "all_proxy", "ALL_PROXY")
        return ProxySettings(proxy: proxy, noProxy: value("no_proxy", "NO_PROXY"))
    }
}

extension Dictionary where Key == String, Value == String {
    /// The first of `names` set to something other than blanks, trimmed (an environment lookup).
    func firstSetValue(_ names: [String]) -> String? {
        for name in names {
            if let value = self[name]?.trimmingWhitespace(), !value.isEmpty { return value }
        }
        return nil
    }
}
