import AtlasAPI
import Foundation
import Testing

@testable import RoleEditor

/// Folding and ordering of names without full Foundation, and the status texts that used its formatters.
@Suite struct TextFoldingTests {
    @Test func accentsAndCaseFoldAwayInEveryScript() {
        #expect(TextFolding.foldedString("Élodie GARCÍA") == "elodie garcia")
        #expect(TextFolding.foldedString("Nguyễn Zoë Øvergård") == "nguyen zoe øvergard")
        #expect(TextFolding.foldedString("Йошкар-Ола") == "иошкар-ола")
        #expect(TextFolding.foldedString("Ωμέγα") == "ωμεγα")
        #expect(TextFolding.foldedString("ana@example.com") == "ana@example.com")
        // Precomposed and decomposed spellings fold alike, so a search finds either.
        #expect(TextFolding.foldedString("Jos\u{E9}") == TextFolding.foldedString("Jose\u{301}"))
    }

    @Test func aFoldedNeedleIsFoundInAFoldedName() {
        let name = TextFolding.folded("Zoë Müller-Lüdenscheidt")
        #expect(TextFolding.contains(name, TextFolding.folded("zoe")))
        #expect(TextFolding.contains(name, TextFolding.folded("MULLER")))
        #expect(!TextFolding.contains(name, TextFolding.folded("mueller")))
    }

    @Test func namesSortFoldedWithDigitsAsNumbers() {
        let names = ["Org 10", "org 9", "Beta", "Élan", "alpha", "Org 009b", "Elam", "Org 9a"]
        #expect(
            names.sorted(by: TextFolding.precedes) == [
                "alpha", "Beta", "Elam", "Élan", "org 9", "Org 9a", "Org 009b", "Org 10",
            ])
        #expect(!TextFolding.precedes("Org", "org"))
        #expect(TextFolding.precedes("Org", "Org 1"))
    }

    @Test func retryWaitsShowOneDecimalUnderTenSeconds() {
        let call = APICall(method: "PUT", path: "/orgs/…/roles", version: .v20230101)
        #expect(StatusText.retryWait(call: call, seconds: 5.5, attempt: 2, reason: "429").contains("waiting 5.5s"))
        #expect(StatusText.retryWait(call: call, seconds: 0.04, attempt: 1, reason: "429").contains("waiting 0.0s"))
        #expect(StatusText.retryWait(call: call, seconds: 3, attempt: 1, reason: "429").contains("waiting 3.0s"))
        #expect(StatusText.retryWait(call: call, seconds: 55.4, attempt: 1, reason: "429").contains("waiting 55s"))
    }

    @Test func daysAreISODatesInUTC() {
        #expect(StatusText.day(Date(timeIntervalSince1970: 1_814_400_000)) == "2027-07-01")
        #expect(StatusText.day(Date(timeIntervalSince1970: 1_814_486_399)) == "2027-07-01")
    }
}
