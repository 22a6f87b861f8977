import Foundation
import RoleEditor
import Testing

@testable import TerminalUI

/// What a keystroke of the filter's query language costs over 100,000 users, end to end as in
/// ``RenderBenchmarkTests`` (KeyMap, update, render, diff), one figure per kind of query: the first key
/// (a scan of every user), narrowing a word, a negated role (`-role:member`) and a login age
/// (`login:>90d`). The users carry last logins and membership dates, so the date terms compare real
/// values. Off by default; `make bench` runs it beside the cursor figures of the same run and writes
/// them to Benchmarks/RESULTS.md.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH"] == "1"))
struct QueryLanguageBenchmarkTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// The render benchmark's users, with a last login from today to 400 days ago (or never) and a
    /// membership from 0 to 900 days old.
    static func users() -> [OrgUser] {
        RenderBenchmarkTests.users().enumerated().map { n, user in
            var user = user
            user.lastAuth = n % 11 == 0 ? nil : now.addingTimeInterval(-Double(n % 400) * 86_400 - 3_600)
            user.createdAt = now.addingTimeInterval(-Double(n % 900) * 86_400 - 7_200)
            return user
        }
    }

    /// CPU time of the calling thread so far.
    static func threadCPUMicroseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
    }

    @Test func queryLanguageKeystrokesOver100kUsers() {
        TerminalLocale.prepare()
        let all = Self.users()
        // Loaded as one page: the load is not what is measured here.
        var state = Fixtures.loaded(all)
        _ = update(&state, .resize(rows: RenderBenchmarkTests.rows, cols: RenderBenchmarkTests.columns))
        _ = update(&state, .tick(Self.now))
        #expect(state.list.count == all.count)

        var previous = FrameRenderer.render(
            state, width: RenderBenchmarkTests.columns, height: RenderBenchmarkTests.rows)
        var firstKey = RenderBenchmarkTests.Samples(name: "query_first_key")
        var series: [String: RenderBenchmarkTests.Samples] = [:]
        let queries: [(series: String, text: String)] = [
            ("query_narrowing", "elodie"), ("query_narrowing", "corp12"), ("query_narrowing", "garcía"),
            ("query_negation", "-role:member"), ("query_negation", "!status:active"),
            ("query_login", "login:>90d"), ("query_login", "login:>1y,never"),
        ]
        var shown: [String: Int] = [:]
        // Which keys the slowest are: a p99 is one or two keys, and naming them says which scan to
        // look at.
        var keystrokes: [(typed: String, microseconds: Double, cpuMicroseconds: Double)] = []
        for _ in 0..<10 {
            for (name, text) in queries {
                _ = RenderBenchmarkTests.press(.character("/"), &state, &previous)
                for (index, character) in text.enumerated() {
                    let cpuBefore = Self.threadCPUMicroseconds()
                    if index == 0 {
                        firstKey.measure { _ = RenderBenchmarkTests.press(.character(character), &state, &previous) }
                    } else {
                        series[name, default: RenderBenchmarkTests.Samples(name: name)].measure {
                            _ = RenderBenchmarkTests.press(.character(character), &state, &previous)
                        }
                    }
                    let wall = (index == 0 ? firstKey.values.last : series[name]?.values.last) ?? 0
                    keystrokes.append(
                        (String(text.prefix(index + 1)), wall, Self.threadCPUMicroseconds() - cpuBefore))
                }
                #expect(state.list.filterError == nil, "\(text)")
                shown[text] = state.list.visible.count
                for _ in text { _ = RenderBenchmarkTests.press(.backspace, &state, &previous) }
                _ = RenderBenchmarkTests.press(.escape, &state, &previous)
            }
        }
        // The terms select what they say, so the figures are of real work, not of an empty list.
        let expectedLogin = all.filter { $0.lastAuth.map { Self.now.timeIntervalSince($0) > 90 * 86_400 } ?? false }
        #expect(shown["login:>90d"] == expectedLogin.count)
        #expect(shown["-role:member"] == all.filter { !$0.orgRoles.contains(.member) }.count)

        print("BENCH-RENDER users=\(all.count) size=\(RenderBenchmarkTests.columns)x\(RenderBenchmarkTests.rows)")
        print(firstKey.line)
        for name in ["query_narrowing", "query_negation", "query_login"] {
            if let samples = series[name] { print(samples.line) }
        }
        // Per typed prefix, the medians of its ten samples, of the wall clock and of the thread's CPU
        // time: a loaded machine's preemptions land on random keys and stretch the wall clock, the
        // cost of a scan lands on the same key every time and shows in the CPU time.
        func median(_ values: [Double]) -> Int { Int(values.sorted()[values.count / 2]) }
        let byPrefix = Dictionary(grouping: keystrokes, by: \.typed).mapValues { samples in
            (wall: median(samples.map(\.microseconds)), cpu: median(samples.map(\.cpuMicroseconds)))
        }
        for (typed, medians) in byPrefix.sorted(by: { $0.value.cpu > $1.value.cpu }).prefix(6) {
            print("BENCH-SLOWEST typed=\(typed) median_cpu_us=\(medians.cpu) median_us=\(medians.wall)")
        }
    }
}
