import AtlasAPI
import RoleEditorRuntime

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An append-only log file opened 0600 inside a 0700 directory, shared by every handler of a run.
///
/// Writes are whole lines under a lock, so lines from concurrent tasks never interleave.
final class LogFile: Sendable {
    let path: String
    private let descriptor: Int32
    private let lock = LockedValue(())

    /// `$XDG_STATE_HOME/atlas-roles/atlas-roles.log`, else `~/.local/state/atlas-roles/atlas-roles.log`.
    static func defaultPath(environment: [String: String]) -> String? {
        AppDirectories(environment: environment).state.map { $0 + "/atlas-roles.log" }
    }

    /// Opens (creating when needed) the file for appending, inside a ``PrivateDirectory``: never
    /// through a symbolic link, never in a directory other users may write to (a `--log-file` in a
    /// shared directory such as /tmp is refused with the reason).
    ///
    /// An existing file with looser permissions is tightened to 0600: earlier lines may hold user
    /// names and organization ids that other local users have no business reading.
    init(path: String) throws(ConfigurationError) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let slash = absolute.lastIndex(of: "/")!
        let directoryPath = String(absolute[..<slash])
        let name = String(absolute[absolute.index(after: slash)...])
        do throws(PrivateDirectory.Refusal) {
            let directory = try PrivateDirectory(path: directoryPath.isEmpty ? "/" : directoryPath)
            self.descriptor = try directory.open(name, flags: O_WRONLY | O_APPEND | O_CREAT)
        } catch {
            throw ConfigurationError("log file \(path): \(error.description)")
        }
        self.path = path
    }

    deinit { close(descriptor) }

    func write(line: String) {
        var data = Array(line.utf8)
        if data.last != 0x0A { data.append(0x0A) }
        lock.withLock { _ in
            var offset = 0
            while offset < data.count {
                let written = data[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // A full disk must not take the program down; the log is best effort.
                }
                offset += written
            }
        }
    }
}
