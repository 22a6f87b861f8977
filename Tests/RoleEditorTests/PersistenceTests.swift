import AtlasAPI
import AtlasRolesTesting
import Foundation
import RoleEditorRuntime
import Testing

@testable import RoleEditor

@Suite struct PersistenceTests {
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

    @Test func defaultDirectoryFollowsXDG() {
        #expect(
            StateStore.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/atlas-roles")
        #expect(StateStore.defaultDirectory(environment: ["HOME": "/h"]).path == "/h/.local/state/atlas-roles")
        // A relative XDG_STATE_HOME is invalid per the spec and ignored.
        #expect(
            StateStore.defaultDirectory(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"]).path
                == "/h/.local/state/atlas-roles")
    }

    @Test func organizationIdCannotEscapeTheDirectory() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try StateStore(directory: dir)
        #expect(store.draftURL(orgId: "../../etc/passwd").lastPathComponent == "draft-______etc_passwd.json")
        #expect(store.draftURL(orgId: "../x").deletingLastPathComponent().path == dir.path)
    }
}
