import AtlasAPI

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

/// Some users of a ``UserStore`` (rows into it), each built as an `OrgUser` only when read.
public struct UserSelection: RandomAccessCollection, Sendable {
    let store: UserStore
    let rows: [Int]

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows.count }
    public subscript(position: Int) -> OrgUser { store[rows[position]] }
}

/// Every loaded user of the organization, kept column by column so that 100,000 users fit in a small
/// fraction of what an `[OrgUser]` costs (five heap objects per user: strings, a role set, and the
/// search keys); `Benchmarks/RESULTS.md` has the measured figures.
///
/// The strings of a user (id, username, names, country, inviter, team ids) are one ``UserRecord`` in a
/// single byte buffer; roles and status are bit codes; dates are doubles; the folded search text
/// (`email \u{1} first last`) of every user lives back to back in a second buffer that the filter
/// scans without allocating. Ids are found through a ``UserIdTable``. An `OrgUser` is built only when
/// asked for (the screen asks for the rows it draws).
///
/// Lossless: `store[i]` equals the user that was stored, unknown roles and statuses included; only
/// project roles are not kept (the checklist reads them for the one user it shows).
public struct UserStore: Sendable, RandomAccessCollection {
    public typealias Element = OrgUser
    public typealias Index = Int

    // MARK: Columns (one entry per user)

    /// Start of each user's record in ``records``.
    private var recordStart: [UInt32] = []
    /// Which optional strings are present (``UserRecord/Present``): nil and "" stay distinct.
    private var present: [UInt8] = []
    /// Index into ``knownStatuses`` or ``otherStatusCode``.
    private var statusCode: [UInt8] = []
    /// Bit `i` for each `OrgRole.known[i]` held, ``unknownRoleBit`` when any other role is held.
    private(set) var roleBits: [UInt8] = []
    /// See ``UserRecord/seconds(_:)``: NaN for nil.
    private var createdAt: [Double] = []
    private var lastAuth: [Double] = []
    private var invitationCreatedAt: [Double] = []
    private var invitationExpiresAt: [Double] = []
    /// Folded search text of user `i`: `searchText[searchStart[i]..<searchEnd[i]]`; the email is the
    /// part before `emailEnd[i]`, the display name the part after it (past the separator byte).
    private(set) var searchStart: [UInt32] = []
    private(set) var emailEnd: [UInt32] = []
    private(set) var searchEnd: [UInt32] = []

    // MARK: Shared buffers and side tables

    private(set) var records: [UInt8] = []
    private(set) var searchText: [UInt8] = []
    private var idTable = UserIdTable()
    /// Roles this program does not know, by user (rare: only users holding one have an entry).
    private var unknownRoles: [Int: [OrgRole]] = [:]
    /// Statuses this program does not know, by user.
    private var otherStatuses: [Int: String] = [:]
    /// The user count last passed to ``reserveCapacity(_:)``.
    private var reservedUsers = 0
    /// Changes with every user stored or replaced (see ``Revision``): what caches of derived values key on.
    private(set) var revision = Revision.next()

    static let unknownRoleBit: UInt8 = 0x80
    static let knownStatuses: [MembershipStatus] = [.active, .pending, .invitationExpired, .invitationRejected]
    static let otherStatusCode: UInt8 = 0xFF

    public init() {}

    /// A store holding `users` (a later duplicate id replaces the earlier user).
    public init(_ users: some Sequence<OrgUser>) {
        for user in users { upsert(user) }
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { recordStart.count }

    /// The user at `index`, built from the columns.
    public subscript(index: Int) -> OrgUser {
        let strings = UserRecord.decode(
            records, at: Int(recordStart[index]), present: UserRecord.Present(rawValue: present[index]))
        return OrgUser(
            id: strings.id, username: strings.username, firstName: strings.firstName, lastName: strings.lastName,
            status: status(at: index), orgRoles: orgRoles(at: index), teamIds: strings.teamIds,
            country: strings.country, createdAt: UserRecord.date(createdAt[index]),
            lastAuth: UserRecord.date(lastAuth[index]),
            invitationCreatedAt: UserRecord.date(invitationCreatedAt[index]),
            invitationExpiresAt: UserRecord.date(invitationExpiresAt[index]),
            inviterUsername: strings.inviterUsername)
    }

    // MARK: Single columns (no OrgUser built)

    /// The id of the user at `index`.
    public func id(at index: Int) -> String {
        let range = idRange(at: index)
        return records.withUnsafeBufferPointer { String(decoding: $0[range], as: UTF8.self) }
    }

    /// The bytes of the id of the user at `index` in ``records``.
    func idRange(at index: Int) -> Range<Int> {
        UserRecord.idRange(records, at: Int(recordStart[index]))
    }

    public func status(at index: Int) -> MembershipStatus {
        let code = statusCode[index]
        return code == Self.otherStatusCode ? .other(otherStatuses[index] ?? "") : Self.knownStatuses[Int(code)]
    }

    public func orgRoles(at index: Int) -> Set<OrgRole> {
        var roles = Set<OrgRole>()
        let bits = roleBits[index]
        for (bit, role) in OrgRole.known.enumerated() where bits & (1 << bit) != 0 { roles.insert(role) }
        if bits & Self.unknownRoleBit != 0 { roles.formUnion(unknownRoles[index] ?? []) }
        return roles
    }

    /// True when the user at `index` holds `role`.
    public func holds(_ role: OrgRole, at index: Int) -> Bool {
        if let bit = Self.bitByRole[role] { return roleBits[index] & bit != 0 }
        return unknownRoles[index]?.contains(role) ?? false
    }

    /// The known roles of `roles` as bits (bit `i` for `OrgRole.known[i]`), unknown ones as ``unknownRoleBit``.
    static func bits(of roles: Set<OrgRole>) -> UInt8 {
        roles.reduce(0) { bits, role in bits | (bitByRole[role] ?? unknownRoleBit) }
    }

    /// The bit of each known role: one hash instead of comparing names against all seven, which a
    /// checklist over 80,000 edits does twice per edit on every key.
    static let bitByRole: [OrgRole: UInt8] = Dictionary(
        uniqueKeysWithValues: OrgRole.known.enumerated().map { ($1, UInt8(1) << $0) })

    /// True when the user at `index` is ACTIVE.
    func isActive(_ index: Int) -> Bool { statusCode[index] == 0 }

    /// The status as a bit among ``knownStatuses`` (0 for any other), for the filter's masks.
    func statusBit(at index: Int) -> UInt8 {
        let code = statusCode[index]
        return code == Self.otherStatusCode ? 0 : 1 << code
    }

    /// Position of the most privileged role held: 0 for owners, 7 for unknown roles only, 8 for none
    /// (the roles sort's order).
    func roleRank(at index: Int) -> Int {
        let known = roleBits[index] & ~Self.unknownRoleBit
        if known != 0 { return known.trailingZeroBitCount }
        return roleBits[index] != 0 ? OrgRole.known.count : OrgRole.known.count + 1
    }

    /// True when the folded email or name of user `index` contains `word` (folded).
    func searchTextContains(_ word: [UInt8], at index: Int) -> Bool {
        searchText.withUnsafeBufferPointer { text in
            word.withUnsafeBufferPointer { word in
                TextFolding.contains(
                    UnsafeBufferPointer(rebasing: text[Int(searchStart[index])..<Int(searchEnd[index])]), word)
            }
        }
    }

    /// Seconds of the last login and of the membership's start (NaN when none), as filters compare them.
    func lastAuthSeconds(at index: Int) -> Double { lastAuth[index] }
    func createdSeconds(at index: Int) -> Double { createdAt[index] }

    /// Seconds of the last login, `-infinity` when never (most recent first sorts descending).
    func lastAuthKey(at index: Int) -> Double {
        let value = lastAuth[index]
        return value.isNaN ? -.infinity : value
    }

    // MARK: Finding users

    /// The row number of the user with id `id`.
    public func index(ofId id: String) -> Int? {
        var id = id
        return id.withUTF8 { key in
            idTable.row(ofId: key) { row in
                let range = idRange(at: row)
                guard range.count == key.count else { return false }
                return range.isEmpty
                    || records.withUnsafeBufferPointer {
                        memcmp($0.baseAddress! + range.lowerBound, key.baseAddress!, key.count) == 0
                    }
            }
        }
    }

    // MARK: Changing

    /// Reserves room for `count` users in total, so loading a known number of users allocates each
    /// column once instead of doubling it (a doubling briefly holds both copies: the peak, not the
    /// average, is what a terminal host sees). The byte buffers are sized from the users so far.
    public mutating func reserveCapacity(_ count: Int) {
        // Once per size: every page repeats the server's count, and re-reserving the byte buffers
        // from a drifting average would copy them page after page.
        guard count > self.count, count > reservedUsers else { return }
        reservedUsers = count
        recordStart.reserveCapacity(count)
        present.reserveCapacity(count)
        statusCode.reserveCapacity(count)
        roleBits.reserveCapacity(count)
        createdAt.reserveCapacity(count)
        lastAuth.reserveCapacity(count)
        invitationCreatedAt.reserveCapacity(count)
        invitationExpiresAt.reserveCapacity(count)
        searchStart.reserveCapacity(count)
        emailEnd.reserveCapacity(count)
        searchEnd.reserveCapacity(count)
        // An eighth more than the average so far, for the users still to come.
        let recordBytes = isEmpty ? 96 : records.count / self.count * 9 / 8 + 1
        let searchBytes = isEmpty ? 48 : searchText.count / self.count * 9 / 8 + 1
        if records.capacity < count * recordBytes { records.reserveCapacity(count * recordBytes) }
        if searchText.capacity < count * searchBytes { searchText.reserveCapacity(count * searchBytes) }
        if idTable.slotCount < count * 2 { rebuildIdTable(minimumSlots: count * 2) }
    }

    /// Stores `user`: in place of the user with the same id when there is one, else as a new row.
    /// Every place that takes users from the server (a page, a re-read, a write's answer) goes through
    /// here, so a user seen twice is one row.
    @discardableResult
    public mutating func upsert(_ user: OrgUser) -> (row: Int, isNew: Bool) {
        if let index = index(ofId: user.id) {
            replace(at: index, with: user)
            return (index, false)
        }
        return (append(user), true)
    }

    /// Adds a user whose id is not in the store yet; returns its row number.
    @discardableResult
    public mutating func append(_ user: OrgUser) -> Int {
        let index = count
        recordStart.append(0)
        present.append(0)
        statusCode.append(0)
        roleBits.append(0)
        createdAt.append(.nan)
        lastAuth.append(.nan)
        invitationCreatedAt.append(.nan)
        invitationExpiresAt.append(.nan)
        searchStart.append(0)
        emailEnd.append(0)
        searchEnd.append(0)
        store(user, at: index, isNew: true)
        if idTable.slotCount < count * 2 {
            // Inserts every user, this one included.
            rebuildIdTable(minimumSlots: Swift.max(1024, idTable.slotCount * 2))
        } else {
            insertId(of: index)
        }
        return index
    }

    /// Replaces the user at `index` (same id) after a write or a re-read. Its new record is appended;
    /// the old bytes stay unused (replacements are a handful per apply, a reload starts afresh).
    public mutating func replace(at index: Int, with user: OrgUser) {
        precondition(user.id == id(at: index), "replace(at:with:) keeps the user's id")
        store(user, at: index, isNew: false)
    }

    private mutating func store(_ user: OrgUser, at index: Int, isNew: Bool) {
        revision = Revision.next()
        // A replace that changes only roles, status or dates (the common one) keeps the old record.
        let record = UserRecord.encode(user)
        if isNew || !records[UserRecord.recordRange(records, at: Int(recordStart[index]))].elementsEqual(record) {
            recordStart[index] = UInt32(records.count)
            records.append(contentsOf: record)
        }
        present[index] = UserRecord.Present(of: user).rawValue

        if let code = Self.knownStatuses.firstIndex(of: user.status) {
            statusCode[index] = UInt8(code)
            otherStatuses[index] = nil
        } else {
            statusCode[index] = Self.otherStatusCode
            otherStatuses[index] = user.status.rawValue
        }

        var bits: UInt8 = 0
        var unknown: [OrgRole] = []
        for role in user.orgRoles {
            if let bit = Self.bitByRole[role] { bits |= bit } else { unknown.append(role) }
        }
        if !unknown.isEmpty { bits |= Self.unknownRoleBit }
        roleBits[index] = bits
        unknownRoles[index] = unknown.isEmpty ? nil : unknown.sorted()

        createdAt[index] = UserRecord.seconds(user.createdAt)
        lastAuth[index] = UserRecord.seconds(user.lastAuth)
        invitationCreatedAt[index] = UserRecord.seconds(user.invitationCreatedAt)
        invitationExpiresAt[index] = UserRecord.seconds(user.invitationExpiresAt)

        let (email, name) = UserSearchKeys.foldedParts(of: user)
        let start = Int(searchStart[index])
        let end = Int(searchEnd[index])
        let unchanged =
            !isNew && end - start == email.count + 1 + name.count && Int(emailEnd[index]) - start == email.count
            && searchText[start..<Int(emailEnd[index])].elementsEqual(email)
            && searchText[Int(emailEnd[index]) + 1..<end].elementsEqual(name)
        if !unchanged {
            searchStart[index] = UInt32(searchText.count)
            searchText.append(contentsOf: email)
            emailEnd[index] = UInt32(searchText.count)
            searchText.append(1)
            searchText.append(contentsOf: name)
            searchEnd[index] = UInt32(searchText.count)
        }
    }

    // MARK: Id table

    private mutating func rebuildIdTable(minimumSlots: Int) {
        idTable.reset(minimumSlots: minimumSlots)
        for index in 0..<count { insertId(of: index) }
    }

    private mutating func insertId(of index: Int) {
        let range = idRange(at: index)
        let records = self.records
        records.withUnsafeBufferPointer { buffer in
            idTable.insert(index, id: UnsafeBufferPointer(rebasing: buffer[range]))
        }
    }
}
