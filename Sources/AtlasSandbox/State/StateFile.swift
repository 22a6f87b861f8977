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
/// Only roles, group assignments and teams are kept; users themselves are regenerated from the seed,
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
                let assignments = saved["groupRoleAssignments"]?.arrayValue?.compactMap {
                    item -> GroupRoleAssignment? in
                    guard let groupId = item["groupId"]?.stringValue,
                        let roles = item["groupRoles"]?.arrayValue?.compactMap(\.stringValue)
                    else { return nil }
                    return GroupRoleAssignment(groupId: groupId, groupRoles: roles)
                }
                organizations[org].setMembership(groupRoleAssignments: assignments, teamIds: teams, at: index)
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
                                org.changedUsers.sorted().map { org.users[$0] }.map { user in
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
        ])
        let temporary = path + ".tmp-\(getpid())"
        try Data(document.serialized().utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw SandboxStartError(description: "cannot rename \(temporary) to \(path): errno \(errno)")
        }
    }
}
