import ArgumentParser
import AtlasAPI

/// Parses role and status names as people type them on the command line.
///
/// `ORG_BILLING_ADMIN`, `billing_admin`, `billing-admin` and `org_billing_admin` all mean the same role;
/// a comma-separated list counts as several (`--role ORG_MEMBER,ORG_READ_ONLY`). Unknown names are
/// refused with the list of known ones rather than sent for the API to reject.
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
        var name = normalized(text)
        if !name.hasPrefix("ORG_") { name = "ORG_" + name }
        let role = OrgRole(rawValue: name)
        guard role.isKnown else {
            let known = OrgRole.known.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("\(option): unknown role '\(text)'; the organization roles are \(known)")
        }
        return role
    }

    static let statuses: [MembershipStatus] = [.active, .pending, .invitationExpired, .invitationRejected]

    static func parseStatuses(_ arguments: [String]) throws(ValidationError) -> [MembershipStatus] {
        var result: [MembershipStatus] = []
        for argument in arguments {
            for part in argument.split(separator: ",") {
                let status = MembershipStatus(rawValue: normalized(String(part)))
                guard statuses.contains(status) else {
                    let known = statuses.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("--status: unknown status '\(part)'; expected one of \(known)")
                }
                if !result.contains(status) { result.append(status) }
            }
        }
        return result
    }

    private static func normalized(_ text: String) -> String {
        text.trimmingWhitespace().uppercased().replacing("-", with: "_").replacing(" ", with: "_")
    }
}
