import Crypto
import Foundation

/// A test-only Digest client side, computed here independently of the server's code, so nonce
/// reuse, count replay, staleness and SHA-256 can be driven exactly.
struct TestDigest {
    var username: String
    var password: String
    var algorithm = "MD5"
    var nonce: String?
    var realm = "MMS Public API"
    var count = 0

    /// Takes the nonce (and realm) from a `WWW-Authenticate: Digest ...` challenge.
    mutating func accept(challenge: String) {
        nonce = Self.parameter("nonce", in: challenge)
        realm = Self.parameter("realm", in: challenge) ?? realm
        count = 0
    }

    static func parameter(_ name: String, in challenge: String) -> String? {
        guard let range = challenge.range(of: "\(name)=") else { return nil }
        let rest = challenge[range.upperBound...]
        if rest.first == "\"" {
            return String(rest.dropFirst().prefix { $0 != "\"" })
        }
        return String(rest.prefix { $0 != "," }).trimmingCharacters(in: .whitespaces)
    }

    func hash(_ text: String) -> String {
        let data = Data(text.utf8)
        let bytes: [UInt8] =
            algorithm == "SHA-256" ? Array(SHA256.hash(data: data)) : Array(Insecure.MD5.hash(data: data))
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The next `Authorization` header, with the count raised (or forced to `count` when given).
    mutating func header(method: String, uri: String, forcedCount: Int? = nil) -> String {
        count = forcedCount ?? count + 1
        let nc = String(format: "%08x", count)
        let cnonce = "0a4f113b"
        let ha1 = hash("\(username):\(realm):\(password)")
        let ha2 = hash("\(method):\(uri)")
        let response = hash("\(ha1):\(nonce ?? ""):\(nc):\(cnonce):auth:\(ha2)")
        return "Digest username=\"\(username)\", realm=\"\(realm)\", nonce=\"\(nonce ?? "")\", uri=\"\(uri)\", "
            + "algorithm=\(algorithm), qop=auth, nc=\(nc), cnonce=\"\(cnonce)\", response=\"\(response)\""
    }
}
