/// What the sandbox needs of an incoming request, detached from Hummingbird's types.
struct APIRequest: Sendable {
    let method: String
    /// The path, percent-decoded per segment.
    let path: String
    /// The raw query string, without `?` (empty when absent).
    let rawQuery: String
    /// The request target as sent (`/path?query`), which a Digest `uri` must match.
    let target: String
    let query: QueryParameters
    /// Header names lowercased, in arrival order.
    let headers: [(name: String, value: String)]
    let body: [UInt8]
    /// Where links in bodies point: `http(s)://<Host header>`.
    let origin: String
    /// "1.1" or "2".
    var httpVersion = "1.1"
    /// The TCP connection it came over, as the client's address and port: requests with the same
    /// value shared one connection (and over TLS one handshake).
    var connection = ""

    /// The first value of a header, case-insensitively.
    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name == lowered }?.value
    }

    var isWrite: Bool {
        ["PUT", "PATCH", "POST", "DELETE"].contains(method)
    }
}

/// Decoded query parameters, repeated names kept (as `orgMembershipStatuses` needs).
struct QueryParameters: Sendable {
    let items: [(name: String, value: String)]

    init(rawQuery: String) {
        items = rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            return (name, value)
        }
    }

    /// The first value of `name`.
    subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
    static func decode(_ text: Substring) -> String {
        percentDecode(String(text.replacing("+", with: " ")))
    }
}

/// `%XX` decoding; malformed escapes are kept as they are.
func percentDecode(_ text: String) -> String {
    guard text.contains("%") else { return text }
    var bytes: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let byte = utf8.popFirst() {
        if byte == UInt8(ascii: "%"), utf8.count >= 2, let high = hexDigitValue(utf8[utf8.startIndex]),
            let low = hexDigitValue(utf8[utf8.startIndex + 1])
        {
            bytes.append(high << 4 | low)
            utf8 = utf8.dropFirst(2)
        } else {
            bytes.append(byte)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}
