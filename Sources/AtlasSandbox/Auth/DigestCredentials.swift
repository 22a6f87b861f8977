import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The parameters of an `Authorization: Digest ...` header (RFC 7616).
struct DigestCredentials: Sendable {
    let parameters: [String: String]

    /// Parses `Digest k=v, k="quoted, with comma", ...`; nil when it is not a Digest header.
    init?(header: String) {
        let trimmed = header.drop { $0 == " " }
        guard trimmed.lowercased().hasPrefix("digest ") else { return nil }
        var parameters: [String: String] = [:]
        var rest = Array(trimmed.dropFirst("digest ".count))[...]
        while !rest.isEmpty {
            while let first = rest.first, first == " " || first == "," { rest = rest.dropFirst() }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = String(rest[rest.startIndex..<equals]).trimmingWhitespace().lowercased()
            rest = rest[(equals + 1)...]
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
                while let character = rest.first, character != "," {
                    value.append(character)
                    rest = rest.dropFirst()
                }
                value = value.trimmingWhitespace()
            }
            if !key.isEmpty { parameters[key] = value }
        }
        self.parameters = parameters
    }

    subscript(name: String) -> String? { parameters[name] }

    /// The algorithms the sandbox verifies; `-sess` variants hash the nonces into HA1.
    enum Algorithm: String {
        case md5 = "MD5"
        case md5Session = "MD5-SESS"
        case sha256 = "SHA-256"
        case sha256Session = "SHA-256-SESS"

        func hash(_ text: String) -> String {
            switch self {
            case .md5, .md5Session: return hexString(Insecure.MD5.hash(data: Data(text.utf8)))
            case .sha256, .sha256Session: return hexString(SHA256.hash(data: Data(text.utf8)))
            }
        }

        var isSession: Bool { self == .md5Session || self == .sha256Session }
    }

    /// The `response` value a client knowing `password` would send for this request.
    func expectedResponse(password: String, method: String, realm: String) -> String? {
        guard let algorithm = Algorithm(rawValue: (self["algorithm"] ?? "MD5").uppercased()),
            let username = self["username"], let nonce = self["nonce"], let uri = self["uri"]
        else { return nil }
        var ha1 = algorithm.hash("\(username):\(realm):\(password)")
        if algorithm.isSession {
            ha1 = algorithm.hash("\(ha1):\(nonce):\(self["cnonce"] ?? "")")
        }
        let ha2 = algorithm.hash("\(method):\(uri)")
        guard let qop = self["qop"] else {
            // RFC 2069 style, no qop: still verifiable, though the sandbox's challenge always asks for qop.
            return algorithm.hash("\(ha1):\(nonce):\(ha2)")
        }
        return algorithm.hash("\(ha1):\(nonce):\(self["nc"] ?? ""):\(self["cnonce"] ?? ""):\(qop):\(ha2)")
    }
}

/// Lowercase hex of a digest.
func hexString(_ digest: some Digest) -> String {
    digest.map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }.joined()
}
