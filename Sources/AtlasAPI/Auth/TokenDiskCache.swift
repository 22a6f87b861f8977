#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A service-account access token as cached between runs.
struct CachedAccessToken: Codable, Sendable, Equatable {
    var baseURL: String
    var clientId: String
    var accessToken: String
    var expiresAt: Date

    /// RFC 6750's `b64token`: letters, digits, `-._~+/`, then `=` padding. What a planted cache file or
    /// a hostile server sends is checked against it before it reaches an Authorization header.
    static func isBearerToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard !bytes.isEmpty, bytes.count <= 16_384 else { return false }
        let body = bytes.prefix { $0 != UInt8(ascii: "=") }
        guard !body.isEmpty, bytes.dropFirst(body.count).allSatisfy({ $0 == UInt8(ascii: "=") }) else { return false }
        return body.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || "-._~+/".utf8.contains(byte)
        }
    }
}

/// Keeps one service account's token on disk so that separate runs of the program reuse it instead
/// of minting a new one each time (the token endpoint allows about 50 a minute).
///
/// The file is `<directory>/token-<hash of base URL and client id>.json`, created mode 0600 in a 0700
/// directory and replaced atomically (write to a temporary file, then rename). The base URL and client
/// id are stored inside too, and a file whose contents do not match is ignored.
struct TokenDiskCache: Sendable {
    let directory: String
    let baseURL: String
    let clientId: String

    var fileName: String { "token-" + PrivateDirectory.fingerprint(baseURL + "\n" + clientId) + ".json" }
    var path: String { directory + "/" + fileName }

    /// The cached token, when the file is ours, private, readable, for this account, and holds a
    /// token fit for a header (a file planted by another user, or through a link, is ignored).
    func load() -> CachedAccessToken? {
        guard
            let token = PrivateDirectory.cached(
                CachedAccessToken.self, fileName, in: directory, limit: 65_536, decoder: .tokenCache),
            token.baseURL == baseURL, token.clientId == clientId, CachedAccessToken.isBearerToken(token.accessToken)
        else { return nil }
        return token
    }

    /// Writes `token`; a failure only costs the next run a token request, so it is not an error.
    /// The file is 0600 from its first byte and replaces the old one by rename, never through a link.
    func store(_ token: CachedAccessToken) {
        PrivateDirectory.storeCached(token, fileName, in: directory, durable: true, encoder: .tokenCache)
    }

    func remove() {
        try? PrivateDirectory(path: directory, create: false).remove(fileName)
    }
}

extension JSONDecoder {
    fileprivate static var tokenCache: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}

extension JSONEncoder {
    fileprivate static var tokenCache: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }
}
