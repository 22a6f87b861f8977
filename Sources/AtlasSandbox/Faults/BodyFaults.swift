/// Body damage for faults: what a proxy or a broken connection makes of a good JSON answer.
enum BodyFaults {
    /// The HTML a misbehaving gateway puts where JSON should be.
    static let gatewayPage = Array(
        """
        <!DOCTYPE html>
        <html><head><title>502 Bad Gateway</title></head>
        <body><h1>502 Bad Gateway</h1><p>The upstream server sent an invalid response.</p></body></html>

        """.utf8)

    /// The first half of a body (at least one byte short of the whole).
    static func truncated(_ body: [UInt8]) -> [UInt8] {
        Array(body.prefix(max(0, body.count / 2)))
    }
}
