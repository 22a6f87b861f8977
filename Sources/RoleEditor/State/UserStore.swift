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

/// Every loaded user of the organization, kept column by column so that 100,000 users fit in about
/// 20 MB instead of the ~800 bytes each an `[OrgUser]` costs (five heap objects per user: strings,
/// a role set, and the search keys).
///
/// The strings of a user (id, username, names, country, inviter, team ids) are one record of
/// length-prefixed UTF-8 in a single byte buffer; roles and status are bit codes; dates are doubles;
/// the folded search text (`email \u{1} first last`) of every user lives back to back in a second
/// buffer that the filter scans without allocating. Ids are found through an open-addressing table
/// of row numbers hashed from the id bytes. An `OrgUser` is built only when asked for (the screen
/// asks for the rows it draws).
///
/// Lossless: `store[i]` equals the user that was appended, unknown roles and statuses included.
public struct UserStore: Sendable, RandomAccessCollection {
    public typealias Element = OrgUser
    public typealias Index = Int

    // MARK: Columns (one entry per user)

    /// Start of each user's record in ``records``.
    private var recordStart: [UInt32] = []
    /// Which optional strings are present (``Present``): nil and "" stay distinct.
    private var present: [UInt8] = []
    /// Index into ``knownStatuses`` or ``otherStatusCode``.
    private var statusCode: [UInt8] = []
    /// Bit `i` for each `OrgRole.known[i]` held, ``unknownRoleBit`` when any other role is held.
    private(set) var roleBits: [UInt8] = []
    /// `timeIntervalSinceReferenceDate` (exactly what `Date` stores), NaN for nil.
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

    private var records: [UInt8] = []
    private(set) var searchText: [UInt8] = []
    /// Row numbers by id hash; `-1` is an empty slot. Capacity is a power of two, at most half full.
    private var idSlots: [Int32] = []
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

    private struct Present: OptionSet {
        let rawValue: UInt8
        static let firstName = Present(rawValue: 1)
        static let lastName = Present(rawValue: 2)
        static let country = Present(rawValue: 4)
        static let inviter = Present(rawValue: 8)
    }

    public init() {}

    /// A store holding `users` (a later duplicate id replaces the earlier user).
    public init(_ users: some Sequence<OrgUser>) {
        for user in users {
            if let index = index(ofId: user.id) { replace(at: index, with: user) } else { append(user) }
        }
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { recordStart.count }

    /// The user at `index`, built from the columns.
    public subscript(index: Int) -> OrgUser {
        var reader = RecordReader(records: records, position: Int(recordStart[index]))
        let flags = Present(rawValue: present[index])
        let id = reader.string()
        let username = reader.string()
        let firstName = reader.string()
        let lastName = reader.string()
        let country = reader.string()
        let inviter = reader.string()
        let teamCount = reader.integer()
        let teamIds = (0..<teamCount).map { _ in reader.string() }
        return OrgUser(
            id: id, username: username, firstName: flags.contains(.firstName) ? firstName : nil,
            lastName: flags.contains(.lastName) ? lastName : nil, status: status(at: index),
            orgRoles: orgRoles(at: index), teamIds: teamIds, country: flags.contains(.country) ? country : nil,
            createdAt: Self.date(createdAt[index]), lastAuth: Self.date(lastAuth[index]),
            invitationCreatedAt: Self.date(invitationCreatedAt[index]),
            invitationExpiresAt: Self.date(invitationExpiresAt[index]),
            inviterUsername: flags.contains(.inviter) ? inviter : nil)
    }

    // MARK: Single columns (no OrgUser built)

    /// The id of the user at `index`.
    public func id(at index: Int) -> String {
        var reader = RecordReader(records: records, position: Int(recordStart[index]))
        return reader.string()
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

    /// A user the filter's masks cannot decide (a role or status this version does not know).
    func needsReferenceMatch(_ index: Int) -> Bool {
        roleBits[index] & Self.unknownRoleBit != 0 || statusCode[index] == Self.otherStatusCode
    }

    /// Position of the most privileged role held: 0 for owners, 7 for unknown roles only, 8 for none
    /// (the roles sort's order).
    func roleRank(at index: Int) -> Int {
        let known = roleBits[index] & ~Self.unknownRoleBit
        if known != 0 { return known.trailingZeroBitCount }
        return roleBits[index] != 0 ? OrgRole.known.count : OrgRole.known.count + 1
    }

    /// Seconds of the last login, `-infinity` when never (most recent first sorts descending).
    func lastAuthKey(at index: Int) -> Double {
        let value = lastAuth[index]
        return value.isNaN ? -.infinity : value
    }

    // MARK: Finding users

    /// The row number of the user with id `id`.
    public func index(ofId id: String) -> Int? {
        guard !idSlots.isEmpty else { return nil }
        var id = id
        return id.withUTF8 { key in
            let mask = idSlots.count - 1
            var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
            while true {
                let row = idSlots[slot]
                if row < 0 { return nil }
                if idBytesEqual(Int(row), key) { return Int(row) }
                slot = (slot + 1) & mask
            }
        }
    }

    private func idBytesEqual(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        records.withUnsafeBufferPointer { buffer in
            var reader = RecordReader(records: records, position: Int(recordStart[index]))
            let range = reader.range()
            guard range.count == key.count else { return false }
            return range.isEmpty || memcmp(buffer.baseAddress! + range.lowerBound, key.baseAddress!, key.count) == 0
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
        if idSlots.count < count * 2 { rehash(capacity: count * 2) }
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
        if idSlots.count < count * 2 {
            rehash(capacity: Swift.max(1024, idSlots.count * 2))  // inserts every user, this one included
        } else {
            insertSlot(for: index)
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
        var record: [UInt8] = []
        Self.appendString(user.id, to: &record)
        Self.appendString(user.username, to: &record)
        Self.appendString(user.firstName ?? "", to: &record)
        Self.appendString(user.lastName ?? "", to: &record)
        Self.appendString(user.country ?? "", to: &record)
        Self.appendString(user.inviterUsername ?? "", to: &record)
        Self.appendInteger(user.teamIds.count, to: &record)
        for team in user.teamIds { Self.appendString(team, to: &record) }
        if isNew || !records[recordRange(at: index)].elementsEqual(record) {
            recordStart[index] = UInt32(records.count)
            records.append(contentsOf: record)
        }

        var flags = Present()
        if user.firstName != nil { flags.insert(.firstName) }
        if user.lastName != nil { flags.insert(.lastName) }
        if user.country != nil { flags.insert(.country) }
        if user.inviterUsername != nil { flags.insert(.inviter) }
        present[index] = flags.rawValue

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

        createdAt[index] = Self.seconds(user.createdAt)
        lastAuth[index] = Self.seconds(user.lastAuth)
        invitationCreatedAt[index] = Self.seconds(user.invitationCreatedAt)
        invitationExpiresAt[index] = Self.seconds(user.invitationExpiresAt)

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

    /// The bytes of the record of the user at `index`.
    private func recordRange(at index: Int) -> Range<Int> {
        var reader = RecordReader(records: records, position: Int(recordStart[index]))
        for _ in 0..<6 { _ = reader.range() }
        for _ in 0..<reader.integer() { _ = reader.range() }
        return Int(recordStart[index])..<reader.position
    }

    // MARK: Id table

    private mutating func rehash(capacity: Int) {
        var size = 1024
        while size < capacity { size *= 2 }
        idSlots = Array(repeating: -1, count: size)
        for index in 0..<count { insertSlot(for: index) }
    }

    private mutating func insertSlot(for index: Int) {
        let mask = idSlots.count - 1
        var slot = records.withUnsafeBufferPointer { buffer in
            var reader = RecordReader(records: records, position: Int(recordStart[index]))
            let range = reader.range()
            return Int(truncatingIfNeeded: Self.hash(UnsafeBufferPointer(rebasing: buffer[range]))) & mask
        }
        while idSlots[slot] >= 0 { slot = (slot + 1) & mask }
        idSlots[slot] = Int32(index)
    }

    /// FNV-1a over the id's bytes (ids are short; this is fast and spreads hex ids well).
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash ^ (hash >> 29)
    }

    // MARK: Encoding

    private static func seconds(_ date: Date?) -> Double { date?.timeIntervalSinceReferenceDate ?? .nan }
    private static func date(_ seconds: Double) -> Date? {
        seconds.isNaN ? nil : Date(timeIntervalSinceReferenceDate: seconds)
    }

    /// LEB128: one byte for lengths under 128, which is nearly every string here.
    private static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        var rest = UInt(value)
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        appendInteger(text.utf8.count, to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    /// Reads a record field by field.
    private struct RecordReader {
        let records: [UInt8]
        var position: Int

        mutating func integer() -> Int {
            var value = 0
            var shift = 0
            while true {
                let byte = records[position]
                position += 1
                value |= Int(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }

        mutating func range() -> Range<Int> {
            let length = integer()
            defer { position += length }
            return position..<position + length
        }

        mutating func string() -> String {
            let bytes = range()
            return records.withUnsafeBufferPointer { String(decoding: $0[bytes], as: UTF8.self) }
        }
    }
}
