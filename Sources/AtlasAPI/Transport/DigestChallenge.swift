import CLibCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The hash algorithms of HTTP Digest (RFC 7616 §3.3) this client answers; `-sess` variants hash the
/// nonces into HA1.
enum DigestAlgorithm: String, Sendable, CaseIterable {
    case md5 = "MD5"
    case md5Session = "MD5-sess"
    case sha256 = "SHA-256"
    case sha256Session = "SHA-256-sess"
    case sha512256 = "SHA-512-256"
    case sha512256Session = "SHA-512-256-sess"

    /// The algorithm a challenge names (case-insensitively); MD5 when it names none, as RFC 7616 says.
    init?(challengeValue: String?) {
        guard let value = challengeValue else {
            self = .md5
            return
        }
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) else {
            return nil
        }
        self = match
    }

    var isSession: Bool { [.md5Session, .sha256Session, .sha512256Session].contains(self) }

    /// Which of several offered challenges to answer: the server lists them in its own order of
    /// preference, but an MD5 answer is the weakest to give away.
    var strength: Int {
        switch self {
        case .md5, .md5Session: 0
        case .sha256, .sha256Session: 1
        case .sha512256, .sha512256Session: 2
        }
    }

    /// Lowercase hex of the hash of `text`'s UTF-8; nil when the system's libcrypto refuses the
    /// algorithm (MD5 under a FIPS policy).
    func hexHash(_ text: String) -> String? {
        let algorithm: Int32 =
            switch self {
            case .md5, .md5Session: Int32(ATLAS_DIGEST_MD5)
            case .sha256, .sha256Session: Int32(ATLAS_DIGEST_SHA256)
            case .sha512256, .sha512256Session: Int32(ATLAS_DIGEST_SHA512_256)
            }
        var output = [UInt8](repeating: 0, count: Int(atlas_message_digest_max_size()))
        let bytes = Array(text.utf8)
        let length = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { out in
                atlas_message_digest(algorithm, input.baseAddress, input.count, out.baseAddress)
            }
        }
        guard length > 0 else { return nil }
        return Self.hex(output.prefix(Int(length)))
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// One `WWW-Authenticate: Digest …` challenge (RFC 7616 §3.3), as far as this client uses it.
struct DigestChallenge: Sendable, Equatable {
    var realm: String
    var nonce: String
    var opaque: String?
    var algorithm: DigestAlgorithm
    /// Whether the server offered `qop=auth` (the only protection this client answers with); a
    /// challenge without `qop` is answered the RFC 2069 way.
    var qopAuth: Bool
    /// The server refused the nonce only because it aged: the same credentials go again, new nonce.
    var stale: Bool
    /// The server wants the user name hashed (`userhash=true`).
    var userhash: Bool

    /// The strongest challenge of a response this client can answer, nil when there is none (no
    /// Digest challenge, or only algorithms or protections it does not know).
    static func strongest(in response: HTTPResponse) -> DigestChallenge? {
        response.headers.filter { $0.name.lowercased() == "www-authenticate" }
            .flatMap { challenges(in: $0.value) }
            .max { $0.algorithm.strength < $1.algorithm.strength }
    }

    /// Every Digest challenge this client can answer in one header value, which may hold several
    /// (`Digest …, Digest …`, or another scheme beside them).
    static func challenges(in header: String) -> [DigestChallenge] {
        AuthenticateHeader.challenges(in: header).compactMap { scheme, parameters in
            scheme.lowercased() == "digest" ? DigestChallenge(parameters: parameters) : nil
        }
    }

    init?(parameters: [String: String]) {
        guard let realm = parameters["realm"], let nonce = parameters["nonce"], !nonce.isEmpty,
            let algorithm = DigestAlgorithm(challengeValue: parameters["algorithm"])
        else { return nil }
        let qopOptions = parameters["qop"].map { value in
            value.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }
        }
        // A server that offers only `auth-int` wants a body hash this client does not compute.
        if let qopOptions, !qopOptions.contains("auth") { return nil }
        self.realm = realm
        self.nonce = nonce
        self.opaque = parameters["opaque"]
        self.algorithm = algorithm
        self.qopAuth = qopOptions != nil
        self.stale = parameters["stale"]?.lowercased() == "true"
        self.userhash = parameters["userhash"]?.lowercased() == "true"
    }

    /// The `Authorization` header value answering this challenge for one request (RFC 7616 §3.4);
    /// nil when libcrypto refuses the algorithm. `uri` is the request target exactly as sent;
    /// `nonceCount` counts the requests sent with this nonce, this one included.
    func authorization(
        method: String, uri: String, username: String, password: String, nonceCount: UInt32, cnonce: String
    ) -> String? {
        let hash = algorithm.hexHash
        guard var ha1 = hash("\(username):\(realm):\(password)"), let ha2 = hash("\(method):\(uri)") else {
            return nil
        }
        if algorithm.isSession {
            guard let sessionHA1 = hash("\(ha1):\(nonce):\(cnonce)") else { return nil }
            ha1 = sessionHA1
        }
        let count = Self.nonceCountText(nonceCount)
        let response =
            qopAuth ? hash("\(ha1):\(nonce):\(count):\(cnonce):auth:\(ha2)") : hash("\(ha1):\(nonce):\(ha2)")
        guard let response else { return nil }
        let name = userhash ? hash("\(username):\(realm)") : username
        guard let name else { return nil }
        var parts = [
            "username=\(Self.quoted(name))", "realm=\(Self.quoted(realm))", "uri=\(Self.quoted(uri))",
            "algorithm=\(algorithm.rawValue)", "nonce=\(Self.quoted(nonce))",
        ]
        if qopAuth { parts += ["nc=\(count)", "cnonce=\(Self.quoted(cnonce))", "qop=auth"] }
        parts.append("response=\(Self.quoted(response))")
        if let opaque { parts.append("opaque=\(Self.quoted(opaque))") }
        if userhash { parts.append("userhash=true") }
        return "Digest " + parts.joined(separator: ", ")
    }

    /// `nc`: eight hex digits, lowercase (RFC 7616 §3.4).
    static func nonceCountText(_ count: UInt32) -> String {
        let digits = String(count, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// A fresh client nonce: 16 random bytes as hex, so no quoting question arises.
    static func makeClientNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    /// A quoted-string (RFC 9110 §5.6.4): backslash before `"` and `\`.
    private static func quoted(_ value: String) -> String {
        var text = "\""
        for character in value {
            if character == "\"" || character == "\\" { text.append("\\") }
            text.append(character)
        }
        return text + "\""
    }
}

/// Reads the challenges of a `WWW-Authenticate` value: `scheme k=v, k="quoted", scheme2 …`.
private enum AuthenticateHeader {
    static func challenges(in header: String) -> [(scheme: String, parameters: [String: String])] {
        var result: [(scheme: String, parameters: [String: String])] = []
        var rest = Substring(header)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
            guard !rest.isEmpty else { break }
            let token = rest.prefix { $0 != " " && $0 != "\t" && $0 != "=" && $0 != "," }
            rest = rest.dropFirst(token.count)
            let afterSpaces = rest.drop { $0 == " " || $0 == "\t" }
            guard afterSpaces.first == "=", !result.isEmpty else {
                // A token not followed by `=` starts a new challenge (a token68 after a scheme of
                // another kind is read as a parameter without value and ignored).
                if !token.isEmpty { result.append((String(token), [:])) }
                if token.isEmpty { rest = rest.dropFirst() }
                continue
            }
            rest = afterSpaces.dropFirst().drop { $0 == " " || $0 == "\t" }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let bare = rest.prefix { $0 != "," }
                rest = rest.dropFirst(bare.count)
                value = String(bare).trimmingWhitespace()
            }
            result[result.count - 1].parameters[token.lowercased()] = value
        }
        return result
    }
}
