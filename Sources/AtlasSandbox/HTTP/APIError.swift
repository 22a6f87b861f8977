/// A refusal, rendered as the Atlas error envelope (`ApiError`, `Content-Type: application/json`).
struct APIError: Error, Sendable {
    let status: Int
    let errorCode: String
    var detail: String?
    let parameters: [JSONValue]
    let fieldViolations: [(field: String, description: String)]
    /// Extra headers: challenges, `Retry-After`, rate-limit counters.
    var headers: [(name: String, value: String)]

    init(
        status: Int, errorCode: String, detail: String?, parameters: [JSONValue] = [],
        fieldViolations: [(field: String, description: String)] = [], headers: [(name: String, value: String)] = []
    ) {
        self.status = status
        self.errorCode = errorCode
        self.detail = detail
        self.parameters = parameters
        self.fieldViolations = fieldViolations
        self.headers = headers
    }

    /// The HTTP reason phrase the real service puts in `reason`.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 415: return "Unsupported Media Type"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Error"
        }
    }

    var envelope: JSONValue {
        let badRequestDetail: JSONValue =
            fieldViolations.isEmpty
            ? .null
            : .object([
                (
                    "fields",
                    .array(
                        fieldViolations.map {
                            .object([("description", .string($0.description)), ("field", .string($0.field))])
                        })
                )
            ])
        return .object([
            ("detail", detail.map(JSONValue.string) ?? .null),
            ("error", .int(status)),
            ("errorCode", .string(errorCode)),
            ("parameters", .array(parameters)),
            ("reason", .string(Self.reasonPhrase(status))),
            ("badRequestDetail", badRequestDetail),
        ])
    }

    func response(pretty: Bool) -> APIResponse {
        var response = APIResponse.json(envelope, status: status, pretty: pretty)
        for header in headers { response.headers.append(header) }
        return response
    }
}

extension APIError {
    static func validation(_ detail: String, field: String, description: String, parameters: [JSONValue] = [])
        -> APIError
    {
        APIError(
            status: 400, errorCode: "VALIDATION_ERROR", detail: detail, parameters: parameters,
            fieldViolations: [(field, description)])
    }

    static func invalidId(_ name: String, _ value: String) -> APIError {
        APIError(
            status: 400, errorCode: "VALIDATION_ERROR",
            detail: "\(name) must be a 24-hexadecimal character string; got \(value).",
            parameters: [.string(value)], fieldViolations: [(name, "must match ^([a-f0-9]{24})$")])
    }

    static func organizationNotFound(_ orgId: String) -> APIError {
        APIError(
            status: 404, errorCode: "RESOURCE_NOT_FOUND",
            detail: "Cannot find resource organization with ID \(orgId).", parameters: [.string(orgId)])
    }

    static func userNotFound(_ userId: String, orgId: String) -> APIError {
        APIError(
            status: 404, errorCode: "USER_NOT_FOUND",
            detail: "No user with ID \(userId) exists in organization \(orgId).", parameters: [.string(userId)])
    }

    static let unauthorizedDetail = "You are not authorized for this resource."
}
