import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

/// The checklist's lines about the one user it edits: members, invitations in each state, what is
/// left out when the server said nothing, and hostile text from the server.
@Suite struct UserDetailsTextTests {
    let now = Fixtures.time  // 2027-01-15T08:00:00Z

    /// Midnight UTC of a day, plus `hours`: the dates shown are UTC days whatever the host's zone.
    func day(_ text: String, hours: Double = 0) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)! + hours * 3600
    }

    func member(lastAuth: Date?, createdAt: Date? = nil, country: String? = nil, teams: Int = 0) -> OrgUser {
        OrgUser(
            id: Fixtures.id(1), username: "ada@example.com", firstName: "Ada", lastName: "Lovelace",
            orgRoles: [.member], teamIds: (0..<teams).map { "team\($0)" }, country: country, createdAt: createdAt,
            lastAuth: lastAuth)
    }

    func invitation(
        _ status: MembershipStatus, created: Date? = nil, expires: Date? = nil, inviter: String? = nil
    ) -> OrgUser {
        OrgUser(
            id: Fixtures.id(2), username: "invitee@example.com", status: status, orgRoles: [.readOnly],
            invitationCreatedAt: created, invitationExpiresAt: expires, inviterUsername: inviter)
    }

    @Test func activeMemberWithEverything() {
        let user = member(
            lastAuth: now - 3 * 86_400 - 3600, createdAt: day("2021-10-06", hours: 23.5), country: "BR", teams: 2)
        #expect(
            UserDetailsText.lines(for: user, now: now) == [
                "ACTIVE · last login 3d ago · member since 2021-10-06 · BR · 2 teams"
            ])
    }

    @Test func loginAgesReadAsSentences() {
        #expect(UserDetailsText.lines(for: member(lastAuth: now - 600), now: now) == ["ACTIVE · last login today"])
        #expect(
            UserDetailsText.lines(for: member(lastAuth: now - 40 * 86_400, teams: 1), now: now) == [
                "ACTIVE · last login 1mo ago · 1 team"
            ])
    }

    @Test func memberWhoNeverLoggedIn() {
        let user = member(lastAuth: nil, createdAt: day("2026-12-24"))
        #expect(UserDetailsText.lines(for: user, now: now) == ["ACTIVE · never logged in · member since 2026-12-24"])
    }

    /// Before the first tick there is no clock: the age is left out, not counted from a made-up date.
    @Test func noAgeBeforeTheFirstTick() {
        let user = member(lastAuth: now - 3 * 86_400, createdAt: day("2021-10-06"))
        #expect(UserDetailsText.lines(for: user, now: nil) == ["ACTIVE · member since 2021-10-06"])
        #expect(UserDetailsText.lines(for: member(lastAuth: nil), now: nil) == ["ACTIVE"])
    }

    @Test func pendingInvitationWithExpiry() {
        let user = invitation(
            .pending, created: day("2026-10-03", hours: 9), expires: day("2026-11-02", hours: 9),
            inviter: "ingrid.li.0@example.com")
        #expect(
            UserDetailsText.lines(for: user, now: now) == [
                "PENDING · invited 2026-10-03 by ingrid.li.0@example.com · expires 2026-11-02"
            ])
    }

    /// No expiry date: nothing is said about expiry, and an invitation never has a login age.
    @Test func pendingInvitationWithoutExpiry() {
        let user = invitation(.pending, created: day("2026-10-03"), inviter: "ingrid.li.0@example.com")
        #expect(
            UserDetailsText.lines(for: user, now: now) == ["PENDING · invited 2026-10-03 by ingrid.li.0@example.com"])
        #expect(
            UserDetailsText.lines(for: invitation(.pending, inviter: "a@example.com"), now: now) == [
                "PENDING · invited by a@example.com"
            ])
        #expect(UserDetailsText.lines(for: invitation(.pending), now: now) == ["PENDING"])
    }

    @Test func expiredInvitationSaysExpired() {
        let user = invitation(
            .invitationExpired, created: day("2026-10-03"), expires: day("2026-11-02"),
            inviter: "ingrid.li.0@example.com")
        #expect(
            UserDetailsText.lines(for: user, now: now) == [
                "EXPIRED · invited 2026-10-03 by ingrid.li.0@example.com · expired 2026-11-02"
            ])
    }

    @Test func rejectedInvitationHasNoExpiry() {
        let user = invitation(.invitationRejected, created: day("2026-10-03"), expires: day("2026-11-02"))
        #expect(UserDetailsText.lines(for: user, now: now) == ["REJECTED · invited 2026-10-03"])
    }

    /// An inviter, country or status word from the server cannot reach the terminal as control text.
    @Test func hostileServerTextIsSanitized() {
        var user = invitation(
            .pending, created: day("2026-10-03"), inviter: "eve\u{1B}]0;pwned\u{07}\u{202E}@example.com\nx")
        user.country = "B\u{1B}[2JR"
        user.teamIds = ["t"]
        let lines = UserDetailsText.lines(for: user, now: now)
        #expect(
            lines == ["PENDING · invited 2026-10-03 by eve␛]0;pwned^G⟨U+202E⟩@example.com x · B␛[2JR · 1 team"])
        let odd = OrgUser(id: "x", username: "x", status: .other("SUS\u{1B}[31mPENDED"), orgRoles: [])
        #expect(UserDetailsText.lines(for: odd, now: now) == ["SUS␛[31mPENDED"])
        for line in lines + UserDetailsText.lines(for: odd, now: now) {
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x1B || $0.value == 0x202E })
        }
    }

    /// The list's status label and the checklist's status word are the same words.
    @Test func statusWordsMatchTheList() {
        #expect(UserDetailsText.status(.active) == "ACTIVE")
        for status: MembershipStatus in [.pending, .invitationExpired, .invitationRejected, .other("X")] {
            let row = Fixtures.loaded([Fixtures.user(1, status: status)]).visibleUserRows[0]
            #expect(row.statusLabel == UserDetailsText.status(status))
        }
        #expect(Fixtures.loaded([Fixtures.user(1)]).visibleUserRows[0].statusLabel == "")
    }
}
