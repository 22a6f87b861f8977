import Foundation
import RoleEditor
import Testing

@testable import TerminalUI

/// What a keystroke costs end to end over 100,000 users: the key mapped, `update`, the whole frame
/// rendered into a Canvas, and the diff against the previous frame that decides what reaches the
/// terminal (everything the main loop does but the ncurses calls). RoleEditor's BenchmarkTests time
/// `update` alone; this adds the screen. Off by default: `ATLAS_ROLES_BENCH=1 swift test -c release
/// -Xswiftc -enable-testing --filter RenderBenchmarkTests` (or `make bench`, which parses the
/// `BENCH-RENDER` lines into Benchmarks/RESULTS.md).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH"] == "1"))
struct RenderBenchmarkTests {
    static let userCount = Int(ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH_USERS"] ?? "") ?? 100_000
    static let columns = 160
    static let rows = 50

    /// Names with accents, CJK and emoji, so text folding and width lookups cost what they do for real.
    static func users() -> [OrgUser] {
        let first = [
            "Ada", "Björn", "Chloé", "太郎", "Élodie", "Farah", "Gonçalo", "Hana", "Ines", "José", "Kenji", "Zoë",
        ]
        let last = ["Lovelace", "Søren", "Dupré", "山田", "Martin", "🚀 Rocket", "Silva", "Sato", "Müller", "García"]
        let roles: [Set<OrgRole>] = [[.member], [.member, .billingAdmin], [.readOnly], [.owner], [.groupCreator]]
        return (0..<userCount).map { n in
            let f = first[n % first.count]
            let l = last[(n / first.count) % last.count]
            return OrgUser(
                id: String(format: "%024x", n), username: "user\(n).\(n % 977)@corp\(n % 37).example",
                firstName: f, lastName: l, status: n % 50 == 0 ? .pending : .active, orgRoles: roles[n % roles.count])
        }
    }

    /// Per-keystroke samples, summarised as `name n p50_us p99_us max_us` for the results table.
    struct Samples {
        var name: String
        var values: [Double] = []  // microseconds

        mutating func measure(_ body: () -> Void) {
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            values.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
        }

        func percentile(_ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }

        var line: String {
            String(
                format: "BENCH-RENDER %@ n=%d p50_us=%.1f p99_us=%.1f max_us=%.1f", name, values.count,
                percentile(0.5), percentile(0.99), values.max() ?? 0)
        }
    }

    /// One keystroke as the main loop handles it: KeyMap, update, render, diff.
    static func press(_ key: Key, _ state: inout EditorState, _ previous: inout Canvas) -> Int {
        guard case .action(let action) = KeyMap.command(for: key, in: state) else { return 0 }
        _ = update(&state, action)
        let canvas = FrameRenderer.render(state, width: columns, height: rows)
        let runs = canvas.changes(from: previous)
        previous = canvas
        return runs.count
    }

    @Test func keystrokeUpdateAndRenderOver100kUsers() {
        TerminalLocale.prepare()
        var state = EditorState(config: EditorConfig(orgId: Fixtures.orgId, sessionId: "bench"))
        _ = update(&state, .resize(rows: Self.rows, cols: Self.columns))
        _ = update(&state, .start)
        _ = update(&state, .organizationLoaded(.success(Organization(id: Fixtures.orgId, name: "Acme Corp"))))
        let all = Self.users()
        for (number, start) in stride(from: 0, to: all.count, by: 500).enumerated() {
            let page = Array(all[start..<min(all.count, start + 500)])
            _ = update(
                &state,
                .usersPageLoaded(
                    UserPage(
                        users: page, pageNumber: number + 1, loadedCount: start + page.count, totalCount: all.count),
                    generation: 1))
        }
        _ = update(&state, .usersLoadFinished(generation: 1))
        #expect(state.list.count == Self.userCount)

        var previous = FrameRenderer.render(state, width: Self.columns, height: Self.rows)
        var fullFrame = Samples(name: "full_frame")
        for _ in 0..<50 {
            fullFrame.measure {
                let canvas = FrameRenderer.render(state, width: Self.columns, height: Self.rows)
                _ = canvas.changes(from: nil)
            }
        }

        // Filter: `/`, then each query typed a key at a time (the first key scans all users), erased
        // with backspace, then Esc.
        var filterKey = Samples(name: "filter_key")
        var filterFirstKey = Samples(name: "filter_first_key")
        var backspace = Samples(name: "filter_backspace")
        _ = update(&state, .tick(Date(timeIntervalSince1970: 1_000_000)))
        let queries = [
            "elodie", "sato", "corp1", "role:owner ada", "müller", "zzz", "user4242", "status:pend", "山田",
            "-role:member ada", "login:>90d", "role:owner,billing-admin sato", "!status:active corp",
        ]
        var changedRuns = 0
        for _ in 0..<5 {
            for query in queries {
                changedRuns += Self.press(.character("/"), &state, &previous)
                for (index, character) in query.enumerated() {
                    if index == 0 {
                        filterFirstKey.measure { changedRuns += Self.press(.character(character), &state, &previous) }
                    } else {
                        filterKey.measure { changedRuns += Self.press(.character(character), &state, &previous) }
                    }
                }
                for _ in query { backspace.measure { changedRuns += Self.press(.backspace, &state, &previous) } }
                changedRuns += Self.press(.escape, &state, &previous)
            }
        }

        // Cursor: down and up through the whole window and past it (scrolling), a page now and then.
        var cursor = Samples(name: "cursor_move")
        for step in 0..<20_000 {
            let key: Key = step % 500 == 499 ? .pageDown : (step % 1000 < 500 ? .character("j") : .character("k"))
            cursor.measure { changedRuns += Self.press(key, &state, &previous) }
        }
        #expect(changedRuns > 0)

        // A bulk edit of every user: `a` marks all, Enter opens the checklist, Space on Read Only gives
        // it to everyone; then keys in the checklist (its marks count every edited user) and in the
        // review of the resulting edits (it builds only the rows around its cursor).
        _ = Self.press(.character("g"), &state, &previous)
        _ = Self.press(.character("a"), &state, &previous)
        _ = Self.press(.enter, &state, &previous)
        for _ in 0..<6 { _ = Self.press(.character("j"), &state, &previous) }
        _ = Self.press(.character(" "), &state, &previous)
        #expect(state.pending.count > Self.userCount / 2)
        var bulkChecklist = Samples(name: "bulk_checklist_key")
        for step in 0..<40 {
            bulkChecklist.measure { _ = Self.press(.character(step % 2 == 0 ? "k" : "j"), &state, &previous) }
        }
        _ = Self.press(.character("s"), &state, &previous)
        #expect(state.pane == .review)
        var bulkReview = Samples(name: "bulk_review_key")
        for step in 0..<400 {
            let key: Key = step % 100 == 99 ? .pageDown : .character(step % 200 < 100 ? "j" : "k")
            bulkReview.measure { _ = Self.press(key, &state, &previous) }
        }

        // The same review once every write has answered (the server's side fed in directly): the rows
        // are now the run's applied edits.
        _ = Self.press(.character("g"), &state, &previous)
        _ = update(&state, .confirmApply)
        let batch = state.review.batch
        let runIds = state.pending.sorted.map(\.userId)
        var reread: [String: Result<OrgUser, AtlasError>] = [:]
        for id in runIds { reread[id] = state.list.user(id: id).map { .success($0) } }
        _ = update(&state, .refetched(batch: batch, results: reread))
        let now = Date()
        for id in runIds {
            let roles = state.pending[id]!.target
            let call = RoleWriteMethod.putRoles.call(orgId: Fixtures.orgId, userId: id)
            let written = RoleWriteResult(orgRoles: roles, call: call, method: .putRoles)
            _ = update(&state, .writeFinished(userId: id, result: .success(written), batch: batch, finishedAt: now))
        }
        #expect(state.pending.isEmpty && state.review.appliedEdits.count == runIds.count)
        var appliedReview = Samples(name: "applied_review_key")
        for step in 0..<400 {
            let key: Key = step % 100 == 99 ? .pageDown : .character(step % 200 < 100 ? "j" : "k")
            appliedReview.measure { _ = Self.press(key, &state, &previous) }
        }

        print("BENCH-RENDER users=\(Self.userCount) size=\(Self.columns)x\(Self.rows)")
        for samples in [
            cursor, filterFirstKey, filterKey, backspace, bulkChecklist, bulkReview, appliedReview, fullFrame,
        ] {
            print(samples.line)
        }
    }
}
