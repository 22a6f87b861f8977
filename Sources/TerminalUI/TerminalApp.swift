import AtlasAPI
import CNcursesw
import Glibc
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Settings of one terminal session.
public struct TerminalConfiguration: Hashable, Sendable {
    /// The organization to open; nil shows the organization picker.
    public var orgId: String?
    public var colorMode: ColorMode
    /// The write used for ACTIVE users (PENDING users always use the PATCH).
    public var preferredWriteMethod: RoleWriteMethod
    /// Applies to more users than this ask for the number of users to be typed.
    public var typedConfirmationAbove: Int
    /// Clicks select and the wheel moves; false leaves the mouse to the terminal (`--no-mouse`).
    public var mouse: Bool

    public init(
        orgId: String? = nil, colorMode: ColorMode = .automatic, preferredWriteMethod: RoleWriteMethod = .putRoles,
        typedConfirmationAbove: Int = EditorConfig.defaultTypedConfirmationAbove, mouse: Bool = true
    ) {
        self.mouse = mouse
        self.orgId = orgId
        self.colorMode = colorMode
        self.preferredWriteMethod = preferredWriteMethod
        self.typedConfirmationAbove = typedConfirmationAbove
    }
}

/// The interactive program: the user list, checklist and review on an ncurses screen.
///
/// `run` returns the process's exit status: 0 after quitting, 128+N after signal N (SIGTERM 143,
/// SIGHUP 129) once the draft is saved. It throws ``TerminalError`` when standard input or output is not
/// a terminal or `TERM` is unusable, and `PersistenceError` when the state directory cannot be created.
///
/// ```swift
/// let colorMode = ColorMode.from(environment: ProcessInfo.processInfo.environment, noColorFlag: noColor)
/// let configuration = TerminalConfiguration(orgId: id, colorMode: colorMode)
/// let status = try await TerminalApp.run(configuration: configuration) { send in
///     runtime.makeRunner(service: client, send: send)
/// }
/// exit(status)
/// ```
public enum TerminalApp {
    /// Runs the screen until the person quits or a signal ends the session; returns the exit status.
    /// The terminal is restored on every path out, including thrown errors.
    ///
    /// - Parameter makeRunner: builds the runner of the session's effects (the runtime's, over the
    ///   executable's one state directory), given where its answers go.
    public static func run(
        configuration: TerminalConfiguration,
        makeRunner: (_ send: @escaping @Sendable (Action) -> Void) -> any EffectRunning
    ) async throws -> Int32 {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        TerminalLocale.prepare()

        let wakeup = try WakeupPipe()
        let inbox = ActionInbox(wakeup: wakeup)
        let runner = makeRunner { inbox.post($0) }
        let editorConfig = EditorConfig(
            orgId: configuration.orgId, preferredMethod: configuration.preferredWriteMethod,
            sessionId: String(UUID().uuidString.prefix(8)).lowercased(),
            typedConfirmationAbove: configuration.typedConfirmationAbove)
        let outcome = LockedValue<Result<MainLoop.Ending, TerminalError>?>(nil)
        let colorMode = configuration.colorMode
        let mouse = configuration.mouse

        _ = await CursesThread.run {
            let result = Result { () throws(TerminalError) -> MainLoop.Ending in
                let screen = try CursesScreen(colorMode: colorMode, mouse: mouse)
                defer { screen.end() }
                guard atlas_signals_route(wakeup.writeEnd) == 0 else {
                    throw TerminalError.system(call: "sigaction", errno: errno)
                }
                defer { atlas_signals_restore() }
                // After newterm, which installs ncurses' own SIGTSTP handler: this one replaces it.
                let jobControl = try JobControl.install(wakeupFD: wakeup.writeEnd)
                defer { JobControl.uninstall(jobControl) }
                let loop = MainLoop(
                    state: EditorState(config: editorConfig), screen: screen, wakeup: wakeup, inbox: inbox,
                    runner: runner)
                return loop.run()
            }
            outcome.withLock { $0 = result }
            return 0
        }

        // The screen is restored; let file writes finish (drafts, journal) and stop network work.
        runner.cancelAll()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await runner.waitUntilIdle() }
            group.addTask { try? await Task.sleep(for: .seconds(3)) }
            await group.next()
            group.cancelAll()
        }
        switch outcome.withLock({ $0 }) {
        case .success(let ending): return ending.exitStatus
        case .failure(let error): throw error
        case nil: return 1
        }
    }
}
