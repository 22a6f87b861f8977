/// An answer the sandbox has decided on, before faults shape how it goes out.
struct APIResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// A successful JSON body: only these may be truncated, garbled or trickled by faults.
    var isSuccessfulJSON: Bool
    /// The request's credentials were accepted (a refusal may still follow: a role the caller lacks).
    var authenticated = false

    init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], isSuccessfulJSON: Bool = false)
    {
        self.status = status
        self.headers = headers
        self.body = body
        self.isSuccessfulJSON = isSuccessfulJSON
    }

    /// A JSON answer of the given media type.
    static func json(
        _ value: JSONValue, status: Int = 200, contentType: String = "application/json", pretty: Bool = false
    ) -> APIResponse {
        APIResponse(
            status: status, headers: [("Content-Type", contentType)],
            body: value.serializedBytes(pretty: pretty),
            isSuccessfulJSON: status == 200)
    }

    /// Sets (replacing) a header.
    mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    /// The first value of a header, case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
