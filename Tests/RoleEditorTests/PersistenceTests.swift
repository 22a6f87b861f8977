import AtlasAPI
import AtlasRolesTesting
import Foundation
import RoleEditorRuntime
import Testing

@testable import RoleEditor

@Suite struct PersistenceTests {
    /// One applied write, as the journal tests append it.
    static let appliedEntry = JournalEntry(
        time: Fixtures.time, batch: "s-1", orgId: Fixtures.orgId, userId: Fixtures.id(1), username: "a@b.c",
        before: [.member], after: [.owner],
        call: APICall(method: "PUT", path: "/x", version: APIVersion(rawValue: "2023-01-01")), outcome: .applied)

    @Test func draftRoundTripsAtomicallyWithPrivatePermissions() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir.appendingPathComponent("atlas-roles"))
        #expect(try store.loadDraft(orgId: Fixtures.orgId) == nil)
        let edit = PendingEdit(
            userId: Fixtures.id(1), username: "a@b.c", status: .pending, base: [.readOnly], target: [.member, .owner])
        try store.saveDraft(Draft(orgId: Fixtures.orgId, edits: [edit]), now: Fixtures.time)
        let loaded = try store.loadDraft(orgId: Fixtures.orgId)
        #expect(loaded == Draft(orgId: Fixtures.orgId, edits: [edit], savedAt: Fixtures.time))
        let attributes = try FileManager.default.attributesOfItem(atPath: store.draftURL(orgId: Fixtures.orgId).path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let dirAttributes = try FileManager.default.attributesOfItem(atPath: store.directory.path)
        #expect((dirAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        // Replacing leaves no temporary files behind.
        try store.saveDraft(Draft(orgId: Fixtures.orgId, edits: []), now: Fixtures.time)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: store.directory.path) == [
                "draft-\(Fixtures.orgId).json"
            ])
        try store.deleteDraft(orgId: Fixtures.orgId)
        try store.deleteDraft(orgId: Fixtures.orgId)  // already gone: not an error
        #expect(try store.loadDraft(orgId: Fixtures.orgId) == nil)
    }

    @Test func journalAppendsJSONLinesAndSkipsATornLine() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: Fixtures.id(1))
        let entry = JournalEntry(
            time: Fixtures.time, batch: "s-1", orgId: Fixtures.orgId, userId: Fixtures.id(1), username: "a@b.c",
            before: [.member], after: [.member, .owner], call: call, outcome: .applied)
        try store.appendJournal([entry])
        // A crash mid-append leaves half a line; the rest of the journal must still read.
        let handle = try FileHandle(forWritingTo: store.journalURL(orgId: Fixtures.orgId))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"time\":".utf8) + Data([0x0A]))
        try handle.close()
        var second = entry
        second.batch = "s-2"
        second.outcome = .failed
        second.error = "network error"
        try store.appendJournal([second])
        let text = try String(contentsOf: store.journalURL(orgId: Fixtures.orgId), encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.hasPrefix("{\"after\":[\"ORG_MEMBER\",\"ORG_OWNER\"],\"batch\":\"s-1\""))
        #expect(try store.loadJournal(orgId: Fixtures.orgId) == [entry, second])
        let attributes = try FileManager.default.attributesOfItem(atPath: store.journalURL(orgId: Fixtures.orgId).path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    // MARK: Another local user

    @Test func aSymlinkedOrSharedStateDirectoryIsRefused() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let elsewhere = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let link = dir.appendingPathComponent("state")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: elsewhere)
        #expect(throws: PersistenceError.self) { try StateStore(directory: link) }

        let shared = dir.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        chmod(shared.path, 0o777)
        let error = #expect(throws: PersistenceError.self) { try StateStore(directory: shared) }
        #expect(error?.reason.contains("chmod 700") == true)

        // Ours, but readable by others: tightened, not refused.
        let loose = dir.appendingPathComponent("loose")
        try FileManager.default.createDirectory(at: loose, withIntermediateDirectories: true)
        chmod(loose.path, 0o755)
        _ = try StateStore(directory: loose)
        let mode = try FileManager.default.attributesOfItem(atPath: loose.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o700)
    }

    @Test func aPlantedSymlinkIsNeverFollowedForTheJournalOrTheDraft() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir.appendingPathComponent("atlas-roles"))
        let victim = dir.appendingPathComponent("victim.txt")
        try Data("precious\n".utf8).write(to: victim)
        chmod(victim.path, 0o644)
        try FileManager.default.createSymbolicLink(
            at: store.journalURL(orgId: Fixtures.orgId), withDestinationURL: victim)
        try FileManager.default.createSymbolicLink(
            at: store.draftURL(orgId: Fixtures.orgId), withDestinationURL: victim)
        let entry = Self.appliedEntry
        #expect(throws: PersistenceError.self) { try store.appendJournal([entry]) }
        #expect(throws: PersistenceError.self) { try store.loadJournal(orgId: Fixtures.orgId) }
        #expect(throws: PersistenceError.self) { try store.loadDraft(orgId: Fixtures.orgId) }
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
        let mode = try FileManager.default.attributesOfItem(atPath: victim.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o644, "the link's target was not chmod'ed")
        // Saving the draft replaces the link itself (a rename over it), never writes through it.
        try store.saveDraft(Draft(orgId: Fixtures.orgId, edits: []), now: Fixtures.time)
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
    }

    @Test func anExistingJournalOrDraftOpenToOthersIsClosedBeforeUse() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir.appendingPathComponent("atlas-roles"))
        let entry = Self.appliedEntry
        try store.appendJournal([entry])
        try store.saveDraft(Draft(orgId: Fixtures.orgId, edits: []), now: Fixtures.time)
        let journal = store.journalURL(orgId: Fixtures.orgId).path
        let draft = store.draftURL(orgId: Fixtures.orgId).path
        // Left writable by everyone (a restore from a backup, a careless chmod): another user could
        // forge a run that `J` would offer to revert, or plant drafts.
        chmod(journal, 0o666)
        chmod(draft, 0o666)
        #expect(try store.loadJournal(orgId: Fixtures.orgId).count == 1)
        _ = try store.loadDraft(orgId: Fixtures.orgId)
        for path in [journal, draft] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "\(path)")
        }
    }

    @Test func aTornLastJournalLineSpoilsOnlyItself() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        let entry = Self.appliedEntry
        try store.appendJournal([entry])
        // A crash in the middle of the next append left half a line.
        let handle = try FileHandle(forWritingTo: store.journalURL(orgId: Fixtures.orgId))
        handle.seekToEndOfFile()
        handle.write(Data("{\"after\":[\"ORG_OW".utf8))
        try handle.close()
        var next = entry
        next.userId = Fixtures.id(2)
        try store.appendJournal([next])
        #expect(try store.loadJournal(orgId: Fixtures.orgId) == [entry, next])
    }

    @Test func anUnreadableDraftIsKeptAsideNotOverwritten() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        try Data("{ not json".utf8).write(to: store.draftURL(orgId: Fixtures.orgId))
        let error = #expect(throws: PersistenceError.self) {
            try store.loadDraft(orgId: Fixtures.orgId, now: Fixtures.time)
        }
        #expect(error?.reason.contains("kept as") == true)
        let aside = dir.appendingPathComponent(
            "draft-\(Fixtures.orgId).json.corrupt-\(Int(Fixtures.time.timeIntervalSince1970))")
        #expect(try String(contentsOf: aside, encoding: .utf8) == "{ not json")
        #expect(try store.loadDraft(orgId: Fixtures.orgId) == nil)
    }

    @Test func organizationIdCannotEscapeTheDirectory() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        #expect(store.draftURL(orgId: "../../etc/passwd").lastPathComponent == "draft-______etc_passwd.json")
        #expect(store.draftURL(orgId: "../x").deletingLastPathComponent().path == dir.path)
    }
}
