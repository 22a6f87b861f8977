import AtlasAPI
import Foundation

/// An in-memory Atlas for view-model tests: organizations, users served in pages, role writes that
/// really change what later reads return, and failures injected per call or at a seeded random rate.
public final class FakeAtlasService: AtlasMembershipService, Sendable {
    public struct Write: Hashable, Sendable {
        public var userId: String
        public var roles: Set<OrgRole>
        public var method: RoleWriteMethod

        public init(userId: String, roles: Set<OrgRole>, method: RoleWriteMethod) {
            self.userId = userId
            self.roles = roles
            self.method = method
        }
    }

    private struct Storage {
        var organizations: [Organization] = []
        var users: [String: [OrgUser]] = [:]
        var pageSize = 100
        /// Errors the next writes of a user answer with, first one first.
        var scriptedWriteFailures: [String: [AtlasError]] = [:]
        var scriptedReadFailures: [String: [AtlasError]] = [:]
        /// Fraction of writes and reads that fail (after the scripted ones), drawn from `random`.
        var failureRate = 0.0
        var random = SplitMix64(seed: 1)
        var putVersionGone = false
        var writes: [Write] = []
        var eventContinuation: AsyncStream<ServiceEvent>.Continuation?
        var loadFailure: AtlasError?
        var teams: [Team] = []
        var projects: [Project] = []
        var membershipCalls: [APICall] = []
        var invitationCount = 0
        var writePreparations: [String] = []
    }

    private let storage = LockedValue(Storage())
    /// When set, every write waits here first (tests of bounded concurrency).
    public let gate: WriteGate?

    public init(
        organizations: [Organization] = [], users: [String: [OrgUser]] = [:], pageSize: Int = 100,
        gate: WriteGate? = nil
    ) {
        self.gate = gate
        storage.withLock {
            $0.organizations = organizations
            $0.users = users
            $0.pageSize = pageSize
        }
    }

    // MARK: Test controls

    public func setFailureRate(_ rate: Double, seed: UInt64) {
        storage.withLock {
            $0.failureRate = rate
            $0.random = SplitMix64(seed: seed)
        }
    }

    public func failNextWrites(of userId: String, with errors: [AtlasError]) {
        storage.withLock { $0.scriptedWriteFailures[userId, default: []] += errors }
    }

    public func failNextReads(of userId: String, with errors: [AtlasError]) {
        storage.withLock { $0.scriptedReadFailures[userId, default: []] += errors }
    }

    public func failUserLoad(with error: AtlasError?) { storage.withLock { $0.loadFailure = error } }

    public func setPutVersionGone(_ gone: Bool) { storage.withLock { $0.putVersionGone = gone } }

    /// Changes a user's roles behind the editor's back (a conflict).
    public func setRoles(orgId: String, userId: String, roles: Set<OrgRole>) {
        storage.withLock { storage in
            guard let index = storage.users[orgId]?.firstIndex(where: { $0.id == userId }) else { return }
            storage.users[orgId]![index].orgRoles = roles
        }
    }

    public func setStatus(orgId: String, userId: String, status: MembershipStatus) {
        storage.withLock { storage in
            guard let index = storage.users[orgId]?.firstIndex(where: { $0.id == userId }) else { return }
            storage.users[orgId]![index].status = status
        }
    }

    public func roles(orgId: String, userId: String) -> Set<OrgRole>? {
        storage.withLock { $0.users[orgId]?.first { $0.id == userId }?.orgRoles }
    }

    public func allRoles(orgId: String) -> [String: Set<OrgRole>] {
        storage.withLock { storage in
            Dictionary(uniqueKeysWithValues: (storage.users[orgId] ?? []).map { ($0.id, $0.orgRoles) })
        }
    }

    public var writes: [Write] { storage.withLock { $0.writes } }
    /// The organizations ``prepareForWrites(orgId:)`` was called for, in order.
    public var writePreparations: [String] { storage.withLock { $0.writePreparations } }

    public func emit(_ event: ServiceEvent) {
        _ = storage.withLock { $0.eventContinuation?.yield(event) }
    }

    public func finishEvents() { storage.withLock { $0.eventContinuation?.finish() } }

    // MARK: AtlasService

    public func listOrganizations() async throws -> [Organization] { storage.withLock { $0.organizations } }

    public func organization(id: String) async throws -> Organization {
        if let org = storage.withLock({ $0.organizations.first { $0.id == id } }) { return org }
        throw Self.notFound(
            "RESOURCE_NOT_FOUND", call: APICall(method: "GET", path: "/orgs/\(id)", version: .v20230101))
    }

    public func orgUsers(orgId: String) -> AsyncThrowingStream<UserPage, any Error> {
        let (users, pageSize, failure) = storage.withLock { ($0.users[orgId] ?? [], $0.pageSize, $0.loadFailure) }
        return AsyncThrowingStream { continuation in
            var loaded = 0
            for (number, start) in stride(from: 0, to: users.count, by: pageSize).enumerated() {
                let page = Array(users[start..<min(users.count, start + pageSize)])
                loaded += page.count
                continuation.yield(
                    UserPage(users: page, pageNumber: number + 1, loadedCount: loaded, totalCount: users.count))
                // A failure after the first page: the load stops part way, as a dropped connection would.
                if let failure, number == 0 {
                    continuation.finish(throwing: failure)
                    return
                }
            }
            continuation.finish()
        }
    }

    public func orgUser(orgId: String, userId: String) async throws -> OrgUser {
        let call = APICall(method: "GET", path: "/orgs/\(orgId)/users/\(userId)", version: .v20250219)
        let outcome: Result<OrgUser, AtlasError> = storage.withLock { storage in
            if let error = Self.nextFailure(\.scriptedReadFailures, userId, &storage, call: call) {
                return .failure(error)
            }
            guard let user = storage.users[orgId]?.first(where: { $0.id == userId }) else {
                return .failure(Self.notFound("USER_NOT_FOUND", call: call))
            }
            return .success(user)
        }
        return try outcome.get()
    }

    public func writeOrgRoles(orgId: String, userId: String, roles: Set<OrgRole>, method: RoleWriteMethod) async throws
        -> RoleWriteResult
    {
        await gate?.enter()
        defer { gate?.leaveSync() }
        var call = method.call(orgId: orgId, userId: userId)
        let outcome: Result<RoleWriteResult, AtlasError> = storage.withLock { storage in
            var used = method
            if method == .putRoles && storage.putVersionGone {
                used = .patchUser
                call = used.call(orgId: orgId, userId: userId)
                storage.eventContinuation?.yield(.switchedToPatch)
            }
            if let error = Self.nextFailure(\.scriptedWriteFailures, userId, &storage, call: call) {
                return .failure(error)
            }
            guard let index = storage.users[orgId]?.firstIndex(where: { $0.id == userId }) else {
                return .failure(Self.notFound("USER_NOT_FOUND", call: call))
            }
            if roles.isEmpty {
                return .failure(
                    AtlasError(
                        .api(
                            status: 400,
                            envelope: APIErrorEnvelope(
                                error: 400, errorCode: "VALIDATION_ERROR", detail: "orgRoles must not be empty",
                                reason: "Bad Request")), call: call))
            }
            storage.users[orgId]![index].orgRoles = roles
            storage.writes.append(Write(userId: userId, roles: roles, method: used))
            return .success(RoleWriteResult(orgRoles: roles, call: call, method: used))
        }
        return try outcome.get()
    }

    // MARK: AtlasMembershipService

    /// Teams and projects of the fake organizations, for the checklist header.
    public func setNames(teams: [Team], projects: [Project]) {
        storage.withLock {
            $0.teams = teams
            $0.projects = projects
        }
    }

    public var membershipCalls: [APICall] { storage.withLock { $0.membershipCalls } }

    public func inviteOrgUser(orgId: String, invitation: OrgUserInvitation) async throws -> OrgUser {
        let call = APICall.createOrgUser(orgId: orgId)
        let outcome: Result<OrgUser, AtlasError> = storage.withLock { storage in
            storage.membershipCalls.append(call)
            let address = invitation.username.lowercased()
            if let existing = storage.users[orgId]?.first(where: { $0.username.lowercased() == address }),
                existing.status == .active || existing.status == .pending
            {
                return .failure(
                    AtlasError(
                        .api(
                            status: 409,
                            envelope: APIErrorEnvelope(
                                error: 409, errorCode: "USER_ALREADY_IN_ORG", reason: "Conflict")), call: call))
            }
            storage.invitationCount += 1
            let suffix = String(storage.invitationCount, radix: 16)
            let user = OrgUser(
                id: String(repeating: "f", count: 24 - suffix.count) + suffix, username: invitation.username,
                status: .pending, orgRoles: invitation.orgRoles, teamIds: invitation.teamIds)
            storage.users[orgId, default: []].removeAll { $0.username.lowercased() == address }
            storage.users[orgId, default: []].append(user)
            return .success(user)
        }
        return try outcome.get()
    }

    public func removeOrgUser(orgId: String, userId: String) async throws -> APICall {
        let call = APICall.removeOrgUser(orgId: orgId, userId: userId)
        let outcome: Result<APICall, AtlasError> = storage.withLock { storage in
            storage.membershipCalls.append(call)
            if let error = Self.nextFailure(\.scriptedWriteFailures, userId, &storage, call: call) {
                return .failure(error)
            }
            guard let index = storage.users[orgId]?.firstIndex(where: { $0.id == userId }) else {
                return .failure(Self.notFound("USER_NOT_FOUND", call: call))
            }
            storage.users[orgId]!.remove(at: index)
            return .success(call)
        }
        return try outcome.get()
    }

    public func listTeams(orgId: String) async throws -> [Team] { storage.withLock { $0.teams } }

    public func listProjects(orgId: String) async throws -> [Project] { storage.withLock { $0.projects } }

    public func prepareForWrites(orgId: String) {
        storage.withLock { $0.writePreparations.append(orgId) }
    }

    public func events() -> AsyncStream<ServiceEvent> {
        let (stream, continuation) = AsyncStream<ServiceEvent>.makeStream()
        storage.withLock { $0.eventContinuation = continuation }
        return stream
    }

    // MARK: Failures

    private static func nextFailure(
        _ scripted: WritableKeyPath<Storage, [String: [AtlasError]]>, _ userId: String, _ storage: inout Storage,
        call: APICall
    ) -> AtlasError? {
        if var queue = storage[keyPath: scripted][userId], !queue.isEmpty {
            var error = queue.removeFirst()
            storage[keyPath: scripted][userId] = queue
            error.call = call
            return error
        }
        guard storage.failureRate > 0 else { return nil }
        let draw = Double(storage.random.next() % 10_000) / 10_000
        guard draw < storage.failureRate else { return nil }
        // Alternate between a transport failure and a refusal so both paths are exercised.
        if storage.random.next() % 2 == 0 {
            return AtlasError(.transport(curlCode: 28, message: "Operation timed out"), call: call)
        }
        return AtlasError(
            .api(
                status: 500,
                envelope: APIErrorEnvelope(error: 500, errorCode: "UNEXPECTED_ERROR", reason: "Server Error")),
            call: call)
    }

    public static func notFound(_ code: String, call: APICall) -> AtlasError {
        AtlasError(
            .api(status: 404, envelope: APIErrorEnvelope(error: 404, errorCode: code, reason: "Not Found")), call: call)
    }
}

/// A deterministic random source for injected failures.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Holds writes until opened, counting how many are inside at once: proves the runner's bound.
public final class WriteGate: Sendable {
    private struct State {
        var inside = 0
        var maxInside = 0
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var watchers: [(Int, CheckedContinuation<Void, Never>)] = []
    }

    private let state = LockedValue(State())

    public init() {}

    public var maxInside: Int { state.withLock { $0.maxInside } }

    public func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
                state.inside += 1
                state.maxInside = max(state.maxInside, state.inside)
                let reached = state.watchers.filter { state.inside >= $0.0 }.map(\.1)
                state.watchers.removeAll { state.inside >= $0.0 }
                if state.isOpen { return reached + [continuation] }
                state.waiting.append(continuation)
                return reached
            }
            for waiter in ready { waiter.resume() }
        }
    }

    public func leaveSync() { state.withLock { $0.inside -= 1 } }

    /// Returns once `count` writes are inside at the same time.
    public func waitUntilInside(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let already = state.withLock { state -> Bool in
                if state.inside >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if already { continuation.resume() }
        }
    }

    public func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiting { waiter.resume() }
    }
}
