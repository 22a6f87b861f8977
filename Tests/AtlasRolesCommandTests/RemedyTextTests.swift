import AtlasAPI
import Foundation
import RoleEditor
import Testing

@testable import atlas_roles

/// Every flag a remedy's sentence quotes is one `atlas-roles` accepts: a hint must never send a person
/// to a flag that does not exist.
@Suite struct RemedyTextTests {
    @Test func everyQuotedFlagParses() throws {
        var quoted: Set<String> = []
        for remedy in Remedy.allCases {
            let sentence = RemedyText.sentence(remedy)
            #expect(!sentence.isEmpty)
            quoted.formUnion(Self.flags(in: sentence))
        }
        // The sentences name flags at all (else this test would check nothing).
        #expect(quoted.contains("--org"))
        for flag in quoted.sorted() {
            #expect(Self.parses(flag), "a remedy quotes \(flag), which atlas-roles rejects")
        }
    }

    @Test func aFlagThatDoesNotExistIsRejected() {
        #expect(!Self.parses("--org-id"))
        #expect(Self.parses("--org"))
        #expect(Self.parses("--profile"))
    }

    /// `--word` and `--two-words` in `text`.
    static func flags(in text: String) -> Set<String> {
        let pattern = /--[a-z][a-z0-9-]*/
        return Set(text.matches(of: pattern).map { String($0.output) })
    }

    /// True when the flag parses on its own (a flag) or with a value (an option), as given to the
    /// program or to one of its subcommands.
    static func parses(_ flag: String) -> Bool {
        let commands: [[String]] = [[], ["list"], ["set", "ana@example.com", "--add", "member"]]
        return commands.contains { command in
            [[flag], [flag, "x"]].contains { arguments in
                (try? AtlasRoles.parseAsRoot(command + arguments)) != nil
            }
        }
    }
}
