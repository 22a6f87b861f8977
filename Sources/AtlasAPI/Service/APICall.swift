/// An API version, chosen per request with `Accept: application/vnd.atlas.<date>+json`.
public struct APIVersion: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let v20230101 = APIVersion(rawValue: "2023-01-01")
    public static let v20250219 = APIVersion(rawValue: "2025-02-19")
    public static let v20250312 = APIVersion(rawValue: "2025-03-12")

    /// `application/vnd.atlas.2023-01-01+json`
    public var mediaType: String { "application/vnd.atlas.\(rawValue)+json" }
    public var description: String { rawValue }
}

/// One API call as a person would name it: `PUT /orgs/{orgId}/users/{userId}/roles (2023-01-01)`.
///
/// Shown in the review pane ("the API call each change will use") and carried by every error.
public struct APICall: Hashable, Sendable, Codable, CustomStringConvertible {
    public var method: String
    /// The path below `/api/atlas/v2`, with real ids filled in.
    public var path: String
    public var version: APIVersion

    public init(method: String, path: String, version: APIVersion) {
        self.method = method
        self.path = path
        self.version = version
    }

    public var description: String { "\(method) \(path) (\(version))" }
}

/// How a user's organization roles are written.
public enum RoleWriteMethod: String, Hashable, Sendable, Codable, CaseIterable {
    /// `PUT /orgs/{orgId}/users/{userId}/roles`, 2023-01-01: the primary write for ACTIVE users
    /// until its sunset on 2027-07-01.
    case putRoles = "put"
    /// `PATCH /orgs/{orgId}/users/{userId}`, 2025-02-19, body `{"roles": {"orgRoles": [...]}}`:
    /// for PENDING users, and for everyone once the PUT answers 410 `VERSION_GONE`.
    case patchUser = "patch"

    /// The endpoint this method writes, as `GET /rateLimits` names it.
    var endpointTemplate: (method: String, path: String) {
        switch self {
        case .putRoles: ("PUT", "/api/atlas/v2/orgs/{orgId}/users/{userId}/roles")
        case .patchUser: ("PATCH", "/api/atlas/v2/orgs/{orgId}/users/{userId}")
        }
    }

    /// The call this method makes for one user.
    public func call(orgId: String, userId: String) -> APICall {
        switch self {
        case .putRoles: APICall(method: "PUT", path: "/orgs/\(orgId)/users/\(userId)/roles", version: .v20230101)
        case .patchUser: APICall(method: "PATCH", path: "/orgs/\(orgId)/users/\(userId)", version: .v20250219)
        }
    }
}
