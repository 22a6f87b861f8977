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

    var path: String { directory + "/token-" + Self.fingerprint(baseURL + "\n" + clientId) + ".json" }

    func load() -> CachedAccessToken? {
        guard let data = FileManager.default.contents(atPath: path),
            let token = try? JSONDecoder.tokenCache.decode(CachedAccessToken.self, from: data),
            token.baseURL == baseURL, token.clientId == clientId
        else { return nil }
        return token
    }

    /// Writes `token`; a failure only costs the next run a token request, so it is not an error.
    func store(_ token: CachedAccessToken) {
        guard let data = try? JSONEncoder.tokenCache.encode(token) else { return }
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = path + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        // O_EXCL and mode 0600 from the first byte: the secret is never readable by others, not even
        // between creating the file and changing its mode.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == data.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            return
        }
    }

    func remove() {
        unlink(path)
    }

    /// FNV-1a, 64 bits, as hex: a stable file name that does not spell out the URL (not a secret, and
    /// not security-relevant: the contents are checked on load).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
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
