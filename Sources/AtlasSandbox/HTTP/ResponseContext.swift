/// How a successful answer to one request is shaped: version, `pretty`, `envelope`, link origin.
struct ResponseContext: Sendable {
    let request: APIRequest
    let version: APIVersion
    var pretty: Bool { request.query["pretty"] == "true" }
    var envelope: Bool { request.query["envelope"] == "true" }

    /// An absolute link under `/api/atlas/v2` on the host the client called.
    func href(_ relativePath: String, query: String = "") -> String {
        request.origin + Route.apiPrefix + relativePath + (query.isEmpty ? "" : "?" + query)
    }

    /// `[{"href": ..., "rel": "self"}]` for a resource.
    func selfLinks(_ relativePath: String) -> JSONValue {
        .array([Self.link(href(relativePath), rel: "self")])
    }

    static func link(_ href: String, rel: String) -> JSONValue {
        .object([("href", .string(href)), ("rel", .string(rel))])
    }

    /// A 200 with the versioned media type; `envelope=true` wraps a single resource as
    /// `{"status": 200, "content": ...}` and adds `status` to a list body.
    func success(_ body: JSONValue, isList: Bool = false) -> APIResponse {
        var payload = body
        if envelope {
            if isList, case .object(var members) = body {
                members.append(("status", .int(200)))
                payload = .object(members)
            } else {
                payload = .object([("content", body), ("status", .int(200))])
            }
        }
        return .json(payload, contentType: version.contentType, pretty: pretty)
    }
}
