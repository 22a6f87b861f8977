import Synchronization

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
    private let lock = Mutex(())

    /// `$XDG_STATE_HOME/atlas-roles/atlas-roles.log`, else `~/.local/state/atlas-roles/atlas-roles.log`.
    static func defaultPath(environment: [String: String]) -> String? {
        stateDirectory(environment: environment).map { $0 + "/atlas-roles.log" }
    }

    /// `$XDG_STATE_HOME/atlas-roles`, else `~/.local/state/atlas-roles`; nil without an absolute base.
    static func stateDirectory(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/atlas-roles" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/atlas-roles" }
        return nil
    }

    /// Opens (creating when needed) the file for appending.
    ///
    /// An existing file with looser permissions is tightened to 0600: earlier lines may hold user
    /// names and organization ids that other local users have no business reading.
    init(path: String) throws(ConfigurationError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ConfigurationError("log file \(path): cannot create its directory: \(fileErrorText(error))")
            }
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ConfigurationError("log file \(path): cannot be opened: \(String(cString: strerror(errno)))")
        }
        _ = fchmod(descriptor, 0o600)
        self.path = path
        self.descriptor = descriptor
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
