import AtlasAPI
import RoleEditor

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The one runtime of a process: its directories and its draft-and-journal store, and the effect
/// runners made over them. The executable builds it once and hands it to the screen and to the
/// scripting commands alike, so both keep their files in the same place and run effects the same way.
///
/// ```swift
/// let runtime = try EditorRuntime(directories: AppDirectories(environment: environment))
/// let runner = runtime.makeRunner(service: client) { action in inbox.post(action) }
/// ```
public struct EditorRuntime: Sendable {
    public let directories: AppDirectories
    public let store: StateStore

    /// Opens (creating if needed, 0700) the state directory.
    public init(directories: AppDirectories) throws(PersistenceError) {
        guard let state = directories.state else {
            throw PersistenceError(
                operation: "find", path: "the state directory", reason: "neither XDG_STATE_HOME nor HOME is set")
        }
        self.directories = directories
        self.store = try StateStore(directory: URL(fileURLWithPath: state, isDirectory: true))
    }

    /// A runner for `service` whose answers go to `send`.
    public func makeRunner(service: any AtlasService, send: @escaping @Sendable (Action) -> Void) -> EffectRunner {
        EffectRunner(service: service, store: store, send: send)
    }
}
