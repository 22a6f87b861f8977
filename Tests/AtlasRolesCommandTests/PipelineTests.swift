import AtlasAPI
import AtlasSandbox
import Foundation
import Testing

@testable import atlas_roles

/// `-` as a list of users on standard input, in the forms scripts produce.
@Suite struct UserListInputTests {
    @Test func linesSkipBlanksAndCommentsAndKeepOrder() throws {
        let text =
            "\u{FEFF}# leavers, from HR\r\nana@example.com\r\n\r\n   \n  # indented comment\n"
            + "5f1d00000000000000000abc\n  Bo@Example.org  \n"
        #expect(
            try UserListInput.references(in: text) == [
                "ana@example.com", "5f1d00000000000000000abc", "Bo@Example.org",
            ])
    }

    @Test func csvOfListIsReadBackToItsEmails() throws {
        let users = [
            OrgUser(
                id: "5f1d00000000000000000001", username: "ana@example.com", firstName: "Ana, \"the\" boss",
                orgRoles: [.member]),
            OrgUser(
                id: "5f1d00000000000000000002", username: "-dash@example.com", lastName: "two\nlines",
                orgRoles: [.member]),
            OrgUser(id: "5f1d00000000000000000003", username: "=eq,comma@example.com", orgRoles: [.member]),
            OrgUser(id: "5f1d00000000000000000004", username: "plain@example.com", orgRoles: [.owner]),
        ]
        let csv = UserCSVRenderer.render(users)
        #expect(csv.contains("'-dash@example.com"))
        #expect(try UserListInput.references(in: csv) == users.map(\.username))
    }

    @Test func csvOfAnotherToolIsReadByItsEmailColumn() throws {
        let csv = "Name,Email,Team\n\"Doe, Jane\",jane@example.com,red\n\n,bob@example.com,\n"
        #expect(try UserListInput.references(in: csv) == ["jane@example.com", "bob@example.com"])
        #expect(try UserListInput.references(in: "Email\r\njane@example.com\r\n") == ["jane@example.com"])
    }

    @Test func aLineThatIsNotOneUserIsAnErrorNamingTheLine() {
        #expect {
            try UserListInput.references(in: "ana@example.com\n# ok\nana@example.com bob@example.com\n")
        } throws: { error in
            let failure = error as? CommandFailure
            return failure?.status == .usageOrConfiguration && failure?.message.contains("line 3") == true
        }
        #expect(throws: CommandFailure.self) { try UserListInput.references(in: "ana,bob\n") }
        #expect(throws: CommandFailure.self) { try UserListInput.references(in: "not-a-user\n") }
        #expect(throws: CommandFailure.self) {
            try UserListInput.references(in: "id,username\n5f1d00000000000000000001,\"open@example.com\n")
        }
    }

    @Test func whatIsReadIsBounded() {
        let lines = String(repeating: "a@b.c\n", count: UserListInput.maxLines + 1)
        #expect {
            try UserListInput.references(in: lines)
        } throws: { error in
            (error as? CommandFailure)?.message.contains("more than \(UserListInput.maxLines) lines") == true
        }
        let console = RecordingConsole(input: String(repeating: "#", count: UserListInput.maxBytes + 1))
        #expect {
            try UserListInput.expand(["-"], console: console)
        } throws: { error in
            (error as? CommandFailure)?.message.contains("MiB") == true
        }
    }

    @Test func theMarkerIsReplacedInPlaceAndTakenOnce() throws {
        let console = RecordingConsole(input: "b@example.com\nc@example.com\n")
        #expect(
            try UserListInput.expand(["a@example.com", "-", "d@example.com"], console: console) == [
                "a@example.com", "b@example.com", "c@example.com", "d@example.com",
            ])
        #expect(throws: CommandFailure.self) {
            try UserListInput.expand(["-", "-"], console: RecordingConsole(input: "a@example.com\n"))
        }
        #expect(try UserListInput.expand(["a@example.com"], console: RecordingConsole()) == ["a@example.com"])
    }
}

/// `list` and `set` in a pipeline, the organization `list` resolves, and `--demo` for both.
@Suite struct PipelineCommandTests {
    @Test func listCsvPipedIntoSetChangesExactlyTheListedUsers() async throws {
        try await withHarness { harness in
            let before = await harness.users()
            let listed = try await harness.run(["list", "-o", "csv", "--search", "role:member status:active"])
            #expect(listed.status == .success, "\(listed.err)")
            let expected = before.filter {
                $0.orgRoles.contains("ORG_MEMBER") && $0.orgMembershipStatus == "ACTIVE"
                    && !$0.orgRoles.contains("ORG_BILLING_ADMIN")
            }
            #expect(expected.count > 2)

            let set = try await harness.run(
                ["set", "--add", "billing-admin", "--yes", "-"], console: RecordingConsole(input: listed.out))
            #expect(set.status == .success, "\(set.err)")
            let after = Dictionary(uniqueKeysWithValues: await harness.users().map { ($0.id, $0) })
            let changed = Set(expected.map(\.id))
            for user in before {
                let now = try #require(after[user.id])
                if changed.contains(user.id) {
                    #expect(Set(now.orgRoles) == Set(user.orgRoles + ["ORG_BILLING_ADMIN"]))
                } else {
                    #expect(now.orgRoles == user.orgRoles, "\(user.username) was not listed")
                }
            }
            #expect(await harness.writes().count == expected.count)
        }
    }

    @Test func setFromStandardInputNeedsYesAndSaysWhy() async throws {
        try await withHarness { harness in
            let user = try #require(await harness.users().first { $0.orgMembershipStatus == "ACTIVE" })
            // Refused while the arguments are read (a usage error, exit 2), whatever standard input is.
            do {
                _ = try AtlasRoles.parseAsRoot(["set", "--add", "billing-admin", "-"])
                Issue.record("set - without --yes was accepted")
            } catch {
                let message = AtlasRoles.fullMessage(for: error)
                #expect(AtlasRoles.exitCode(for: error) == .validationFailure)
                #expect(message.contains("--yes"), "\(message)")
                #expect(message.contains("standard input"), "\(message)")
            }
            let dryRun = try await harness.run(
                ["set", "--add", "billing-admin", "--dry-run", "-"], console: RecordingConsole(input: user.username))
            #expect(dryRun.status == .success, "\(dryRun.err)")
            #expect(dryRun.out.contains("+ORG_BILLING_ADMIN") || dryRun.out.contains("unchanged"))
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func anEmptySelectionUpstreamIsNothingToDo() async throws {
        try await withHarness { harness in
            let listed = try await harness.run(["list", "-o", "csv", "--search", "xyzzy-nobody"])
            #expect(listed.out.split(separator: "\r\n").count == 1)
            let set = try await harness.run(
                ["set", "--remove", "owner", "--yes", "-"], console: RecordingConsole(input: listed.out))
            #expect(set.status == .success, "\(set.err)")
            #expect(set.out.contains("nothing to change"))
            #expect(await harness.writes().isEmpty)
        }
    }

    @Test func listNamesUsersFromStandardInputAndRefusesUnknownOnes() async throws {
        try await withHarness { harness in
            let users = await harness.users()
            let picked = [users[3], users[1], users[7]]
            let input =
                "# three of them\n\(picked[0].username.uppercased())\n\(picked[1].id)\n\n\(picked[2].username)\n"
            let result = try await harness.run(["list", "-o", "json", "-"], console: RecordingConsole(input: input))
            #expect(result.status == .success, "\(result.err)")
            struct Record: Decodable { var id: String }
            let ids = try JSONDecoder().decode([Record].self, from: Data(result.out.utf8)).map(\.id)
            #expect(Set(ids) == Set(picked.map(\.id)))
            #expect(ids.count == 3)

            let typo = String(picked[0].username.dropFirst())
            let unknown = try await harness.run(
                ["list", "-"], console: RecordingConsole(input: picked[1].username + "\n" + typo + "\n"))
            #expect(unknown.status == .usageOrConfiguration)
            #expect(unknown.err.contains("no such user"))
            #expect(unknown.err.contains("did you mean \(picked[0].username)"))
            #expect(unknown.out.isEmpty)
        }
    }

    @Test func listTakesTheOnlyOrganizationOfTheKey() async throws {
        try await withHarness(organizations: 1) { harness in
            let result = try await harness.run(["list", "-o", "json"], environment: harness.environment(org: false))
            #expect(result.status == .success, "\(result.err)")
            struct Record: Decodable { var id: String }
            let ids = try JSONDecoder().decode([Record].self, from: Data(result.out.utf8)).map(\.id)
            #expect(Set(ids) == Set(await harness.users().map(\.id)))
        }
    }

    @Test func listWithSeveralOrganizationsPrintsThemAndExits2() async throws {
        try await withHarness(organizations: 2) { harness in
            let result = try await harness.run(["list"], environment: harness.environment(org: false))
            #expect(result.status == .usageOrConfiguration)
            #expect(result.out.isEmpty)
            #expect(result.err.contains("--org"))
            for org in harness.sandbox.organizations {
                #expect(result.err.contains("\(org.id)  \(SafeText.sanitized(org.name))"), "\(result.err)")
            }
            // `set` changes roles: it does not pick an organization for the user.
            let set = try await harness.run(
                ["set", "--add", "billing-admin", "--yes", "a@example.com"],
                environment: harness.environment(org: false))
            #expect(set.status == .usageOrConfiguration)
            #expect(set.err.contains("no organization"))
        }
    }

    /// The bench's switch: the same writes, and no journal line; without it every write is journaled.
    @Test func theBenchmarksSwitchAppliesWithoutAJournal() async throws {
        try await withHarness { harness in
            let users = await harness.users().filter {
                $0.orgMembershipStatus == "ACTIVE" && !$0.orgRoles.contains("ORG_BILLING_ADMIN")
            }
            let input = users.prefix(6).map(\.id).joined(separator: "\n")
            let result = try await harness.run(
                ["set", "--add", "billing-admin", "--yes", "--benchmark-without-journal", "-"],
                console: RecordingConsole(input: input))
            #expect(result.status == .success, "\(result.err)")
            #expect(result.out.contains("applied 6 of 6"))
            #expect(await harness.writes().count == 6)
            let journal = harness.directory.appendingPathComponent("state/atlas-roles/journal-\(harness.orgId).jsonl")
            #expect(!FileManager.default.fileExists(atPath: journal.path))

            let journaled = try await harness.run(
                ["set", "--remove", "billing-admin", "--yes", "-"], console: RecordingConsole(input: input))
            #expect(journaled.status == .success, "\(journaled.err)")
            let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 12, "an intent and an outcome for each of the 6 users")
        }
    }

    @Test func demoServesListAndSetWithoutAnAccount() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("demo-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = [
            "HOME": home.path, "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
        ]
        try await withHarness { harness in
            let listed = try await harness.run(
                ["list", "--demo", "--demo-users", "30", "-o", "json"], environment: environment)
            #expect(listed.status == .success, "\(listed.err)")
            struct Record: Decodable {
                var id: String
                var username: String
                var status: String
                var orgRoles: [String]
            }
            let records = try JSONDecoder().decode([Record].self, from: Data(listed.out.utf8))
            #expect(records.count == 30)

            let user = try #require(
                records.first { $0.status == "ACTIVE" && !$0.orgRoles.contains("ORG_BILLING_ADMIN") })
            let set = try await harness.run(
                ["set", "--demo", "--demo-users", "30", "--add", "billing-admin", "--yes", user.username],
                environment: environment)
            #expect(set.status == .success, "\(set.err)")
            #expect(set.out.contains("applied 1 of 1"))
            // The demo's journal is kept apart from real organizations'.
            let demoState = home.appendingPathComponent("state/atlas-roles/demo")
            let journals = try FileManager.default.contentsOfDirectory(atPath: demoState.path)
            #expect(journals.contains { $0.hasPrefix("journal-") }, "\(journals)")
            let realState = try FileManager.default.contentsOfDirectory(
                atPath: home.appendingPathComponent("state/atlas-roles").path)
            #expect(!realState.contains { $0.hasPrefix("journal-") })
        }
    }
}
