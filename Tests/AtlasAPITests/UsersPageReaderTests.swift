import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// The byte reader of users pages against `JSONDecoder` through the wire models (the reference): the
/// same users, count and next link for every body it reads, and every body it is not sure of left to
/// `JSONDecoder`, whose result or error the client then gets.
@Suite("Users page reader")
struct UsersPageReaderTests {
    static let orgId = "5f0000000000000000000001"

    /// One body and what the reader must do with it: read it itself (`readsItself`), or either.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var body: Data
        var version: APIVersion = .v20250219
        var readsItself = true
        var testDescription: String { name }
    }

    /// Checks `body` both ways: the reader agrees with `JSONDecoder` whenever it reads, reads itself when
    /// `readsItself`, and what the client gets is `JSONDecoder`'s answer or `JSONDecoder`'s error.
    static func expectAgreement(
        _ body: Data, version: APIVersion, readsItself: Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let disagreement = ResponseDecoding.usersPageDisagreement(body, version: version, orgId: orgId)
        #expect(disagreement == nil, sourceLocation: sourceLocation)
        let read = UsersPageReader.contents(of: body, version: version, orgId: orgId)
        if readsItself { #expect(read != nil, "the reader left a body it should read", sourceLocation: sourceLocation) }
        let reference = Result {
            try ResponseDecoding.usersPageContentsByJSONDecoder(body, version: version, orgId: orgId)
        }
        let client = Result { try ResponseDecoding.usersPageContents(body, version: version, orgId: orgId) }
        switch (client, reference) {
        case (.success(let got), .success(let expected)):
            #expect(got.fingerprint == expected.fingerprint, sourceLocation: sourceLocation)
        case (.failure(let got), .failure(let expected)):
            #expect(String(describing: got) == String(describing: expected), sourceLocation: sourceLocation)
        default:
            Issue.record("client: \(client), JSONDecoder: \(reference)", sourceLocation: sourceLocation)
        }
    }

    // MARK: The sandbox's pages

    /// The body of page `page` (of 500 users) of the sandbox's first organization, as the client asks for it.
    static func sandboxPage(_ sandbox: AtlasSandbox, version: APIVersion, page: Int) async throws -> Data {
        let client = try AtlasClient(configuration: sandbox.clientConfiguration())
        var query = [URLQueryItem(name: "itemsPerPage", value: "500"), URLQueryItem(name: "pageNum", value: "\(page)")]
        if version == .v20250219 { query += AtlasClient.shownStatuses }
        return try await client.send(
            APICall(method: "GET", path: "/orgs/\(sandbox.firstOrgId)/users", version: version), query: query,
            idempotent: true
        ) { $0 }
    }

    @Test(arguments: [APIVersion.v20250219, .v20230101])
    func theSandboxsPagesReadTheSameBothWays(version: APIVersion) async throws {
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: 1_200)) { sandbox in
            let orgId = sandbox.firstOrgId
            var users = 0
            for page in 1...3 {
                let body = try await Self.sandboxPage(sandbox, version: version, page: page)
                #expect(ResponseDecoding.usersPageDisagreement(body, version: version, orgId: orgId) == nil)
                let read = try #require(UsersPageReader.contents(of: body, version: version, orgId: orgId))
                users += read.users.count
            }
            #expect(users > 0)
        }
    }

    // MARK: Bodies built to be odd

    /// A 2025-02-19 page of one user whose fields are `fields` (JSON text after the id), and `page`
    /// (JSON text) after the results.
    static func page(_ fields: String, page: String = #""totalCount": 1"#) -> Data {
        Data(#"{"results": [{"id": "5f00000000000000000000a1", \#(fields)}], \#(page)}"#.utf8)
    }

    static let user = #""username": "ada@example.com", "orgMembershipStatus": "ACTIVE""#

    static let hostileNames: [Case] = [
        ("escaped C0 controls", #""\u0001\u001f\n\t\r\b\f""#),
        ("NUL", #""a\u0000b""#),
        ("C1 controls, raw and escaped", "\"\u{85}\u{9B}x\\u0085\\u009b\""),
        ("bidi overrides, raw and escaped", "\"\u{202E}evil\u{202C}\\u202e\\u2066\""),
        ("emoji, raw and as a surrogate pair", "\"😀\\ud83d\\ude00\\uD83D\\uDE00👩‍👩‍👧\""),
        ("escaped and raw non-ASCII", "\"Zo\\u00eb Zoë e\\u0301 太郎 \\u592a\""),
        ("every short escape", #""\"\\\/\b\f\n\r\t""#),
        ("DEL and the last scalar", "\"\u{7F}\\u007f\u{10FFFF}\\udbff\\udfff\""),
    ].map { name, text in
        Case(
            name: "hostile name: \(name)",
            body: page(#""username": \#(text), "firstName": \#(text), "lastName": \#(text)"#))
    }

    static let loneSurrogates: [Case] = [
        #""\ud800""#, #""\udc00""#, #""\ud800x""#, #""\ud800\u0041""#, #""\udbff\ud800""#, #""x\ude00""#,
    ].map { Case(name: "lone surrogate \($0)", body: page(#""username": \#($0)"#), readsItself: false) }

    static let optionalFields: [Case] = [
        ("nothing but the required fields", #""username": "u""#),
        (
            "nulls",
            #""username": "u", "firstName": null, "lastName": null, "country": null, "teamIds": null, "roles": null, "createdAt": null, "lastAuth": null, "inviterUsername": null, "orgMembershipStatus": null"#
        ),
        (
            "wrong-typed strings",
            #"\#(user), "firstName": 5, "lastName": {"a": 1}, "country": [], "inviterUsername": true"#
        ),
        ("team ids not all strings", #"\#(user), "teamIds": ["6a0000000000000000000001", 1]"#),
        ("team ids not an array", #"\#(user), "teamIds": "6a0000000000000000000001""#),
        ("roles not an object", #"\#(user), "roles": ["ORG_OWNER"]"#),
        ("an org role not a string", #"\#(user), "roles": {"orgRoles": ["ORG_OWNER", 1], "groupRoleAssignments": []}"#),
        (
            "an assignment without groupId",
            #"\#(user), "roles": {"orgRoles": ["ORG_OWNER"], "groupRoleAssignments": [{"groupRoles": []}]}"#
        ),
        (
            "an assignment with a null groupId",
            #"\#(user), "roles": {"orgRoles": ["ORG_OWNER"], "groupRoleAssignments": [{"groupId": null}]}"#
        ),
        ("assignments not an array", #"\#(user), "roles": {"orgRoles": ["ORG_OWNER"], "groupRoleAssignments": {}}"#),
        (
            "an assignment not an object",
            #"\#(user), "roles": {"orgRoles": ["ORG_OWNER"], "groupRoleAssignments": [null]}"#
        ),
        (
            "group roles not strings",
            #"\#(user), "roles": {"orgRoles": ["ORG_OWNER"], "groupRoleAssignments": [{"groupId": "g", "groupRoles": [null]}]}"#
        ),
        (
            "full roles, unknown ones kept, duplicates merged",
            #"\#(user), "roles": {"orgRoles": ["ORG_OWNER", "ORG_FUTURE_ROLE", "ORG_OWNER"], "groupRoleAssignments": [{"groupId": "g1", "groupRoles": ["GROUP_OWNER", "GROUP_NEW"]}, {"groupId": "g2", "groupRoles": null}, {"groupId": "g3"}], "extra": [1, {"x": []}]}"#
        ),
        ("an unknown status", #""username": "u", "orgMembershipStatus": "SOMETHING_NEW""#),
        ("every status", #""username": "u", "orgMembershipStatus": "INVITATION_EXPIRED""#),
        (
            "unknown keys of every type",
            #"\#(user), "a": {"b": [1, 2, {"c": null}], "d": {}}, "e": [], "f": [[[]]], "g": true, "h": false, "i": null, "j": -1.5e-3, "k": "\u00e9""#
        ),
        ("an empty key", #"\#(user), "": 1"#),
    ].map { Case(name: "optional fields: \($0)", body: page($1)) }

    static let numbers: [Case] = [
        ("1e400", false), ("-0", false), ("123456789012345678901234567890", false), ("-1", false), ("5.0", false),
        ("1E2", false), ("0", true), ("10000", true), ("999999999999999999", true), (#""5""#, true), ("null", true),
        ("true", true), ("[1]", true), ("{}", true),
    ].flatMap { number, readsItself in
        [
            Case(
                name: "totalCount \(number)", body: page(user, page: #""totalCount": \#(number)"#),
                readsItself: readsItself),
            Case(name: "an unknown key holding \(number)", body: page(#"\#(user), "x": \#(number)"#)),
        ]
    }

    static let dates: [Case] =
        [
            "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.123Z", "2024-05-01T12:00:00.1Z",
            "2024-05-01T12:00:00.123456789Z",
            "2024-05-01T12:00:00+02:00", "2024-05-01T12:00:00-09:30", "2024-05-01T12:00:00+00:00",
            "2024-05-01T12:00:00-00:00",
            "2024-05-01T12:00:00+18:00", "2024-05-01T12:00:00+23:59", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
            "2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:60:00Z",
            "2024-05-01T12:00:60Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "1600-12-31T23:59:59Z",
            "1601-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "2024-05-01 12:00:00Z",
            "2024-05-01t12:00:00z", "2024-05-01T12:00:00", "2024-05-01", "20240501T120000Z", "2024-05-01T12:00:00Zjunk",
            "+2024-05-01T12:00:00Z", "2024-5-1T12:00:00Z", "", "yesterday", #"2024\u002d05-01T12:00:00Z"#,
            "２０２４-05-01T12:00:00Z",
        ].map { date in
            Case(
                name: "date \(date)",
                body: page(
                    #"\#(user), "createdAt": "\#(date)", "lastAuth": "\#(date)", "invitationCreatedAt": "\#(date)""#))
        } + [
            Case(
                name: "dates of other types",
                body: page(
                    #"\#(user), "createdAt": 1714564800, "lastAuth": {}, "invitationExpiresAt": ["2024-05-01T12:00:00Z"]"#
                ))
        ]

    static let duplicates: [Case] =
        [
            ("username", #""username": "first", "username": "second""#, false),
            ("id", #""username": "u", "id": "5f00000000000000000000a2""#, false),
            ("firstName", #"\#(user), "firstName": "first", "firstName": "second""#, false),
            ("status", #""username": "u", "orgMembershipStatus": "PENDING", "orgMembershipStatus": "ACTIVE""#, false),
            ("roles", #"\#(user), "roles": {"orgRoles": ["ORG_OWNER"]}, "roles": {"orgRoles": ["ORG_MEMBER"]}"#, false),
            ("orgRoles", #"\#(user), "roles": {"orgRoles": ["ORG_OWNER"], "orgRoles": ["ORG_MEMBER"]}"#, false),
            ("an unknown key", #"\#(user), "x": 1, "x": {"y": 2}"#, true),
        ].map { Case(name: "duplicate \($0)", body: page($1), readsItself: $2) }
        + [
            Case(
                name: "duplicate totalCount", body: page(user, page: #""totalCount": 1, "totalCount": 2"#),
                readsItself: false),
            Case(
                name: "duplicate results",
                body: Data(#"{"results": [], "results": [{"id": "5f00000000000000000000a1", "username": "u"}]}"#.utf8),
                readsItself: false),
        ]

    static let keys: [Case] = [
        ("an escaped known key", #""user\u006eame": "u""#),
        ("a Kelvin sign in a key", "\"username\": \"u\", \"country\u{212A}\": \"x\""),
        ("escaped unknown keys", #""username": "u", "\u0061x": 2, "caf\u00e9": 3"#),
        ("a decomposed key", "\"username\": \"u\", \"firste\u{301}\": \"x\""),
    ].map { Case(name: $0, body: page($1), readsItself: false) }

    static let links: [Case] =
        [
            (
                "a next link",
                #""links": [{"rel": "self", "href": "a"}, {"rel": "next", "href": "https://x/?pageNum=2"}]"#
            ),
            ("two next links", #""links": [{"rel": "next", "href": "first"}, {"rel": "next", "href": "second"}]"#),
            ("a next link without href", #""links": [{"rel": "next"}, {"rel": "next", "href": "second"}]"#),
            ("a next link with a null href", #""links": [{"rel": "next", "href": null}]"#),
            ("a wrong-typed href", #""links": [{"rel": "next", "href": 2}]"#),
            ("a wrong-typed rel elsewhere", #""links": [{"rel": "next", "href": "a"}, {"rel": 1}]"#),
            ("a null link", #""links": [{"rel": "next", "href": "a"}, null]"#),
            ("links not an array", #""links": {"rel": "next", "href": "a"}"#),
            ("links null", #""links": null"#),
            ("links with unknown keys", #""links": [{"rel": "next", "href": "a", "x": [{}]}]"#),
            ("an escaped rel", #""links": [{"rel": "n\u0065xt", "href": "a\/b"}]"#),
        ].map { Case(name: $0, body: page(user, page: $1)) }
        + [
            Case(
                name: "a duplicate href",
                body: page(user, page: #""links": [{"rel": "next", "href": "a", "href": "b"}]"#),
                readsItself: false)
        ]

    static let shapes: [Case] = [
        ("no results", #"{"totalCount": 0}"#, true), ("null results", #"{"results": null}"#, true),
        ("empty results", #"{"results": [], "links": []}"#, true), ("an empty page", "{}", true),
        ("white space everywhere", " \n\t{\r \"results\" : [ ] , \"totalCount\" :3 }\n ", true),
        ("results an object", #"{"results": {}}"#, false), ("a user not an object", #"{"results": [1]}"#, false),
        ("a user without id", #"{"results": [{"username": "u"}]}"#, false),
        ("a user without username", #"{"results": [{"id": "5f00000000000000000000a1"}]}"#, false),
        ("an uppercase id", #"{"results": [{"id": "5F00000000000000000000A1", "username": "u"}]}"#, false),
        ("a path as id", #"{"results": [{"id": "../../groups/5f0000000000000000", "username": "u"}]}"#, false),
        ("a numeric username", #"{"results": [{"id": "5f00000000000000000000a1", "username": 5}]}"#, false),
        (
            "a numeric status",
            #"{"results": [{"id": "5f00000000000000000000a1", "username": "u", "orgMembershipStatus": 1}]}"#, false
        ),
        ("a top-level array", "[]", false), ("a top-level string", #""x""#, false),
    ].map { Case(name: $0, body: Data($1.utf8), readsItself: $2) }

    static let legacy: [Case] = [
        ("username", #"{"results": [{"id": "5f00000000000000000000a1", "username": "u", "emailAddress": 5}]}"#, true),
        (
            "emailAddress only",
            #"{"results": [{"id": "5f00000000000000000000a1", "emailAddress": "old@example.com"}]}"#, true
        ),
        (
            "a numeric username and an emailAddress",
            #"{"results": [{"id": "5f00000000000000000000a1", "username": 1, "emailAddress": "e"}]}"#, true
        ),
        ("neither", #"{"results": [{"id": "5f00000000000000000000a1", "username": null}]}"#, false),
        (
            "a numeric emailAddress only", #"{"results": [{"id": "5f00000000000000000000a1", "emailAddress": 5}]}"#,
            false
        ),
        (
            "roles of several organizations and projects",
            #"{"results": [{"id": "5f00000000000000000000a1", "username": "u", "roles": [{"orgId": "5f0000000000000000000001", "roleName": "ORG_OWNER"}, {"orgId": "other", "roleName": "ORG_MEMBER"}, {"groupId": "g2", "roleName": "GROUP_READ_ONLY"}, {"groupId": "g1", "roleName": "GROUP_OWNER"}, {"groupId": "g2"}, {"orgId": "5f0000000000000000000001", "roleName": "ORG_NEW", "x": {}}, {}], "teamIds": ["t"], "createdAt": "2020-01-01T00:00:00.000Z", "lastAuth": "2020-01-01T00:00:00Z"}], "totalCount": 1}"#,
            true
        ),
        (
            "roles wrong-typed",
            #"{"results": [{"id": "5f00000000000000000000a1", "username": "u", "roles": [{"orgId": 1, "roleName": "ORG_OWNER"}]}]}"#,
            true
        ),
        (
            "roles with a null entry",
            #"{"results": [{"id": "5f00000000000000000000a1", "username": "u", "roles": [null]}]}"#, true
        ),
        (
            "roles not an array", #"{"results": [{"id": "5f00000000000000000000a1", "username": "u", "roles": {}}]}"#,
            true
        ),
        (
            "a duplicate role field",
            #"{"results": [{"id": "5f00000000000000000000a1", "username": "u", "roles": [{"orgId": "a", "orgId": "b"}]}]}"#,
            false
        ),
    ].map { Case(name: "2023-01-01: \($0)", body: Data($1.utf8), version: .v20230101, readsItself: $2) }

    @Test(
        arguments: hostileNames + loneSurrogates + optionalFields + numbers + dates + duplicates + keys + links + shapes
            + legacy)
    func oddBodiesReadTheSameBothWays(_ odd: Case) {
        Self.expectAgreement(odd.body, version: odd.version, readsItself: odd.readsItself)
    }

    // MARK: Malformed bodies

    static let malformed: [(String, [UInt8])] = [
        ("empty", []), ("white space", Array(" \n".utf8)), ("trailing garbage", Array(#"{"results": []} x"#.utf8)),
        ("two documents", Array(#"{"results": []}{}"#.utf8)), ("a trailing comma", Array(#"{"results": [],}"#.utf8)),
        (
            "a trailing comma in results",
            Array(#"{"results": [{"id": "5f00000000000000000000a1", "username": "u"},]}"#.utf8)
        ),
        ("a missing colon", Array(#"{"results" []}"#.utf8)), ("single quotes", Array(#"{'results': []}"#.utf8)),
        ("a raw control character", Array("{\"results\": [], \"x\": \"a\u{1}b\"}".utf8)),
        ("a bad escape", Array(#"{"results": [], "x": "\x"}"#.utf8)),
        ("a short escape", Array(#"{"results": [], "x": "\u12"}"#.utf8)),
        ("a leading zero", Array(#"{"results": [], "x": 01}"#.utf8)),
        ("a bare minus", Array(#"{"results": [], "x": -}"#.utf8)),
        ("a bare fraction", Array(#"{"results": [], "x": 1.}"#.utf8)),
        ("NaN", Array(#"{"results": [], "x": NaN}"#.utf8)),
        ("a bad literal", Array(#"{"results": [], "x": tru}"#.utf8)),
        ("invalid UTF-8 in a string", Array(#"{"results": [], "x": ""#.utf8) + [0xFF] + Array(#""}"#.utf8)),
        ("an overlong form", Array(#"{"results": [], "x": ""#.utf8) + [0xC0, 0x80] + Array(#""}"#.utf8)),
        ("an encoded surrogate", Array(#"{"results": [], "x": ""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)),
        ("a truncated sequence", Array(#"{"results": [], "x": ""#.utf8) + [0xE2, 0x82] + Array(#""}"#.utf8)),
        (
            "invalid UTF-8 in a name",
            Array(#"{"results": [{"id": "5f00000000000000000000a1", "username": "a"#.utf8) + [0xFE]
                + Array(#""}]}"#.utf8)
        ),
        ("invalid UTF-8 in a key", Array(#"{"results": [], ""#.utf8) + [0xFF] + Array(#"": 1}"#.utf8)),
        ("UTF-16", Array(#"{"results": []}"#.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })),
        ("a byte order mark", [0xEF, 0xBB, 0xBF] + Array(#"{"results": []}"#.utf8)),
        (
            "deep nesting in an unknown key",
            Array((#"{"results": [], "x": "# + String(repeating: "[", count: 100_000)).utf8)
        ),
        (
            "deep but closed nesting",
            Array(
                (#"{"results": [], "x": "# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
                    + "}").utf8)
        ),
        (
            "nesting at the reader's bound",
            Array(
                (#"{"results": [], "x": "# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}")
                    .utf8)
        ),
        (
            "deep objects",
            Array((String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)).utf8)
        ),
    ]

    @Test(arguments: malformed.map(\.0))
    func malformedBodiesGetJSONDecodersAnswer(name: String) throws {
        let bytes = try #require(Self.malformed.first { $0.0 == name }?.1)
        for version in [APIVersion.v20250219, .v20230101] {
            Self.expectAgreement(Data(bytes), version: version, readsItself: false)
        }
    }

    @Test func everyTruncationOfAPageGetsJSONDecodersError() throws {
        let whole = Self.page(
            #"\#(Self.user), "firstName": "Zo\u00eb 😀", "roles": {"orgRoles": ["ORG_OWNER"]}, "teamIds": ["t"], "createdAt": "2024-05-01T12:00:00Z", "x": [1.5e3, true, null]"#,
            page: #""totalCount": 12, "links": [{"rel": "next", "href": "h"}]"#)
        Self.expectAgreement(whole, version: .v20250219, readsItself: true)
        for length in 0..<whole.count {
            let truncated = Data(whole.prefix(length))
            Self.expectAgreement(truncated, version: .v20250219, readsItself: false)
            #expect(throws: (any Error).self) {
                try ResponseDecoding.usersPageContents(truncated, version: .v20250219, orgId: Self.orgId)
            }
        }
    }

    // MARK: Dates

    /// Every second of the common forms the reader computes by hand is the format styles' exact `Date`.
    @Test func commonDateFormsAreTheFormatStylesBitForBit() throws {
        var generator = SystemRandomNumberGenerator()
        // A day inside 1601-01-01...9999-12-31T23:59:59, so that every offset keeps the year in range.
        let earliest = -11_644_473_600 + 86_400
        let latest = 253_402_300_799 - 86_400
        var seconds = [earliest, latest, 0, -1, 951_782_400, 1_709_164_800, 4_107_542_400]
        seconds += (0..<2_000).map { _ in Int.random(in: earliest...latest, using: &generator) }
        let offsets = [0, 3_600, -3_600, 19_800, -34_200, 50_400, -43_200, 61_200, -61_200]
        for (position, second) in seconds.enumerated() {
            let date = Date(timeIntervalSince1970: Double(second))
            var style = Date.ISO8601FormatStyle().timeZoneSeparator(.colon)
            style.timeZone = try #require(TimeZone(secondsFromGMT: offsets[position % offsets.count]))
            let text = style.format(date)
            var bytes = text
            let byHand = try #require(bytes.withUTF8 { LenientDate.commonForm(UnsafeRawBufferPointer($0)) }, "\(text)")
            let byFormatStyle = try #require(LenientDate.parseWithFormatStyles(text), "\(text)")
            #expect(
                byHand.timeIntervalSinceReferenceDate.bitPattern
                    == byFormatStyle.timeIntervalSinceReferenceDate.bitPattern,
                "\(text)")
        }
    }

    @Test(arguments: [
        "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T12:00:60Z", "0000-01-01T00:00:00Z", "1600-12-31T23:59:59Z", "2024-05-01T12:00:00+18:00",
        "2024-05-01T12:00:00.000Z", "2024-05-01t12:00:00Z", "2024-05-01T12:00:00z", "2024-05-01T12:00:00+0200",
    ])
    func otherFormsAreLeftToTheFormatStyles(text: String) {
        var bytes = text
        #expect(bytes.withUTF8 { LenientDate.commonForm(UnsafeRawBufferPointer($0)) } == nil)
    }
}
