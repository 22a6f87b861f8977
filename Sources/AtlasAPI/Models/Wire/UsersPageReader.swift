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
            switch try known(key, &seen) as PageKey? {
            case .results:
                if try consumeNull() { continue }
                try beginArray()
                var isFirstUser = true
                while try nextElement(&isFirstUser) {
                    users.append(try version == .v20230101 ? cloudAppUser(orgId: orgId) : orgUser())
                }
            case .totalCount:
                let byte = try peek()
                if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    totalCount = try plainCount()
                } else {
                    try skipValue()
                }
            case .links:
                nextLink = try linksNext()
            case nil:
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
                switch try known(key, &seen) as LinkKey? {
                case .href: href = try lenientOptionalString(&wellTyped)
                case .rel: rel = try lenientOptionalString(&wellTyped)
                case nil: try skipValue(depth: 2)
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
        let raw = try rawString()
        let text = raw.plain.map { UnsafeRawBufferPointer(rebasing: bytes[$0]) }
        guard let text, AtlasID.isValid(utf8: text) else {
            // Escapes in an id: `decodeAtlasID` judges the decoded text.
            let id = String(decoding: raw.decoded, as: UTF8.self)
            guard raw.plain == nil, AtlasID.isValid(id) else { throw JSONDoubt() }
            return id
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `WireOrgUser` (2025-02-19).
    private mutating func orgUser() throws(JSONDoubt) -> OrgUser {
        try beginObject()
        var seen = SeenKeys()
        var id: String?
        var username: String?
        var status = MembershipStatus.active
        var roles: (orgRoles: [OrgRole]?, projectRoles: [ProjectRoles]?)?
        var teamIds: [String] = []
        var firstName: String?
        var lastName: String?
        var country: String?
        var inviterUsername: String?
        var createdAt: Date?
        var lastAuth: Date?
        var invitationCreatedAt: Date?
        var invitationExpiresAt: Date?
        var isFirst = true
        while let key = try nextKey(&isFirst) {
            switch try known(key, &seen) as OrgUserKey? {
            case .id: id = try atlasID()
            case .username: username = try string()
            case .orgMembershipStatus: if !(try consumeNull()) { status = MembershipStatus(rawValue: try string()) }
            case .roles: roles = try userRoles()
            case .teamIds: teamIds = try optionalStrings() ?? []
            case .firstName: firstName = try optionalString()
            case .lastName: lastName = try optionalString()
            case .country: country = try optionalString()
            case .createdAt: createdAt = try optionalDate()
            case .lastAuth: lastAuth = try optionalDate()
            case .invitationCreatedAt: invitationCreatedAt = try optionalDate()
            case .invitationExpiresAt: invitationExpiresAt = try optionalDate()
            case .inviterUsername: inviterUsername = try optionalString()
            case nil:
                try skipValue(depth: 1)
            }
        }
        guard let id, let username else { throw JSONDoubt() }
        // One initialization from locals: filling a `var OrgUser` field by field copied it about.
        return OrgUser(
            id: id, username: username, firstName: firstName, lastName: lastName, status: status,
            orgRoles: Set(roles?.orgRoles ?? []), teamIds: teamIds, country: country, createdAt: createdAt,
            lastAuth: lastAuth, invitationCreatedAt: invitationCreatedAt, invitationExpiresAt: invitationExpiresAt,
            inviterUsername: inviterUsername, projectRoles: roles?.projectRoles ?? [])
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
            switch try known(key, &seen) as RolesKey? {
            case .orgRoles: orgRoles = try strictStrings(&wellTyped)?.map(OrgRole.init(rawValue:))
            case .groupRoleAssignments: projectRoles = try assignments(&wellTyped)
            case nil: try skipValue(depth: 2)
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
                switch try known(key, &seen) as AssignmentKey? {
                case .groupId:
                    if try atString() {
                        groupId = try string()
                    } else {
                        wellTyped = false
                        try skipValue(depth: 4)
                    }
                case .groupRoles: groupRoles = try strictStrings(&wellTyped)
                case nil: try skipValue(depth: 4)
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
            switch try known(key, &seen) as CloudAppUserKey? {
            case .id: id = try atlasID()
            case .username: username = try optionalString()
            case .emailAddress: emailAddress = .some(try optionalString())
            case .firstName: firstName = try optionalString()
            case .lastName: lastName = try optionalString()
            case .country: country = try optionalString()
            case .createdAt: createdAt = try optionalDate()
            case .lastAuth: lastAuth = try optionalDate()
            case .teamIds: teamIds = try optionalStrings() ?? []
            case .roles: roles = try roleAssignments() ?? []
            case nil: try skipValue(depth: 1)
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
                switch try known(key, &seen) as RoleAssignmentKey? {
                case .orgId: role.orgId = try lenientOptionalString(&wellTyped)
                case .groupId: role.groupId = try lenientOptionalString(&wellTyped)
                case .roleName: role.roleName = try lenientOptionalString(&wellTyped)
                case nil: try skipValue(depth: 3)
                }
            }
            roles.append(role)
        }
        return wellTyped ? roles : nil
    }
}

/// The keys of one wire object the reader reads, spelled as the wire spells them.
private protocol WireKey: RawRepresentable<String>, CaseIterable, Sendable {
    /// `WireKeyTable(Self.self)`, made once: comparing keys through the cases' Strings was a tenth of the
    /// reading, in retains and releases.
    static var table: WireKeyTable<Self> { get }
}

/// Every case of a key enum with its spelling, in declaration order; the spellings one after another
/// in `names`, the i-th ending at `ends[i]`.
private struct WireKeyTable<Key: WireKey>: Sendable {
    let keys: [Key]
    let names: [UInt8]
    let ends: [Int]

    init(_: Key.Type) {
        keys = Array(Key.allCases)
        names = keys.flatMap(\.rawValue.utf8)
        ends = keys.reduce(into: []) { ends, key in ends.append((ends.last ?? 0) + key.rawValue.utf8.count) }
    }
}

private enum PageKey: String, WireKey {
    case results, totalCount, links
    static let table = WireKeyTable(Self.self)
}
private enum LinkKey: String, WireKey {
    case href, rel
    static let table = WireKeyTable(Self.self)
}
private enum OrgUserKey: String, WireKey {
    case id, username, orgMembershipStatus, roles, teamIds, firstName, lastName, country
    case createdAt, lastAuth, invitationCreatedAt, invitationExpiresAt, inviterUsername
    static let table = WireKeyTable(Self.self)
}
private enum RolesKey: String, WireKey {
    case orgRoles, groupRoleAssignments
    static let table = WireKeyTable(Self.self)
}
private enum AssignmentKey: String, WireKey {
    case groupId, groupRoles
    static let table = WireKeyTable(Self.self)
}
private enum CloudAppUserKey: String, WireKey {
    case id, username, emailAddress, firstName, lastName, country, createdAt, lastAuth, teamIds, roles
    static let table = WireKeyTable(Self.self)
}
private enum RoleAssignmentKey: String, WireKey {
    case orgId, groupId, roleName
    static let table = WireKeyTable(Self.self)
}

extension JSONBytes {
    /// The known key that `key` is, noted in `seen`; nil for any other key.
    fileprivate func known<Key: WireKey>(_ key: Range<Int>, _ seen: inout SeenKeys) throws(JSONDoubt) -> Key? {
        let table = Key.table
        return try table.names.withUnsafeBufferPointer { names throws(JSONDoubt) -> Key? in
            var start = 0
            for position in table.ends.indices {
                let end = table.ends[position]
                if self.key(key, is: UnsafeBufferPointer(rebasing: names[start..<end])) {
                    try seen.insert(position)
                    return table.keys[position]
                }
                start = end
            }
            return nil
        }
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
