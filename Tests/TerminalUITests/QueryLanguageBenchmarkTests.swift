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
        for _ in 0..<10 {
            for (name, text) in queries {
                _ = RenderBenchmarkTests.press(.character("/"), &state, &previous)
                for (index, character) in text.enumerated() {
                    if index == 0 {
                        firstKey.measure { _ = RenderBenchmarkTests.press(.character(character), &state, &previous) }
                    } else {
                        series[name, default: RenderBenchmarkTests.Samples(name: name)].measure {
                            _ = RenderBenchmarkTests.press(.character(character), &state, &previous)
                        }
                    }
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
    }
}
