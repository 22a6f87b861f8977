import AtlasAPI
import AtlasRolesTesting
import Foundation
import Testing

@testable import RoleEditor

/// Keystroke and cursor latency over 100,000 users. Off by default (it takes seconds and means
/// nothing in a debug build); run `scripts/bench-keystrokes.sh`, or
/// `ATLAS_ROLES_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter BenchmarkTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH"] == "1"))
struct BenchmarkTests {
    static let userCount = Int(ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH_USERS"] ?? "") ?? 100_000

    static func users() -> [OrgUser] {
        let first = [
            "Ada", "Björn", "Chloé", "Dmitri", "Élodie", "Farah", "Gonçalo", "Hana", "Ines", "José", "Kenji", "Léa",
        ]
        let last = ["Lovelace", "Søren", "Dupré", "Ivanov", "Martin", "Nasser", "Silva", "Sato", "Müller", "García"]
        let roles: [Set<OrgRole>] = [[.member], [.member, .billingAdmin], [.readOnly], [.owner], [.groupCreator]]
        return (0..<userCount).map { n in
            let f = first[n % first.count]
            let l = last[(n / first.count) % last.count]
            return OrgUser(
                id: String(format: "%024x", n),
                username: "\(f.lowercased()).\(l.lowercased())\(n)@corp\(n % 37).example",
                firstName: f, lastName: l, status: n % 50 == 0 ? .pending : .active, orgRoles: roles[n % roles.count],
                lastAuth: Date(timeIntervalSince1970: Double(n * 7919 % 1_000_000)))
        }
    }

    struct Timings {
        var samples: [Duration] = []
        mutating func measure(_ body: () -> Void) {
            let start = ContinuousClock.now
            body()
            samples.append(ContinuousClock.now - start)
        }
        func percentile(_ p: Double) -> Duration {
            let sorted = samples.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        var summary: String {
            func us(_ d: Duration) -> String {
                String(format: "%.1f µs", Double(d.components.attoseconds) / 1e12 + Double(d.components.seconds) * 1e6)
            }
            return "n=\(samples.count) p50 \(us(percentile(0.5))) p99 \(us(percentile(0.99))) max \(us(samples.max()!))"
        }
    }

    @Test func keystrokesAndCursorOver100kUsers() {
        let all = Self.users()
        var state = EditorState(config: EditorConfig(orgId: Fixtures.orgId, sessionId: "bench"))
        _ = update(&state, .start)
        _ = update(&state, .resize(rows: 50, cols: 160))
        var load = Timings()
        for (number, start) in stride(from: 0, to: all.count, by: 500).enumerated() {
            let page = Array(all[start..<min(all.count, start + 500)])
            load.measure {
                _ = update(
                    &state,
                    .usersPageLoaded(
                        UserPage(
                            users: page, pageNumber: number + 1, loadedCount: start + page.count, totalCount: all.count),
                        generation: 1))
            }
        }
        _ = update(&state, .usersLoadFinished(generation: 1))
        #expect(state.list.count == Self.userCount)

        // Typing: each query typed one key at a time (the first key scans everything, later keys narrow),
        // then erased with backspace (restored from the stack), then cleared.
        var typing = Timings()
        var firstKey = Timings()
        var backspace = Timings()
        // The clock the `login:` terms count from: the users' last logins spread over its 11 days before.
        _ = update(&state, .tick(Date(timeIntervalSince1970: 1_000_000)))
        let queries = [
            "elodie", "sato", "corp1", "role:owner ada", "müller", "zzz", "jose.garcia", "status:pend",
            "-role:member ada",
            "login:>5d", "role:owner,billing-admin sato", "!status:active corp", "a,e,i login:<2d",
        ]
        for _ in 0..<5 {
            for query in queries {
                _ = update(&state, .filterBegin)
                for (index, character) in query.enumerated() {
                    if index == 0 {
                        firstKey.measure { _ = update(&state, .filterInput(String(character))) }
                    } else {
                        typing.measure { _ = update(&state, .filterInput(String(character))) }
                    }
                    _ = state.visibleUserRows  // what the screen reads after each key
                }
                for _ in query { backspace.measure { _ = update(&state, .filterBackspace) } }
                _ = update(&state, .filterCancel)
            }
        }

        var cursor = Timings()
        for step in 0..<20_000 {
            let action: Action = step % 500 == 499 ? .pageDown : (step % 1000 < 500 ? .moveCursor(1) : .moveCursor(-1))
            cursor.measure {
                _ = update(&state, action)
                _ = state.visibleUserRows
            }
        }
        var sort = Timings()
        for _ in 0..<4 { sort.measure { _ = update(&state, .cycleSort) } }

        print("BENCH users=\(Self.userCount)")
        print("BENCH page ingest (500 users):      \(load.summary)")
        print("BENCH filter first key (full scan): \(firstKey.summary)")
        print("BENCH filter next keys (narrowing): \(typing.summary)")
        print("BENCH filter backspace:             \(backspace.summary)")
        print("BENCH cursor move + window rows:    \(cursor.summary)")
        print("BENCH sort change:                  \(sort.summary)")
    }
}
