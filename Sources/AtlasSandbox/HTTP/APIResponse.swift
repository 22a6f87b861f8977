/// An answer the sandbox has decided on, before faults shape how it goes out.
struct APIResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    /// The body's bytes. A JSON answer is serialized when they are first needed, after the answer has
    /// left ``SandboxState``: the actor decides one request at a time, and writing a 500-user page out
    /// inside it made the pages of a listing, asked for together, wait for each other.
    var body: [UInt8] {
        get { pendingJSON.map { $0.value.serializedBytes(pretty: $0.pretty) } ?? bytes }
        set {
            bytes = newValue
            pendingJSON = nil
        }
    }
    private var bytes: [UInt8]
    private var pendingJSON: (value: JSONValue, pretty: Bool)?
    /// A successful JSON body: only these may be truncated, garbled or trickled by faults.
    var isSuccessfulJSON: Bool
    /// The request's credentials were accepted (a refusal may still follow: a role the caller lacks).
    var authenticated = false

    init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], isSuccessfulJSON: Bool = false)
    {
        self.status = status
        self.headers = headers
        self.bytes = body
        self.isSuccessfulJSON = isSuccessfulJSON
    }

    /// A JSON answer of the given media type.
    static func json(
        _ value: JSONValue, status: Int = 200, contentType: String = "application/json", pretty: Bool = false
    ) -> APIResponse {
        var answer = APIResponse(
            status: status, headers: [("Content-Type", contentType)], isSuccessfulJSON: status == 200)
        answer.pendingJSON = (value, pretty)
        return answer
    }

    /// Writes a JSON answer out now, once, so that later reads of ``body`` do not each serialize it.
    mutating func serializeBody() {
        guard let pending = pendingJSON else { return }
        bytes = pending.value.serializedBytes(pretty: pending.pretty)
        pendingJSON = nil
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
