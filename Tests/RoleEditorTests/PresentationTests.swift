import AtlasAPI
import AtlasRolesTesting
import Testing

@testable import RoleEditor

@Suite struct PresentationTests {
    @Test func roleSummaryFitsTheColumn() {
        let roles: Set<OrgRole> = [.member, .owner, .billingReadOnly]
        #expect(RoleText.summary(roles, width: 40) == "Owner, Member, Billing Viewer")
        #expect(RoleText.summary(roles, width: 12) == "OWN MEM BV")
        #expect(RoleText.summary(roles, width: 9) == "OWN +2")
        #expect(RoleText.summary(roles, width: 2) == "+3")
        #expect(RoleText.summary([], width: 10) == "(none)")
        #expect(RoleText.abbreviation(OrgRole(rawValue: "ORG_NEW\u{1B}X")) == "NEW␛X")
    }

    @Test func diffLinesAddFirst() {
        let edit = PendingEdit(
            userId: "u", username: "e", status: .active, base: [.member, .readOnly], target: [.owner, .member])
        #expect(RoleText.diffLines(edit) == ["+ORG_OWNER", "-ORG_READ_ONLY"])
    }

    @Test func briefErrorsLeaveTheDetailsToThePane() {
        #expect(
            OutcomeText.brief(Fixtures.apiError(403, "IP_ADDRESS_NOT_ON_ACCESS_LIST"))
                == "403 IP_ADDRESS_NOT_ON_ACCESS_LIST")
        #expect(OutcomeText.brief(Fixtures.timeout) == "network error (curl 28): Operation timed out")
        #expect(
            OutcomeText.brief(AtlasError(.httpStatus(status: 502, bodyExcerpt: "<html>")))
                == "HTTP 502, not an Atlas answer")
    }

    @Test func outcomeLabels() {
        let call = RoleWriteMethod.patchUser.call(orgId: "o", userId: "u")
        #expect(OutcomeText.label(.applied(call: call, roles: [.member])) == "applied (PATCH)")
        #expect(
            OutcomeText.label(.refused(Fixtures.apiError(403, "IP_ADDRESS_NOT_ON_ACCESS_LIST")))
                == "refused 403 IP_ADDRESS_NOT_ON_ACCESS_LIST")
        #expect(OutcomeText.label(.failed(Fixtures.timeout)) == "failed: network error (curl 28): Operation timed out")
        #expect(
            OutcomeText.errorLines(Fixtures.timeout) == [
                "network error (curl 28): Operation timed out",
                "hint: the server did not answer in time: a slow link or a firewall dropping packets",
            ])
        // A non-transient answer without an envelope (a proxy page) is a refusal, 5xx is a failure.
        #expect(ApplyOutcome.forError(AtlasError(.httpStatus(status: 403, bodyExcerpt: "<html>"))).isRetryable)
        if case .refused = ApplyOutcome.forError(AtlasError(.httpStatus(status: 403, bodyExcerpt: "<html>"))) {
        } else {
            Issue.record("403 without envelope should be refused")
        }
        if case .failed = ApplyOutcome.forError(Fixtures.apiError(503, "SERVICE_UNAVAILABLE")) {
        } else {
            Issue.record("503 should be a failure")
        }
    }

    @Test func countsAndStatusLine() {
        #expect(
            StatusText.counts(shown: 300, loaded: 300, total: 300, isLoading: false, isFiltered: false) == "300 users")
        #expect(StatusText.counts(shown: 1, loaded: 1, total: 1, isLoading: false, isFiltered: false) == "1 user")
        #expect(
            StatusText.counts(shown: 12, loaded: 300, total: 300, isLoading: false, isFiltered: true)
                == "12 shown · 300 users")
        #expect(
            StatusText.counts(shown: 4000, loaded: 4000, total: 10000, isLoading: true, isFiltered: false)
                == "loading 4,000 of 10,000")
        #expect(
            StatusText.counts(shown: 3, loaded: 10, total: nil, isLoading: true, isFiltered: true)
                == "3 shown · loading 10…")
        // A load that stopped part way says how much of the organization is there.
        #expect(
            StatusText.counts(shown: 4000, loaded: 4000, total: 10000, isLoading: false, isFiltered: false)
                == "4,000 of 10,000 users loaded")
        #expect(
            StatusText.runSummary(applied: 2, conflicts: 1, refused: 0, failed: 1)
                == "applied 2, conflicts 1, refused 0, failed 1")
        var state = Fixtures.loaded(Fixtures.team())
        // Nothing to say: the screen shows the pane's key hints, which are not the view-model's.
        #expect(state.statusLine == nil)
        _ = update(&state, .filterBegin)
        _ = update(&state, .filterInput("ad"))
        #expect(state.statusLine == "/ad")
    }

    @Test func rowsAreSanitized() {
        let hostile = Fixtures.user(1, email: "eve\u{1B}]0;pwned\u{07}@x.io", first: "Eve\u{202E}", last: "X")
        let state = Fixtures.loaded([hostile])
        let row = state.visibleUserRows[0]
        #expect(row.email == "eve␛]0;pwned^G@x.io")
        #expect(row.name == "Eve⟨U+202E⟩ X")
        #expect(
            Fixtures.loaded([Fixtures.user(2, status: .invitationExpired)]).visibleUserRows[0].statusLabel == "EXPIRED")
    }
}
