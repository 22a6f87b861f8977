import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How ``UserStore`` keeps the strings of one user: a record of length-prefixed UTF-8 (id, username,
/// first name, last name, country, inviter, then the team ids), plus a byte of flags saying which
/// optional strings were there at all, so that nil and "" stay distinct.
///
/// Lengths are LEB128: one byte for lengths under 128, which is nearly every string here.
enum UserRecord {
    /// Which optional strings of a record are present.
    struct Present: OptionSet {
        let rawValue: UInt8
        static let firstName = Present(rawValue: 1)
        static let lastName = Present(rawValue: 2)
        static let country = Present(rawValue: 4)
        static let inviter = Present(rawValue: 8)

        init(rawValue: UInt8) { self.rawValue = rawValue }

        init(of user: OrgUser) {
            var flags = Present()
            if user.firstName != nil { flags.insert(.firstName) }
            if user.lastName != nil { flags.insert(.lastName) }
            if user.country != nil { flags.insert(.country) }
            if user.inviterUsername != nil { flags.insert(.inviter) }
            self = flags
        }
    }

    /// The strings of a user, as a record holds them.
    struct Strings: Equatable {
        var id: String
        var username: String
        var firstName: String?
        var lastName: String?
        var country: String?
        var inviterUsername: String?
        var teamIds: [String]
    }

    /// The record of `user`'s strings.
    static func encode(_ user: OrgUser) -> [UInt8] {
        var record: [UInt8] = []
        appendString(user.id, to: &record)
        appendString(user.username, to: &record)
        appendString(user.firstName ?? "", to: &record)
        appendString(user.lastName ?? "", to: &record)
        appendString(user.country ?? "", to: &record)
        appendString(user.inviterUsername ?? "", to: &record)
        appendInteger(user.teamIds.count, to: &record)
        for team in user.teamIds { appendString(team, to: &record) }
        return record
    }

    /// The strings of the record at `start` of `records`.
    static func decode(_ records: [UInt8], at start: Int, present: Present) -> Strings {
        var reader = Reader(records: records, position: start)
        let id = reader.string()
        let username = reader.string()
        let firstName = reader.string()
        let lastName = reader.string()
        let country = reader.string()
        let inviter = reader.string()
        let teamIds = (0..<reader.integer()).map { _ in reader.string() }
        return Strings(
            id: id, username: username, firstName: present.contains(.firstName) ? firstName : nil,
            lastName: present.contains(.lastName) ? lastName : nil,
            country: present.contains(.country) ? country : nil,
            inviterUsername: present.contains(.inviter) ? inviter : nil, teamIds: teamIds)
    }

    /// The bytes of the id of the record at `start` (the id comes first, so nothing else is read).
    static func idRange(_ records: [UInt8], at start: Int) -> Range<Int> {
        var reader = Reader(records: records, position: start)
        return reader.range()
    }

    /// The bytes of the whole record at `start`.
    static func recordRange(_ records: [UInt8], at start: Int) -> Range<Int> {
        var reader = Reader(records: records, position: start)
        for _ in 0..<6 { _ = reader.range() }
        for _ in 0..<reader.integer() { _ = reader.range() }
        return start..<reader.position
    }

    // MARK: Dates

    /// `timeIntervalSinceReferenceDate` (exactly what `Date` stores), NaN for nil.
    static func seconds(_ date: Date?) -> Double { date?.timeIntervalSinceReferenceDate ?? .nan }

    static func date(_ seconds: Double) -> Date? {
        seconds.isNaN ? nil : Date(timeIntervalSinceReferenceDate: seconds)
    }

    // MARK: Encoding

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
    private struct Reader {
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
