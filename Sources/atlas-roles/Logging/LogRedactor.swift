import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Scrubs secrets from a log line before it reaches the file.
///
/// Two layers: the exact secret values this run knows (the private key or client secret from the
/// configuration), and patterns for credentials a line might carry whatever their value (an
/// `Authorization` header, a `client_secret=` form field, a bearer token, a token in JSON).
///
/// ```swift
/// LogRedactor(secrets: ["s3cr3t-key"]).redact("Authorization: Basic abc")  // "Authorization: [redacted]"
/// ```
///
/// A reference shared by every handler of the run: the command registers the configuration's secrets
/// once it has resolved them, after logging was set up.
final class LogRedactor: Sendable {
    static let marker = "[redacted]"

    /// Secrets shorter than this are not matched as plain text: they would blank out ordinary words.
    static let minimumSecretLength = 6

    /// A name after which a secret value follows, and what ends that value.
    private struct Pattern: Sendable {
        var prefix: [UInt8]
        /// Headers run to the end of the line; form fields, JSON members and tokens stop earlier.
        var runsToEndOfLine: Bool

        init(_ prefix: String, runsToEndOfLine: Bool = false) {
            self.prefix = Array(prefix.utf8)
            self.runsToEndOfLine = runsToEndOfLine
        }
    }

    private static let patterns: [Pattern] = [
        Pattern("authorization:", runsToEndOfLine: true),
        Pattern("bearer "), Pattern("basic "),
        Pattern("client_secret="), Pattern("private_api_key="), Pattern("access_token="),
        Pattern("refresh_token="), Pattern("token="),
        Pattern("\"client_secret\":"), Pattern("\"private_api_key\":"), Pattern("\"access_token\":"),
        Pattern("\"refresh_token\":"), Pattern("\"privatekey\":"), Pattern("\"clientsecret\":"),
    ]

    private let secrets = LockedValue<[String]>([])

    init(secrets: [String] = []) {
        register(secrets)
    }

    /// Adds secrets to scrub from every later line.
    func register(_ newSecrets: [String]) {
        secrets.withLock { secrets in
            let merged = Set(secrets).union(newSecrets.filter { $0.count >= Self.minimumSecretLength })
            // Longest first, so a secret that contains another is replaced whole.
            secrets = merged.sorted { $0.count > $1.count }
        }
    }

    func redact(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        var result = text
        for secret in known where result.contains(secret) {
            result = result.replacing(secret, with: Self.marker)
        }
        return Self.redactPatterns(result)
    }

    /// Works on UTF-8 bytes with an ASCII-lowercased mirror: every pattern is ASCII, and byte offsets
    /// stay aligned between the two (full Unicode lowercasing can change lengths).
    private static func redactPatterns(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var changed = false
        while index < bytes.count {
            guard let pattern = patterns.first(where: { lower[index...].starts(with: $0.prefix) }) else {
                output.append(bytes[index])
                index += 1
                continue
            }
            output.append(contentsOf: bytes[index..<(index + pattern.prefix.count)])
            index += pattern.prefix.count
            // Keep the spaces and the opening quote before the value.
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x22 {
                output.append(bytes[index])
                index += 1
            }
            let start = index
            while index < bytes.count, !isDelimiter(bytes[index], runsToEndOfLine: pattern.runsToEndOfLine) {
                index += 1
            }
            if index > start {
                output.append(contentsOf: marker.utf8)
                changed = true
            }
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }

    private static func isDelimiter(_ byte: UInt8, runsToEndOfLine: Bool) -> Bool {
        if byte == 0x0A || byte == 0x0D { return true }
        if runsToEndOfLine { return false }
        // space " & , } ;
        return byte == 0x20 || byte == 0x22 || byte == 0x26 || byte == 0x2C || byte == 0x7D || byte == 0x3B
    }
}
