import AtlasRolesFuzzing
import Foundation
import RoleEditorRuntime
import Testing

/// The seed corpus of every fuzz target replays without a crash, and the seeds that are meant to be
/// valid still are: when a reader's format changes, its seeds must change with it or the fuzzer starts
/// from nothing.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static func inputs(_ target: FuzzTarget) throws -> [Data] {
        let directory = corpus.appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
            try Data(contentsOf: directory.appendingPathComponent($0))
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everySeedReplays(target: FuzzTarget) throws {
        let inputs = try Self.inputs(target)
        #expect(!inputs.isEmpty, "no seed for \(target.rawValue)")
        for input in inputs { target.run(input) }
    }

    @Test func theValidSeedsAreStillValid() throws {
        let draft = try Data(contentsOf: Self.corpus.appendingPathComponent("draft/draft.json"))
        #expect(try StateStore.decodeDraft(draft).edits.count == 1)
        let journal = try Data(contentsOf: Self.corpus.appendingPathComponent("journal/journal.jsonl"))
        #expect(StateStore.decodeJournal(journal).count == 1, "one whole line, one torn")
    }
}
