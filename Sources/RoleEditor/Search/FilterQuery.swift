import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A parsed filter: the text typed after `/` in the screen, and `atlas-roles list --search`.
///
/// Whitespace-separated terms must all match:
/// - a word matches a substring of the email or the name (case- and accent-insensitive), or a role
///   it names: a role's abbreviation or API name, or three letters or more beginning a word of the
///   role's name (`owner`, `billing`, `viewer`; `organization` is in every name and is not counted);
/// - `role:NAME` matches holders of that role, named as `set --role` takes it (``RoleSpelling``);
/// - `status:NAME` matches that membership status (`active`, `pending`, `expired`, `rejected`);
/// - `login:>90d` last logged in more than 90 days ago, `login:<7d` within 7 days, `login:never`;
///   `created:>1y`, `created:<30d` the same for membership (units `d`, `w`, `y`);
/// - `a,b` within a term means either; a leading `-` or `!` negates the term.
///
/// A name that means nothing or several things, or a malformed term, is an ``error``, never a filter
/// that silently matches nobody.
///
/// ```swift
/// FilterQuery("role:owner -status:active ada")   // owners not active whose email or name has "ada"
/// FilterQuery("role:billing").error             // "role 'billing' could be …"
/// ```
public struct FilterQuery: Hashable, Sendable {
    /// One condition of a filter, possibly negated.
    public struct Term: Hashable, Sendable {
        public var isNegated: Bool
        public var condition: Condition
    }

    /// What a term tests.
    public enum Condition: Hashable, Sendable {
        /// Any of the folded words occurs in the email or name, or the user holds one of `roles` (bits of
        /// `OrgRole.known`), the roles the words name.
        case text([[UInt8]], roles: UInt8)
        /// The user holds one of these known roles (bits of `OrgRole.known`).
        case roles(UInt8)
        /// The user's status is one of these (bits of ``RoleSpelling/statuses``).
        case statuses(UInt8)
        /// The last login lies in one of these ranges.
        case lastLogin([DateRange])
        /// The membership began in one of these ranges.
        case created([DateRange])
    }

    /// A span of time, in seconds since the reference date (as ``UserStore`` keeps dates).
    public enum DateRange: Hashable, Sendable {
        /// Strictly before the moment: `>90d` ago.
        case before(Double)
        /// At or after the moment: `<7d` ago.
        case since(Double)
        /// No date at all (never logged in).
        case never

        func contains(_ seconds: Double) -> Bool {
            switch self {
            case .before(let moment): !seconds.isNaN && seconds < moment
            case .since(let moment): !seconds.isNaN && seconds >= moment
            case .never: seconds.isNaN
            }
        }
    }

    public var terms: [Term]
    /// Why the text is not a filter, for the line under the prompt; nil when it is one.
    public var error: String?

    /// Parses `text`; `now` anchors `login:` and `created:` terms (without it they are an error).
    public init(_ text: String, now: Date? = nil) {
        terms = []
        error = nil
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            do throws(ParseError) {
                if let term = try Self.term(String(word), now: now) { terms.append(term) }
            } catch {
                self.error = error.message
                terms = []
                return
            }
        }
    }

    /// An empty filter shows every user.
    public var isEmpty: Bool { terms.isEmpty }

    /// The folded words the list highlights: those of text terms that are not negated.
    public var highlightedWords: [String] {
        terms.flatMap { term -> [String] in
            guard !term.isNegated, case .text(let words, _) = term.condition else { return [] }
            return words.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The reference matcher, stated plainly over one user; ``UserStore`` gets the same answers from its
    /// flat buffers.
    public func matches(_ user: OrgUser) -> Bool {
        let keys = UserSearchKeys(user)
        let roleBits = UserStore.bits(of: user.orgRoles)
        let statusBit = RoleSpelling.statuses.firstIndex(of: user.status).map { UInt8(1) << $0 } ?? 0
        return terms.allSatisfy { term in
            let hit: Bool
            switch term.condition {
            case .text(let words, let roles):
                hit = roleBits & roles != 0 || words.contains { TextFolding.contains(keys.text, $0) }
            case .roles(let mask): hit = roleBits & mask != 0
            case .statuses(let mask): hit = statusBit & mask != 0
            case .lastLogin(let ranges): hit = ranges.contains { $0.contains(UserRecord.seconds(user.lastAuth)) }
            case .created(let ranges): hit = ranges.contains { $0.contains(UserRecord.seconds(user.createdAt)) }
            }
            return hit != term.isNegated
        }
    }

    /// True when every user matching `self` also matches `older`, so `self` can be evaluated over the
    /// rows `older` left instead of the whole list (typing one more character). Only provable cases
    /// count: the old terms in place, each kept or narrowed (a longer word, fewer roles or statuses),
    /// then any new terms. A negated or date term narrows only by staying as it was.
    func isRefinement(of older: FilterQuery) -> Bool {
        if error != nil || older.error != nil { return false }
        if older.terms.isEmpty { return true }
        if terms.count < older.terms.count { return false }
        for (old, new) in zip(older.terms, terms) where old != new {
            if old.isNegated || new.isNegated { return false }
            switch (old.condition, new.condition) {
            case (.text(let oldWords, let oldRoles), .text(let newWords, let newRoles)):
                // Each new word contains an old one, and names no role the old words did not.
                if newRoles & ~oldRoles != 0 { return false }
                let narrows = newWords.allSatisfy { word in oldWords.contains { TextFolding.contains(word, $0) } }
                if !narrows { return false }
            case (.roles(let a), .roles(let b)), (.statuses(let a), .statuses(let b)):
                if b & ~a != 0 { return false }
            default:
                return false
            }
        }
        return true
    }

    // MARK: Parsing

    private struct ParseError: Error {
        var message: String
    }

    /// The fields a term may name before `:`.
    static let fields = ["role", "status", "login", "created"]

    /// One word as a term; nil for a word still being typed (`-`, `role:`, `a,`) that says nothing yet.
    private static func term(_ word: String, now: Date?) throws(ParseError) -> Term? {
        var body = Substring(word)
        let isNegated = body.count > 1 && (body.hasPrefix("-") || body.hasPrefix("!"))
        if isNegated { body = body.dropFirst() }
        guard let colon = body.firstIndex(of: ":") else {
            let words = body.split(separator: ",").map { TextFolding.folded(String($0)) }.filter { !$0.isEmpty }
            if words.isEmpty { return nil }
            return Term(isNegated: isNegated, condition: .text(words, roles: namedRoles(words)))
        }
        let field = body[..<colon].lowercased()
        let values = body[body.index(after: colon)...].split(separator: ",").map(String.init)
        guard fields.contains(field) else {
            let known = fields.map { $0 + ":" }.joined(separator: ", ")
            throw ParseError(message: "unknown field '\(body[...colon])'; the fields are \(known)")
        }
        if values.isEmpty { return nil }
        let condition: Condition
        switch field {
        case "role":
            var mask: UInt8 = 0
            for value in values {
                let resolution = RoleSpelling.role(value)
                guard case .found(let role) = resolution else {
                    throw ParseError(
                        message: RoleSpelling.message(
                            for: resolution, kind: "role", typed: value,
                            describe: { "\(RoleSpelling.shortConsoleName($0)) (\(roleFlag($0)))" }) ?? "")
                }
                mask |= UserStore.bitByRole[role] ?? 0
            }
            condition = .roles(mask)
        case "status":
            var mask: UInt8 = 0
            for value in values {
                let resolution = RoleSpelling.status(value)
                guard case .found(let status) = resolution, let bit = RoleSpelling.statuses.firstIndex(of: status)
                else {
                    throw ParseError(
                        message: RoleSpelling.message(
                            for: resolution, kind: "status", typed: value, describe: { $0.rawValue.lowercased() })
                            ?? "")
                }
                mask |= 1 << bit
            }
            condition = .statuses(mask)
        default:
            let ranges = try values.map { value throws(ParseError) in
                try dateRange(value, field: field, now: now)
            }
            condition = field == "login" ? .lastLogin(ranges) : .created(ranges)
        }
        return Term(isNegated: isNegated, condition: condition)
    }

    /// `owner`, `billing-viewer`: how a role is written in a term.
    static func roleFlag(_ role: OrgRole) -> String {
        String(RoleSpelling.shortConsoleName(role).lowercased().map { $0 == " " ? "-" : $0 })
    }

    /// `>90d`, `<2w`, `>1y`, or `never` (logins only).
    private static func dateRange(_ value: String, field: String, now: Date?) throws(ParseError) -> DateRange {
        let usage = "\(field): takes >N or <N days (d), weeks (w) or years (y)" + (field == "login" ? ", or never" : "")
        if value.lowercased() == "never" {
            guard field == "login" else { throw ParseError(message: usage) }
            return .never
        }
        let characters = Array(value.lowercased())
        guard characters.count >= 3, characters.first == ">" || characters.first == "<",
            let count = Int(String(characters[1..<characters.count - 1])), count >= 0
        else { throw ParseError(message: usage) }
        let day = 86_400.0
        let unit: Double
        switch characters.last {
        case "d": unit = day
        case "w": unit = 7 * day
        case "y": unit = 365 * day
        default: throw ParseError(message: usage)
        }
        guard let now else { throw ParseError(message: "\(field): waits for the clock; try again in a second") }
        let moment = now.timeIntervalSinceReferenceDate - Double(count) * unit
        return characters.first == ">" ? .before(moment) : .since(moment)
    }

    /// The known roles the words name: an exact abbreviation or API name, or three letters or more
    /// beginning a word of the role's console name (other than "organization").
    static func namedRoles(_ words: [[UInt8]]) -> UInt8 {
        var mask: UInt8 = 0
        for word in words {
            let typed = String(decoding: word, as: UTF8.self)
            for (bit, role) in OrgRole.known.enumerated() {
                let abbreviations =
                    [RoleText.abbreviation(role)] + (RoleSpelling.earlierAbbreviations[role].map { [$0] } ?? [])
                let exact = (abbreviations + [role.rawValue]).map(RoleSpelling.key)
                let words = RoleSpelling.shortConsoleName(role).lowercased().split(separator: " ")
                if exact.contains(RoleSpelling.key(typed))
                    || (typed.count >= 3 && words.contains { $0.hasPrefix(typed) })
                {
                    mask |= 1 << bit
                }
            }
        }
        return mask
    }
}
