import AtlasRolesTesting
import AtlasSandbox
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP answer as a test looks at it.
struct HTTPResult: Sendable {
    let status: Int
    let headers: [String: String]
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { JSONValue.parse(body) }

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// Real loopback HTTP against a sandbox through URLSession, with Digest done by ``TestDigest``.
final class SandboxClient: @unchecked Sendable {
    let baseURL: String
    let session: URLSession
    var digest: TestDigest?

    init(baseURL: String, key: SandboxCredentials.APIKey? = nil, algorithm: String = "MD5") {
        self.baseURL = baseURL
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Patience.scaled(30.0)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
        digest = key.map { TestDigest(username: $0.publicKey, password: $0.privateKey, algorithm: algorithm) }
    }

    convenience init(_ sandbox: AtlasSandbox, algorithm: String = "MD5") {
        self.init(baseURL: sandbox.baseURL, key: sandbox.credentials.apiKey, algorithm: algorithm)
    }

    /// One request exactly as given: no challenge handling.
    func raw(
        _ method: String, _ target: String, headers: [String: String] = [:], body: String? = nil
    ) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: baseURL + target)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields[String(describing: name)] = String(describing: value)
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    /// A Digest-authenticated API call: reuses the nonce with a growing count, answers a challenge once.
    func call(
        _ method: String, _ target: String, version: String? = "2023-01-01", body: String? = nil,
        extraHeaders: [String: String] = [:]
    ) async throws -> HTTPResult {
        var headers = extraHeaders
        if let version {
            headers["Accept"] = "application/vnd.atlas.\(version)+json"
            if body != nil { headers["Content-Type"] = "application/vnd.atlas.\(version)+json" }
        }
        if digest?.nonce == nil {
            let first = try await raw(method, target, headers: headers, body: body)
            guard first.status == 401, let challenge = first.header("WWW-Authenticate") else { return first }
            digest?.accept(challenge: challenge)
        }
        if digest != nil {
            headers["Authorization"] = digest!.header(method: method, uri: target)
        }
        let answer = try await raw(method, target, headers: headers, body: body)
        if answer.status == 401, let challenge = answer.header("WWW-Authenticate"), challenge.contains("stale=true") {
            digest?.accept(challenge: challenge)
            headers["Authorization"] = digest!.header(method: method, uri: target)
            return try await raw(method, target, headers: headers, body: body)
        }
        return answer
    }
}

/// Runs `body` against a fresh sandbox. The closure type is spelled out (not generic) so that a
/// closure whose only `try` sits inside `#expect` is still checked as a throwing one.
func withSandbox(
    _ configuration: SandboxConfiguration = SandboxConfiguration(), _ body: (AtlasSandbox) async throws -> Void
) async throws {
    try await withSandboxReturning(configuration, body)
}

/// Starts a sandbox for one test and always stops it, even when the test throws.
func withSandboxReturning<T>(
    _ configuration: SandboxConfiguration = SandboxConfiguration(), _ body: (AtlasSandbox) async throws -> T
) async throws -> T {
    let sandbox = try await AtlasSandbox.start(configuration)
    do {
        let result = try await body(sandbox)
        try await sandbox.stop()
        return result
    } catch {
        try await sandbox.stop()
        throw error
    }
}
