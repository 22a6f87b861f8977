#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One page of an organization's users, with the progress of the whole load.
public struct UserPage: Hashable, Sendable {
    public var users: [OrgUser]
    /// 1-based page number this batch came from.
    public var pageNumber: Int
    /// Users delivered so far, this page included.
    public var loadedCount: Int
    /// The server's `totalCount` (an estimate), or nil when it gave none.
    public var totalCount: Int?

    public init(users: [OrgUser], pageNumber: Int, loadedCount: Int, totalCount: Int?) {
        self.users = users
        self.pageNumber = pageNumber
        self.loadedCount = loadedCount
        self.totalCount = totalCount
    }
}

/// What a role write did.
public struct RoleWriteResult: Hashable, Sendable {
    /// The roles the server answered with (or, when it answered with none, the roles sent).
    public var orgRoles: Set<OrgRole>
    /// The call that finally succeeded (a PUT answered 410 is redone as a PATCH).
    public var call: APICall
    public var method: RoleWriteMethod
    /// The server answered 2xx with a body that could not be read, and a read of the user afterwards
    /// found the roles written: ``orgRoles`` are the roles read.
    public var confirmedByReread: Bool

    public init(orgRoles: Set<OrgRole>, call: APICall, method: RoleWriteMethod, confirmedByReread: Bool = false) {
        self.orgRoles = orgRoles
        self.call = call
        self.method = method
        self.confirmedByReread = confirmedByReread
    }
}

/// Things the service reports while it works, for the status line.
public enum ServiceEvent: Hashable, Sendable {
    /// A call is waiting before it tries again (429 `Retry-After`, backoff after a 5xx or a reset).
    case retryWait(call: APICall, seconds: Double, attempt: Int, reason: String)
    /// A write is waiting for the server's rate-limit budget (`RateLimit-Remaining` of
    /// `RateLimit-Limit`) to refill, so that it is not refused with a 429.
    case budgetWait(call: APICall, seconds: Double, remaining: Int, limit: Int)
    /// The server marked a version deprecated; reported once per call shape.
    case deprecation(call: APICall, deprecation: Date?, sunset: Date?)
    /// The PUT answered 410 `VERSION_GONE`: this session writes with the PATCH from now on.
    case switchedToPatch
}

/// The Atlas calls the view-model needs, as an interface: the libcurl client in production,
/// in-memory fakes in view-model tests.
///
/// Every method throws ``AtlasError`` (or `CancellationError` when its task is cancelled).
public protocol AtlasService: Sendable {
    /// `GET /orgs`, every page.
    func listOrganizations() async throws -> [Organization]

    /// `GET /orgs/{orgId}`.
    func organization(id: String) async throws -> Organization

    /// Every user of an organization, page by page as they arrive (not necessarily in page order).
    func orgUsers(orgId: String) -> AsyncThrowingStream<UserPage, any Error>

    /// `GET /orgs/{orgId}/users/{userId}`: one user as the server has them now.
    func orgUser(orgId: String, userId: String) async throws -> OrgUser

    /// Replace a user's organization roles with `roles` using `method`.
    ///
    /// A PUT answered 410 `VERSION_GONE` is redone as a PATCH, and the service emits
    /// ``ServiceEvent/switchedToPatch``; the result says which call succeeded.
    func writeOrgRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod)
        async throws -> RoleWriteResult

    /// The events of this service, for one consumer (the effect runner).
    func events() -> AsyncStream<ServiceEvent>

    /// Several writes to `orgId` are about to go at once: a service that can learn the server's write
    /// budget beforehand does so now (once), so the writes are paced from the first. Returns at once;
    /// the writes wait for what it learns.
    func prepareForWrites(orgId: String)
}

extension AtlasService {
    /// Nothing to learn: writes pace themselves (or need no pacing).
    public func prepareForWrites(orgId: String) {}
}
