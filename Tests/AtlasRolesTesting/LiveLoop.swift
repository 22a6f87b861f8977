import AtlasAPI
import Foundation
import RoleEditor
import RoleEditorRuntime

/// The screen's loop without a screen: actions from the real ``EffectRunner`` (libcurl client against
/// AtlasSandbox on loopback) go through `update` one at a time, on this task, as the TerminalUI does.
public final class LiveLoop {
    public var state: EditorState
    public let runner: EffectRunner
    private var actions: AsyncStream<Action>.Iterator
    private let continuation: AsyncStream<Action>.Continuation

    public convenience init(service: any AtlasService, store: StateStore, config: EditorConfig) {
        self.init(config: config) { send in EffectRunner(service: service, store: store, send: send) }
    }

    /// The loop the executable builds: the runner from `runtime`, as the screen gets it.
    public convenience init(service: any AtlasService, runtime: EditorRuntime, config: EditorConfig) {
        self.init(config: config) { send in runtime.makeRunner(service: service, send: send) }
    }

    private init(config: EditorConfig, makeRunner: (@escaping @Sendable (Action) -> Void) -> EffectRunner) {
        let (stream, continuation) = AsyncStream<Action>.makeStream()
        self.actions = stream.makeAsyncIterator()
        self.continuation = continuation
        self.state = EditorState(config: config)
        self.runner = makeRunner { continuation.yield($0) }
        runner.forwardServiceEvents()
    }

    public func send(_ action: Action) { runner.run(update(&state, action)) }

    /// Feeds results into `update` until `done(state)`; false when `limit` (stretched by
    /// ``Patience/factor``) passes first.
    public func run(until done: (EditorState) -> Bool, limit: Duration = .seconds(30)) async -> Bool {
        let end = ContinuousClock.now + Patience.scaled(limit)
        // A harmless action at the deadline wakes the loop if nothing else arrives.
        let continuation = self.continuation
        let alarm = Task {
            try? await Task.sleep(until: end)
            continuation.yield(.tick(Date()))
        }
        defer { alarm.cancel() }
        while !done(state) {
            guard ContinuousClock.now < end, let action = await actions.next() else { return false }
            send(action)
        }
        return true
    }

    public func select(_ userId: String) {
        while state.pane != .users { send(.back) }
        guard let row = state.list.visible.firstIndex(where: { state.list.users[$0].id == userId }) else { return }
        send(.top)
        send(.moveCursor(row))
    }

    public func toggle(_ role: OrgRole) {
        send(.openChecklist)
        send(.top)
        send(.moveCursor(OrgRole.known.firstIndex(of: role)!))
        send(.toggleRole)
        send(.activate)
    }

    public func shutdown() async {
        runner.cancelAll()
        await runner.waitUntilIdle()
    }
}
