/// The Atlas error envelope (`ApiError`), kept whole from the HTTP layer to the pane that shows it.
///
/// ```json
/// {"error": 400, "errorCode": "VALIDATION_ERROR", "detail": "...", "reason": "Bad Request",
///  "parameters": ["ORG_FOO"], "badRequestDetail": {"fields": [{"field": "orgRoles", "description": "..."}]}}
/// ```
public struct APIErrorEnvelope: Hashable, Sendable, Codable {
    /// The HTTP status the server put in the body (`error`).
    public var error: Int
    public var errorCode: String
    public var detail: String?
    public var reason: String?
    public var parameters: [JSONValue]
    public var badRequestDetail: BadRequestDetail?

    public init(
        error: Int, errorCode: String, detail: String? = nil, reason: String? = nil, parameters: [JSONValue] = [],
        badRequestDetail: BadRequestDetail? = nil
    ) {
        self.error = error
        self.errorCode = errorCode
        self.detail = detail
        self.reason = reason
        self.parameters = parameters
        self.badRequestDetail = badRequestDetail
    }

    enum CodingKeys: String, CodingKey {
        case error, errorCode, detail, reason, parameters, badRequestDetail
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        error = try container.decode(Int.self, forKey: .error)
        // Atlas's 401 for refused credentials may carry no errorCode at all: empty stands for none.
        errorCode = try container.decodeIfPresent(String.self, forKey: .errorCode) ?? ""
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        parameters = try container.decodeIfPresent([JSONValue].self, forKey: .parameters) ?? []
        badRequestDetail = try container.decodeIfPresent(BadRequestDetail.self, forKey: .badRequestDetail)
    }
}

/// `badRequestDetail` of a 400: which fields of the request were wrong and why.
public struct BadRequestDetail: Hashable, Sendable, Codable {
    public struct Field: Hashable, Sendable, Codable {
        public var field: String
        public var description: String

        public init(field: String, description: String) {
            self.field = field
            self.description = description
        }
    }

    public var fields: [Field]

    public init(fields: [Field]) { self.fields = fields }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fields = try container.decodeIfPresent([Field].self, forKey: .fields) ?? []
    }

    enum CodingKeys: String, CodingKey { case fields }
}

/// Any JSON value: the envelope's `parameters` may hold strings, numbers, objects or anything else.
public enum JSONValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// Compact JSON-like text for display: strings bare, numbers without a needless `.0`.
    public var description: String {
        switch self {
        case .string(let value): value
        case .number(let value):
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): String(value)
        case .array(let value): "[" + value.map(\.description).joined(separator: ", ") + "]"
        case .object(let value):
            "{" + value.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .null: "null"
        }
    }
}
