#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--state FILE`: the role state of every user, as JSON, written atomically after each change.
///
/// Only roles, group assignments and teams are kept, with the users removed and the users invited
/// through the API; the generated users themselves are regenerated from the seed,
/// so a state file is meant for the same seed and sizes it was written with (unknown ids are ignored).
struct StateFile: Sendable {
    let path: String

    /// Applies a saved state; a missing file is a fresh start, an unreadable one an error.
    func load(into organizations: inout [SandboxOrganization]) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard let data = FileManager.default.contents(atPath: path), let document = JSONValue.parse(data),
            case .object(let orgs)? = document["organizations"]
        else {
            throw SandboxStartError(description: "the state file \(path) is not a sandbox state document")
        }
        for (orgId, usersValue) in orgs {
            guard let org = organizations.firstIndex(where: { $0.id == orgId }), case .object(let users) = usersValue
            else { continue }
            for (userId, saved) in users {
                guard let index = organizations[org].indexById[userId] else { continue }
                let roles = OrgRoleName.canonical(saved["orgRoles"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                if !roles.isEmpty { organizations[org].setOrgRoles(roles, at: index) }
                let teams = saved["teamIds"]?.arrayValue?.compactMap(\.stringValue)
                let assignments = saved["groupRoleAssignments"]?.arrayValue?.compactMap(GroupRoleAssignment.init(json:))
                organizations[org].setMembership(groupRoleAssignments: assignments, teamIds: teams, at: index)
            }
        }
        if case .object(let removals)? = document["removedUsers"] {
            for (orgId, ids) in removals {
                guard let org = organizations.firstIndex(where: { $0.id == orgId }) else { continue }
                for id in ids.arrayValue?.compactMap(\.stringValue) ?? [] {
                    if let index = organizations[org].indexById[id] { organizations[org].removeUser(at: index) }
                }
            }
        }
        if case .object(let invitations)? = document["invitedUsers"] {
            for (orgId, users) in invitations {
                guard let org = organizations.firstIndex(where: { $0.id == orgId }) else { continue }
                for saved in users.arrayValue ?? [] {
                    guard let user = SandboxUser(invitation: saved),
                        organizations[org].indexById[user.id] == nil,
                        organizations[org].indexByUsername[user.username.lowercased()] == nil
                    else { continue }
                    organizations[org].appendInvitation(user)
                }
            }
        }
    }

    /// Writes the changed users' roles to a temporary file beside the target, then renames it over the target.
    func save(_ organizations: [SandboxOrganization]) throws {
        let document: JSONValue = .object([
            ("format", .string("atlas-sandbox-state/1")),
            (
                "organizations",
                .object(
                    organizations.map { org in
                        (
                            org.id,
                            .object(
                                org.changedUserIds.sorted().compactMap { org.indexById[$0].map { org.users[$0] } }.map {
                                    user in
                                    (
                                        user.id,
                                        .object([
                                            ("orgRoles", .array(user.orgRoles.map(JSONValue.string))),
                                            ("teamIds", .array(user.teamIds.map(JSONValue.string))),
                                            (
                                                "groupRoleAssignments",
                                                .array(
                                                    user.groupRoleAssignments.map {
                                                        .object([
                                                            ("groupId", .string($0.groupId)),
                                                            ("groupRoles", .array($0.groupRoles.map(JSONValue.string))),
                                                        ])
                                                    })
                                            ),
                                        ])
                                    )
                                })
                        )
                    })
            ),
            (
                "removedUsers",
                .object(organizations.map { ($0.id, .array($0.removedUserIds.sorted().map(JSONValue.string))) })
            ),
            (
                "invitedUsers",
                .object(organizations.map { ($0.id, .array($0.invitedUsers.map(\.invitationJSON))) })
            ),
        ])
        let temporary = path + ".tmp-\(getpid())"
        try Data(document.serialized().utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw SandboxStartError(description: "cannot rename \(temporary) to \(path): errno \(errno)")
        }
    }
}

extension SandboxUser {
    /// An invited user as a state file keeps it.
    var invitationJSON: JSONValue {
        .object([
            ("id", .string(id)), ("username", .string(username)), ("status", .string(status.rawValue)),
            ("invitationCreatedAt", .string(createdAt)),
            ("invitationExpiresAt", invitationExpiresAt.map(JSONValue.string) ?? .null),
            ("inviterUsername", inviterUsername.map(JSONValue.string) ?? .null),
            ("orgRoles", .array(orgRoles.map(JSONValue.string))),
            ("teamIds", .array(teamIds.map(JSONValue.string))),
            (
                "groupRoleAssignments",
                .array(groupRoleAssignments.map(\.json))
            ),
        ])
    }

    /// The invited user a state file kept; nil for an entry that is not one.
    init?(invitation value: JSONValue) {
        guard let id = value["id"]?.stringValue, SandboxState.isObjectId(id),
            let username = value["username"]?.stringValue,
            let status = value["status"]?.stringValue.flatMap(MembershipStatus.init(rawValue:)),
            let createdAt = value["invitationCreatedAt"]?.stringValue
        else { return nil }
        let roles = OrgRoleName.canonical(value["orgRoles"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        guard !roles.isEmpty else { return nil }
        self.init(
            id: id, username: username, firstName: "", lastName: "", status: status, country: "", mobileNumber: "",
            createdAt: createdAt, lastAuth: nil, invitationId: nil,
            invitationExpiresAt: value["invitationExpiresAt"]?.stringValue,
            inviterUsername: value["inviterUsername"]?.stringValue, orgRoles: roles,
            groupRoleAssignments: value["groupRoleAssignments"]?.arrayValue?.compactMap(GroupRoleAssignment.init(json:))
                ?? [],
            teamIds: value["teamIds"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}
