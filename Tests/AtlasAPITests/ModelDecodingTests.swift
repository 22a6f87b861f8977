import AtlasRolesTesting
import Foundation
import Testing

@testable import AtlasAPI

/// The wire models: both user versions, leniency, dates, and the paginated envelope.
@Suite("Model decoding")
struct ModelDecodingTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test func activeUser2025DecodesEveryField() throws {
        let json = """
            {"id": "5f0000000000000000000001", "username": "ada@example.com", "orgMembershipStatus": "ACTIVE",
             "firstName": "Ada", "lastName": "Lovelace", "country": "GB", "mobileNumber": null,
             "createdAt": "2021-03-04T05:06:07Z", "lastAuth": "2024-01-02T03:04:05.678Z",
             "roles": {"orgRoles": ["ORG_OWNER", "ORG_MEMBER"], "groupRoleAssignments": [{"groupId": "x", "groupRoles": ["GROUP_OWNER"]}]},
             "teamIds": ["6a0000000000000000000001"], "somethingNew": {"nested": [1, 2]}}
            """
        let user = try decode(WireOrgUser.self, json).user
        #expect(user.id == "5f0000000000000000000001")
        #expect(user.username == "ada@example.com")
        #expect(user.displayName == "Ada Lovelace")
        #expect(user.status == .active)
        #expect(user.orgRoles == [.owner, .member])
        #expect(user.teamIds == ["6a0000000000000000000001"])
        #expect(user.country == "GB")
        #expect(user.createdAt == Date(timeIntervalSince1970: 1_614_834_367))
        let lastAuth = try #require(user.lastAuth)
        #expect(abs(lastAuth.timeIntervalSince1970 - 1_704_164_645.678) < 0.001)
    }

    @Test func pendingUserAndUnknownValuesSurvive() throws {
        let json = """
            {"id": "5f0000000000000000000002", "username": "new@example.com", "orgMembershipStatus": "SOMETHING_NEW",
             "invitationCreatedAt": "2025-01-01T00:00:00Z", "invitationExpiresAt": null,
             "inviterUsername": "api-key-abc", "roles": {"orgRoles": ["ORG_READ_ONLY", "ORG_FUTURE_ROLE"]}}
            """
        let user = try decode(WireOrgUser.self, json).user
        #expect(user.status == .other("SOMETHING_NEW"))
        #expect(user.orgRoles.contains(OrgRole(rawValue: "ORG_FUTURE_ROLE")))
        #expect(user.orgRoles.contains(.readOnly))
        #expect(user.invitationExpiresAt == nil)
        #expect(user.inviterUsername == "api-key-abc")
        #expect(user.teamIds.isEmpty)
        #expect(user.displayName == nil)
    }

    @Test func unreadableDatesBecomeNilInsteadOfFailing() throws {
        let json = """
            {"id": "5f00000000000000000000aa", "username": "b", "createdAt": "yesterday", "lastAuth": 12345,
             "invitationCreatedAt": "2024-06-01T10:00:00+02:00"}
            """
        let user = try decode(WireOrgUser.self, json).user
        #expect(user.createdAt == nil)
        #expect(user.lastAuth == nil)
        #expect(user.invitationCreatedAt == Date(timeIntervalSince1970: 1_717_228_800))
    }

    @Test func userWithoutIdIsRejected() {
        #expect(throws: DecodingError.self) { try decode(WireOrgUser.self, #"{"username": "x"}"#) }
    }

    @Test func legacyUserTakesOnlyThisOrganizationsRoles() throws {
        let json = """
            {"id": "5f00000000000000000000b1", "emailAddress": "old@example.com", "firstName": "Old", "lastName": "Timer",
             "roles": [{"orgId": "org-a", "roleName": "ORG_OWNER"}, {"orgId": "org-b", "roleName": "ORG_MEMBER"},
                       {"groupId": "g1", "roleName": "GROUP_READ_ONLY"}, {"orgId": "org-a", "roleName": "ORG_BILLING_ADMIN"}],
             "createdAt": "2020-01-01T00:00:00.000Z", "password": "never-sent-but-tolerated"}
            """
        let user = try decode(WireCloudAppUser.self, json).user(inOrganization: "org-a")
        #expect(user.username == "old@example.com")
        #expect(user.orgRoles == [.owner, .billingAdmin])
        #expect(user.status == .active)
        #expect(user.createdAt == Date(timeIntervalSince1970: 1_577_836_800))
    }

    @Test func pageWithAndWithoutCount() throws {
        let counted = try decode(
            WirePage<WireTeam>.self,
            #"{"results": [{"id": "5f00000000000000000000c1", "name": "Ops"}], "totalCount": 7, "links": [{"rel": "self", "href": "h"}]}"#
        )
        #expect(counted.totalCount == 7)
        #expect(counted.nextLink == nil)
        #expect(counted.results.map(\.team) == [Team(id: "5f00000000000000000000c1", name: "Ops")])

        let uncounted = try decode(
            WirePage<WireTeam>.self,
            #"{"results": [], "links": [{"rel": "next", "href": "https://x/api/atlas/v2/orgs/o/teams?pageNum=2&itemsPerPage=5"}]}"#
        )
        #expect(uncounted.totalCount == nil)
        let link = try #require(uncounted.nextLink)
        let query = try #require(OrgUserLoader.queryItems(of: link))
        #expect(query.contains(URLQueryItem(name: "pageNum", value: "2")))
    }

    @Test func invitationAndOrganizationDecode() throws {
        let invitation = try decode(
            WireInvitation.self,
            #"{"id": "5f00000000000000000000d1", "username": "x@y.z", "roles": ["ORG_MEMBER"], "createdAt": "2024-01-01T00:00:00Z", "expiresAt": "2024-02-01T00:00:00Z", "orgName": "n"}"#
        ).invitation
        #expect(invitation.orgRoles == [.member])
        #expect(invitation.expiresAt == Date(timeIntervalSince1970: 1_706_745_600))
        let organization = try decode(
            WireOrganization.self,
            #"{"id": "5f00000000000000000000e1", "name": "Acme", "skipDefaultAlertsSettings": true}"#
        )
        .organization
        #expect(organization == Organization(id: "5f00000000000000000000e1", name: "Acme", isDeleted: false))
    }

    @Test func envelopeDecodesEveryField() throws {
        let json = """
            {"error": 400, "errorCode": "VALIDATION_ERROR", "detail": "Invalid role", "reason": "Bad Request",
             "parameters": ["ORG_FOO", 3, {"k": true}, null],
             "badRequestDetail": {"fields": [{"field": "orgRoles", "description": "must be a known role"}]}}
            """
        let envelope = try decode(APIErrorEnvelope.self, json)
        #expect(envelope.error == 400)
        #expect(envelope.errorCode == "VALIDATION_ERROR")
        #expect(envelope.detail == "Invalid role")
        #expect(envelope.reason == "Bad Request")
        #expect(envelope.parameters == [.string("ORG_FOO"), .number(3), .object(["k": .bool(true)]), .null])
        #expect(envelope.badRequestDetail?.fields == [.init(field: "orgRoles", description: "must be a known role")])
    }
}

/// Ids become path segments: nothing but 24 hex digits gets in, from the wire or anywhere else.
@Suite struct AtlasIDTests {
    @Test func onlyTwentyFourHexDigitsAreIds() {
        #expect(AtlasID.isValid("5f1d0000000000000000abcd"))
        // Atlas writes ids in lowercase only; one form keeps every look-up exact.
        #expect(!AtlasID.isValid("5F1D0000000000000000ABCD"))
        #expect(!AtlasID.isValid("5f1d0000000000000000abcD"))
        for bad in [
            "", "5f1d", "5f1d0000000000000000abcg", "../../../groups/5f1d0000000000000000abcd/x",
            "5f1d0000000000000000abc\u{0}", "5f1d0000000000000000abcd ", "%2e%2e/5f1d0000000000000000ab",
        ] {
            #expect(!AtlasID.isValid(bad), "\(bad)")
        }
    }

    @Test func pathsThatAParserWouldRewriteAreUnsafe() {
        #expect(AtlasID.isSafePath("/api/atlas/v2/orgs/5f1d0000000000000000abcd/users/5f1d0000000000000000abce/roles"))
        #expect(
            AtlasID.isSafePath("/api/atlas/v2/orgs/5f1d0000000000000000abcd/users/5f1d0000000000000000abce:addRole"))
        for bad in [
            "/api/atlas/v2/orgs/x/users/../../../groups/5f1d0000000000000000abcd/x/roles", "/api/atlas/v2/orgs//users",
            "/api/atlas/v2/orgs/%2e%2e/users", "/api/atlas/v2/orgs/a?b=c", "/api/atlas/v2/orgs/a#b", "api/atlas/v2",
            "/api/atlas/v2/orgs/a b", "/api/atlas/v2/./orgs",
        ] {
            #expect(!AtlasID.isSafePath(bad), "\(bad)")
        }
    }

    @Test func aServerUserIdThatIsAPathIsRefusedAtDecoding() throws {
        let json = #"""
            {"id": "../../../groups/5f1d0000000000000000abcd/x", "username": "eve@example.com",
             "orgMembershipStatus": "ACTIVE", "roles": {"orgRoles": ["ORG_MEMBER"]}}
            """#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WireOrgUser.self, from: Data(json.utf8)) }
    }
}
