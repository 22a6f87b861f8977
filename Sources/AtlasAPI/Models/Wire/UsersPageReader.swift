#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a `listOrgUsers` page straight from the body's bytes into ``OrgUser`` values, with exactly the
/// meaning `JSONDecoder` gives it through ``WirePage``, ``WireOrgUser`` and ``WireCloudAppUser`` (which
/// stay the reference and the fallback): the generic Codable path spends most of a large listing's
/// client time in retains and metadata look-ups (`Benchmarks/RESULTS.md`).
///
/// It answers nil whenever it is not sure to give `JSONDecoder`'s answer: anything `JSONBytes` doubts,
/// a body `JSONDecoder` would refuse (a missing or bad id, a wrong-typed required field), a key given
/// twice, a number `totalCount` is not a plain count. The caller then decodes with `JSONDecoder`, so
/// odd and hostile bodies get today's result or today's error.
enum UsersPageReader {
    static func contents(
        of body: Data, version: APIVersion, orgId: String
    ) -> ResponseDecoding.UsersPageContents? {
        body.withUnsafeBytes { bytes in
            var reader = JSONBytes(bytes)
            return try? reader.usersPage(version: version, orgId: orgId)
        }
    }
}

extension JSONBytes {
    /// `WirePage`: `results` strict (null or absent is empty), `totalCount` and `links` lenient.
    fileprivate mutating func usersPage(
        version: APIVersion, orgId: String
    ) throws(JSONDoubt) -> ResponseDecoding.UsersPageContents {
        var seen = SeenKeys()
        var users: [OrgUser] = []
        var totalCount: Int?
        var nextLink: String??
        try beginObject()
        var isFirst = true
        while let key = try nextKey(&isFirst) {
            if self.key(key, is: "results") {
                try seen.insert(0)
                if try consumeNull() { continue }
                try beginArray()
                var isFirstUser = true
                while try nextElement(&isFirstUser) {
                    users.append(try version == .v20230101 ? cloudAppUser(orgId: orgId) : orgUser())
                }
            } else if self.key(key, is: "totalCount") {
                try seen.insert(1)
                let byte = try peek()
                if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    totalCount = try plainCount()
                } else {
                    try skipValue()
                }
            } else if self.key(key, is: "links") {
                try seen.insert(2)
                nextLink = try linksNext()
            } else {
                try skipValue()
            }
        }
        try expectEnd()
        return ResponseDecoding.UsersPageContents(users: users, totalCount: totalCount, nextLink: nextLink ?? nil)
    }

    /// `links` as `(try? decodeIfPresent([WireLink].self)) ?? []` then `nextLink` read it: the `href` of
    /// the first link whose `rel` is `next` (`.some(nil)` when that link has no `href`), nil when none is.
    private mutating func linksNext() throws(JSONDoubt) -> String?? {
        guard try peek() == UInt8(ascii: "[") else {
            try skipValue()
            return nil
        }
        try beginArray()
        var next: String??
        var wellTyped = true
        var isFirst = true
        while try nextElement(&isFirst) {
            guard try peek() == UInt8(ascii: "{") else {
                wellTyped = false
                try skipValue(depth: 1)
                continue
            }
            try beginObject()
            var seen = SeenKeys()
            var href: String?
            var rel: String?
            var isFirstKey = true
            while let key = try nextKey(&isFirstKey) {
                if self.key(key, is: "href") {
                    try seen.insert(0)
                    href = try lenientOptionalString(&wellTyped)
                } else if self.key(key, is: "rel") {
                    try seen.insert(1)
                    rel = try lenientOptionalString(&wellTyped)
                } else {
                    try skipValue(depth: 2)
                }
            }
            if next == nil, rel == "next" { next = .some(href) }
        }
        return wellTyped ? next : nil
    }

    /// A synthesized `decodeIfPresent(String.self)` inside a leniently read container: null is nil, a
    /// string is itself, anything else fails the container (`wellTyped` becomes false).
    private mutating func lenientOptionalString(_ wellTyped: inout Bool) throws(JSONDoubt) -> String? {
        if try consumeNull() { return nil }
        if try atString() { return try string() }
        wellTyped = false
        try skipValue(depth: 2)
        return nil
    }

    /// The date that is next, as `lenientDate` reads it: nil for anything but a readable string.
    private mutating func optionalDate() throws(JSONDoubt) -> Date? {
        guard try atString() else {
            try skipValue()
            return nil
        }
        let raw = try rawString()
        if let plain = raw.plain {
            let text = UnsafeRawBufferPointer(rebasing: bytes[plain])
            if let date = LenientDate.commonForm(text) { return date }
            return LenientDate.parse(String(decoding: text, as: UTF8.self))
        }
        return LenientDate.parse(String(decoding: raw.decoded, as: UTF8.self))
    }

    /// An id as `decodeAtlasID` takes it; anything else is `JSONDecoder`'s error to give.
    private mutating func atlasID() throws(JSONDoubt) -> String {
        let id = try string()
        guard AtlasID.isValid(id) else { throw JSONDoubt() }
        return id
    }

    /// `WireOrgUser` (2025-02-19).
    private mutating func orgUser() throws(JSONDoubt) -> OrgUser {
        try beginObject()
        var seen = SeenKeys()
        var id: String?
        var username: String?
        var status = MembershipStatus.active
        var roles: (orgRoles: [OrgRole]?, projectRoles: [ProjectRoles]?)?
        var user = OrgUser(id: "", username: "", orgRoles: [])
        var isFirst = true
        while let key = try nextKey(&isFirst) {
            switch bytes[key.lowerBound] {
            case UInt8(ascii: "i") where self.key(key, is: "id"):
                try seen.insert(0)
                id = try atlasID()
            case UInt8(ascii: "u") where self.key(key, is: "username"):
                try seen.insert(1)
                username = try string()
            case UInt8(ascii: "o") where self.key(key, is: "orgMembershipStatus"):
                try seen.insert(2)
                if !(try consumeNull()) { status = MembershipStatus(rawValue: try string()) }
            case UInt8(ascii: "r") where self.key(key, is: "roles"):
                try seen.insert(3)
                roles = try userRoles()
            case UInt8(ascii: "t") where self.key(key, is: "teamIds"):
                try seen.insert(4)
                user.teamIds = try optionalStrings() ?? []
            case UInt8(ascii: "f") where self.key(key, is: "firstName"):
                try seen.insert(5)
                user.firstName = try optionalString()
            case UInt8(ascii: "l") where self.key(key, is: "lastName"):
                try seen.insert(6)
                user.lastName = try optionalString()
            case UInt8(ascii: "c") where self.key(key, is: "country"):
                try seen.insert(7)
                user.country = try optionalString()
            case UInt8(ascii: "c") where self.key(key, is: "createdAt"):
                try seen.insert(8)
                user.createdAt = try optionalDate()
            case UInt8(ascii: "l") where self.key(key, is: "lastAuth"):
                try seen.insert(9)
                user.lastAuth = try optionalDate()
            case UInt8(ascii: "i") where self.key(key, is: "invitationCreatedAt"):
                try seen.insert(10)
                user.invitationCreatedAt = try optionalDate()
            case UInt8(ascii: "i") where self.key(key, is: "invitationExpiresAt"):
                try seen.insert(11)
                user.invitationExpiresAt = try optionalDate()
            case UInt8(ascii: "i") where self.key(key, is: "inviterUsername"):
                try seen.insert(12)
                user.inviterUsername = try optionalString()
            default:
                try skipValue(depth: 1)
            }
        }
        guard let id, let username else { throw JSONDoubt() }
        user.id = id
        user.username = username
        user.status = status
        user.orgRoles = Set(roles?.orgRoles ?? [])
        user.projectRoles = roles?.projectRoles ?? []
        return user
    }

    /// `roles` as `(try? decodeIfPresent(Roles.self)) ?? nil` reads it: nil when it is null, not an
    /// object, or anything inside has the wrong type.
    private mutating func userRoles() throws(JSONDoubt) -> (orgRoles: [OrgRole]?, projectRoles: [ProjectRoles]?)? {
        guard try peek() == UInt8(ascii: "{") else {
            try skipValue()
            return nil
        }
        try beginObject()
        var seen = SeenKeys()
        var wellTyped = true
        var orgRoles: [OrgRole]?
        var projectRoles: [ProjectRoles]?
        var isFirst = true
        while let key = try nextKey(&isFirst) {
            if self.key(key, is: "orgRoles") {
                try seen.insert(0)
                orgRoles = try strictStrings(&wellTyped)?.map(OrgRole.init(rawValue:))
            } else if self.key(key, is: "groupRoleAssignments") {
                try seen.insert(1)
                projectRoles = try assignments(&wellTyped)
            } else {
                try skipValue(depth: 2)
            }
        }
        return wellTyped ? (orgRoles, projectRoles) : nil
    }

    /// `[Assignment]?` inside `Roles`: each an object with a string `groupId` and optional `groupRoles`.
    private mutating func assignments(_ wellTyped: inout Bool) throws(JSONDoubt) -> [ProjectRoles]? {
        if try consumeNull() { return nil }
        guard try peek() == UInt8(ascii: "[") else {
            wellTyped = false
            try skipValue(depth: 2)
            return nil
        }
        try beginArray()
        var projectRoles: [ProjectRoles] = []
        var isFirst = true
        while try nextElement(&isFirst) {
            guard try peek() == UInt8(ascii: "{") else {
                wellTyped = false
                try skipValue(depth: 3)
                continue
            }
            try beginObject()
            var seen = SeenKeys()
            var groupId: String?
            var groupRoles: [String]?
            var isFirstKey = true
            while let key = try nextKey(&isFirstKey) {
                if self.key(key, is: "groupId") {
                    try seen.insert(0)
                    if try atString() {
                        groupId = try string()
                    } else {
                        wellTyped = false
                        try skipValue(depth: 4)
                    }
                } else if self.key(key, is: "groupRoles") {
                    try seen.insert(1)
                    groupRoles = try strictStrings(&wellTyped)
                } else {
                    try skipValue(depth: 4)
                }
            }
            guard let groupId else {
                wellTyped = false
                continue
            }
            projectRoles.append(ProjectRoles(projectId: groupId, roles: groupRoles ?? []))
        }
        return projectRoles
    }

    /// A synthesized `decodeIfPresent([String].self)` inside a leniently read container: null is nil,
    /// anything but an array of strings fails the container.
    private mutating func strictStrings(_ wellTyped: inout Bool) throws(JSONDoubt) -> [String]? {
        if try consumeNull() { return nil }
        guard let strings = try optionalStrings() else {
            wellTyped = false
            return nil
        }
        return strings
    }

    /// `WireCloudAppUser` (2023-01-01), with this organization's roles.
    private mutating func cloudAppUser(orgId: String) throws(JSONDoubt) -> OrgUser {
        try beginObject()
        var seen = SeenKeys()
        var id: String?
        var username: String?
        var emailAddress: String??
        var firstName: String?
        var lastName: String?
        var country: String?
        var createdAt: Date?
        var lastAuth: Date?
        var teamIds: [String] = []
        var roles: [WireCloudAppUser.RoleAssignment] = []
        var isFirst = true
        while let key = try nextKey(&isFirst) {
            if self.key(key, is: "id") {
                try seen.insert(0)
                id = try atlasID()
            } else if self.key(key, is: "username") {
                try seen.insert(1)
                username = try optionalString()
            } else if self.key(key, is: "emailAddress") {
                try seen.insert(2)
                emailAddress = .some(try optionalString())
            } else if self.key(key, is: "firstName") {
                try seen.insert(3)
                firstName = try optionalString()
            } else if self.key(key, is: "lastName") {
                try seen.insert(4)
                lastName = try optionalString()
            } else if self.key(key, is: "country") {
                try seen.insert(5)
                country = try optionalString()
            } else if self.key(key, is: "createdAt") {
                try seen.insert(6)
                createdAt = try optionalDate()
            } else if self.key(key, is: "lastAuth") {
                try seen.insert(7)
                lastAuth = try optionalDate()
            } else if self.key(key, is: "teamIds") {
                try seen.insert(8)
                teamIds = try optionalStrings() ?? []
            } else if self.key(key, is: "roles") {
                try seen.insert(9)
                roles = try roleAssignments() ?? []
            } else {
                try skipValue(depth: 1)
            }
        }
        // The username, else the deprecated emailAddress, which must then be a string.
        guard let id, let name = username ?? emailAddress ?? nil else { throw JSONDoubt() }
        return WireCloudAppUser(
            id: id, username: name, firstName: firstName, lastName: lastName, country: country,
            createdAt: createdAt, lastAuth: lastAuth, teamIds: teamIds, roles: roles
        ).user(inOrganization: orgId)
    }

    /// `roles` of a `CloudAppUser`: nil unless an array of objects whose fields are strings or null.
    private mutating func roleAssignments() throws(JSONDoubt) -> [WireCloudAppUser.RoleAssignment]? {
        guard try peek() == UInt8(ascii: "[") else {
            try skipValue()
            return nil
        }
        try beginArray()
        var roles: [WireCloudAppUser.RoleAssignment] = []
        var wellTyped = true
        var isFirst = true
        while try nextElement(&isFirst) {
            guard try peek() == UInt8(ascii: "{") else {
                wellTyped = false
                try skipValue(depth: 2)
                continue
            }
            try beginObject()
            var seen = SeenKeys()
            var role = WireCloudAppUser.RoleAssignment()
            var isFirstKey = true
            while let key = try nextKey(&isFirstKey) {
                if self.key(key, is: "orgId") {
                    try seen.insert(0)
                    role.orgId = try lenientOptionalString(&wellTyped)
                } else if self.key(key, is: "groupId") {
                    try seen.insert(1)
                    role.groupId = try lenientOptionalString(&wellTyped)
                } else if self.key(key, is: "roleName") {
                    try seen.insert(2)
                    role.roleName = try lenientOptionalString(&wellTyped)
                } else {
                    try skipValue(depth: 3)
                }
            }
            roles.append(role)
        }
        return wellTyped ? roles : nil
    }
}

/// The known keys an object has given so far: a second one is doubted (which of the two `JSONDecoder`
/// keeps is its business).
private struct SeenKeys {
    private var bits: UInt32 = 0

    mutating func insert(_ key: Int) throws(JSONDoubt) {
        let bit: UInt32 = 1 << key
        guard bits & bit == 0 else { throw JSONDoubt() }
        bits |= bit
    }
}
