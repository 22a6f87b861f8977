import ArgumentParser
import AtlasAPI
import RoleEditor

/// Parses role and status names as people type them on the command line, as the screen's filter
/// reads them (``RoleSpelling``).
///
/// `ORG_BILLING_ADMIN`, `billing-admin`, `"Organization Billing Admin"` and `BA` all mean the same
/// role; a comma-separated list counts as several (`--role ORG_MEMBER,ORG_READ_ONLY`). Unknown or
/// ambiguous names are refused with the known ones rather than sent for the API to reject.
enum RoleNames {
    static func parseRoles(_ arguments: [String], option: String) throws(ValidationError) -> [OrgRole] {
        var roles: [OrgRole] = []
        for argument in arguments {
            for part in argument.split(separator: ",") {
                let role = try parseRole(String(part), option: option)
                if !roles.contains(role) { roles.append(role) }
            }
        }
        return roles
    }

    static func parseRole(_ text: String, option: String) throws(ValidationError) -> OrgRole {
        let resolution = RoleSpelling.role(text)
        if case .found(let role) = resolution { return role }
        let reason =
            RoleSpelling.message(
                for: resolution, kind: "role", typed: text, describe: { RoleSpelling.consoleName($0) }) ?? ""
        let known = OrgRole.known.map(\.rawValue).joined(separator: ", ")
        throw ValidationError("\(option): \(reason); the organization roles are \(known)")
    }

    static var statuses: [MembershipStatus] { RoleSpelling.statuses }

    static func parseStatuses(_ arguments: [String]) throws(ValidationError) -> [MembershipStatus] {
        var result: [MembershipStatus] = []
        for argument in arguments {
            for part in argument.split(separator: ",") {
                let resolution = RoleSpelling.status(String(part))
                guard case .found(let status) = resolution else {
                    let reason =
                        RoleSpelling.message(for: resolution, kind: "status", typed: String(part), describe: \.rawValue)
                        ?? ""
                    let known = statuses.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("--status: \(reason); expected one of \(known)")
                }
                if !result.contains(status) { result.append(status) }
            }
        }
        return result
    }
}
