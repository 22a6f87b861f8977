import AtlasRolesTesting
import Foundation
import Testing

/// `atlas-roles --demo` in a real terminal (tmux): the in-process sandbox, the libcurl client and the
/// screen together, driven by keys and read back with `capture-pane`.
@Suite struct DemoEndToEndTests {
    /// A tmux server of this test's own (`-L`), so it never touches anyone's sessions.
    struct Tmux {
        let socket = "atlas-roles-test-\(UUID().uuidString.prefix(8))"

        @discardableResult
        func run(_ arguments: [String]) async throws -> String {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(
                        with: Result {
                            // Only capture-pane's output is read: a server started by new-session
                            // inherits the pipe and would hold it open for as long as it lives.
                            try CleanSpawn.run(
                                ["tmux", "-L", socket, "-f", "/dev/null"] + arguments,
                                captureOutput: arguments.first == "capture-pane"
                            ).output
                        })
                }
            }
        }

        /// Stops the server and removes its socket file, which a server that was killed leaves behind.
        func stop() async {
            _ = try? await run(["kill-server"])
            let directory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
            try? FileManager.default.removeItem(atPath: "\(directory)/tmux-\(getuid())/\(socket)")
        }

        /// Polls the pane until `condition` holds or the deadline (stretched by ``Patience/factor``)
        /// passes; returns the last capture.
        func waitForScreen(seconds: Double = 20, _ condition: (String) -> Bool) async throws -> String {
            let deadline = ContinuousClock.now + .seconds(Patience.scaled(seconds))
            var screen = ""
            while ContinuousClock.now < deadline {
                screen = try await run(["capture-pane", "-p", "-t", "demo"])
                if condition(screen) { return screen }
                try await Task.sleep(for: .milliseconds(100))
            }
            return screen
        }
    }

    @Test(.timeLimit(.minutes(Int(Patience.factor.rounded(.up)))))
    func demoReachesTheUserListAndQuitsCleanly() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            Issue.record("tmux is not installed")
            return
        }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ar-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let tmux = Tmux()
        defer {
            try? FileManager.default.removeItem(at: home)
        }
        // Nothing of the test's environment but the sanitizers' options (a sanitizer build is checked
        // as the test process is).
        let sanitizerOptions = sanitizerEnvironment.map { "\($0.key)='\($0.value)' " }.joined()
        let command =
            "env -i HOME=\(home.path) TERM=xterm-256color LANG=C.UTF-8 \(sanitizerOptions)"
            + "\(BinaryTests.binary.path) --demo --demo-users 50; echo DEMO-EXIT=$?; sleep 60"
        try await tmux.run(["new-session", "-d", "-s", "demo", "-x", "100", "-y", "30", command])
        do {
            try await tmux.run(["set", "-sg", "escape-time", "0"])
            let list = try await tmux.waitForScreen { $0.contains(" 50 users ") && $0.contains("@example") }
            #expect(list.contains(" 50 users "), "screen was:\n\(list)")
            #expect(list.contains("EMAIL"))
            try await tmux.run(["send-keys", "-t", "demo", "q"])
            let ended = try await tmux.waitForScreen { $0.contains("DEMO-EXIT=") }
            #expect(ended.contains("DEMO-EXIT=0"), "screen was:\n\(ended)")
        } catch {
            await tmux.stop()
            throw error
        }
        await tmux.stop()
    }
}
