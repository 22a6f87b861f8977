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

/// A directory only this user can change, opened once and used by descriptor: drafts, the journal,
/// the log and cached tokens live in one, and every file in it is opened relative to that descriptor
/// without following a symbolic link.
///
/// Another local user must not be able to redirect what this program writes (a symlink planted where
/// a file will be created appends a journal line or a token to a file of their choosing) or plant what
/// it reads (a forged draft or journal run offered for revert, a token with a header in it). So a
/// directory that is a link, that belongs to someone else, or that group or others may write to is
/// refused with a message saying how to fix it; a file that is a link, is not a regular file, or
/// belongs to someone else is refused the same way; a file or directory of ours that others may read
/// is tightened (0600, 0700).
///
/// ```swift
/// let directory = try PrivateDirectory(path: "/home/ana/.local/state/atlas-roles")
/// let fd = try directory.open("journal.jsonl", flags: O_WRONLY | O_APPEND | O_CREAT)
/// ```
public final class PrivateDirectory: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Why a directory or file was refused, in words that say what to do.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Opens `path`, creating it (and missing parents, 0700) when it does not exist.
    public init(path: String, create: Bool = true) throws(Refusal) {
        self.path = path
        if create && !Self.exists(path) {
            // Each missing directory on the way is made 0700, like `mkdir -p -m 700`.
            var prefix = path.hasPrefix("/") ? "" : "."
            for component in path.split(separator: "/") {
                prefix += "/" + component
                if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                    throw Refusal(path: prefix, reason: "cannot be created: \(String(cString: strerror(errno)))")
                }
            }
        }
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP || code == ENOTDIR {
                throw Refusal(
                    path: path,
                    reason: "is a symbolic link or not a directory; refusing to use it (remove it, or point "
                        + "XDG_STATE_HOME / XDG_CACHE_HOME elsewhere)")
            }
            throw Refusal(path: path, reason: "cannot be opened: \(String(cString: strerror(code)))")
        }
        do throws(Refusal) {
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                throw Refusal(path: path, reason: "cannot be inspected: \(String(cString: strerror(errno)))")
            }
            guard info.st_uid == geteuid() else {
                throw Refusal(
                    path: path,
                    reason: "belongs to user id \(info.st_uid), not to you; refusing to keep private files there")
            }
            if info.st_mode & 0o022 != 0 {
                throw Refusal(
                    path: path,
                    reason: "can be changed by other users (mode \(String(info.st_mode & 0o777, radix: 8))); "
                        + "run: chmod 700 \(path)")
            }
            if info.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o700) }
        } catch {
            close(fd)
            throw error
        }
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    /// Opens `name` (a plain file name, no `/`) inside the directory, never through a symbolic link.
    /// A file that exists must be a regular file of this user's; its mode is tightened to 0600.
    public func open(_ name: String, flags: Int32) throws(Refusal) -> Int32 {
        let full = path + "/" + name
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw Refusal(path: full, reason: "is not a plain file name")
        }
        let fd = openat(descriptor, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                throw Refusal(path: full, reason: "is a symbolic link; refusing to follow it (remove it)")
            }
            throw Refusal(path: full, reason: String(cString: strerror(code)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else {
            close(fd)
            throw Refusal(path: full, reason: "is not a regular file of yours; refusing to use it (remove it)")
        }
        if info.st_mode & 0o777 != 0o600 { _ = fchmod(fd, 0o600) }
        return fd
    }

    /// Whether `name` exists in the directory (a link counts: it is refused when opened).
    public func contains(_ name: String) -> Bool {
        var info = stat()
        return fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// Reads the whole of `name`, at most `limit` bytes; nil when it does not exist.
    public func read(_ name: String, limit: Int = 64 << 20) throws(Refusal) -> Data? {
        guard contains(name) else { return nil }
        let fd = try open(name, flags: O_RDONLY)
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Refusal(path: path + "/" + name, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
            if data.count > limit {
                throw Refusal(path: path + "/" + name, reason: "is larger than \(limit) bytes; refusing to read it")
            }
        }
    }

    /// Replaces `name` atomically with `data`: a new file (0600, never through a link), fsync, rename
    /// within the directory, fsync of the directory. A cache that is only a hint passes `durable:
    /// false` and skips both fsyncs: losing it to a crash costs a round trip, while an fsync on the
    /// transfer thread would stall every request in flight.
    public func replace(_ name: String, with data: Data, durable: Bool = true) throws(Refusal) {
        let temporary = ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL)
        do throws(Refusal) {
            try write(data, to: fd, name: temporary)
            guard !durable || fsync(fd) == 0 else { throw posixRefusal(temporary, "fsync") }
        } catch {
            close(fd)
            unlinkat(descriptor, temporary, 0)
            throw error
        }
        close(fd)
        guard renameat(descriptor, temporary, descriptor, name) == 0 else {
            let refusal = posixRefusal(name, "rename")
            unlinkat(descriptor, temporary, 0)
            throw refusal
        }
        // The rename is durable only once the directory entry is on disk.
        if durable { fsync(descriptor) }
    }

    /// Renames `name` to `newName` within the directory (keeping a file aside).
    public func rename(_ name: String, to newName: String) throws(Refusal) {
        guard renameat(descriptor, name, descriptor, newName) == 0 else { throw posixRefusal(name, "rename") }
        fsync(descriptor)
    }

    /// Removes `name`; a file that is already gone is not an error.
    public func remove(_ name: String) throws(Refusal) {
        if unlinkat(descriptor, name, 0) != 0 && errno != ENOENT { throw posixRefusal(name, "remove") }
    }

    /// Writes all of `data` to `fd` (retrying short writes and interruptions).
    public func write(_ data: Data, to fd: Int32, name: String) throws(Refusal) {
        let failed: Bool = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                offset += written
            }
            return false
        }
        if failed { throw posixRefusal(name, "write") }
    }

    /// Removes the regular files whose names start with `prefix` and end with `suffix` and that were
    /// last changed more than `age` seconds before `now`, except `keeping`: caches keyed by server
    /// (a new sandbox port each demo run) would otherwise pile up one file per key.
    public func removeStale(prefix: String, suffix: String, olderThan age: Double, now: Date, keeping: String) {
        let listing = dup(descriptor)
        guard listing >= 0, let stream = fdopendir(listing) else {
            if listing >= 0 { close(listing) }
            return
        }
        defer { closedir(stream) }
        var stale: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != keeping, name.hasPrefix(prefix), name.hasSuffix(suffix) else { continue }
            var info = stat()
            guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG,
                info.st_uid == geteuid(), now.timeIntervalSince1970 - Double(info.st_mtim.tv_sec) > age
            else { continue }
            stale.append(name)
        }
        for name in stale { unlinkat(descriptor, name, 0) }
    }

    /// FNV-1a, 64 bits, as hex: a stable file name for a cache entry that does not spell out its key
    /// (the key is no secret, and not security-relevant: a cache checks the key stored inside on load).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private func posixRefusal(_ name: String, _ operation: String) -> Refusal {
        Refusal(path: path + "/" + name, reason: "\(operation) failed: \(String(cString: strerror(errno)))")
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

// The small JSON files caches keep between runs (tokens, Digest challenges, organization sizes): each
// read is bounded and refused through links or from other users, and each write is a rename.
extension PrivateDirectory {
    /// The `Value` in `name`; nil when the directory or file is missing or not ours, the file is larger
    /// than `limit`, or it does not decode. The caller still checks the value belongs to it.
    static func cached<Value: Decodable>(
        _ type: Value.Type, _ name: String, in directory: String, limit: Int, decoder: JSONDecoder = JSONDecoder()
    ) -> Value? {
        guard let files = try? PrivateDirectory(path: directory, create: false),
            let data = try? files.read(name, limit: limit)
        else { return nil }
        return try? decoder.decode(type, from: data)
    }

    /// Writes `value` to `name`, creating the directory. A failure only costs the next run what the
    /// cache would have saved, so it is not an error; the directory is returned for a sweep.
    @discardableResult
    static func storeCached<Value: Encodable>(
        _ value: Value, _ name: String, in directory: String, durable: Bool, encoder: JSONEncoder = JSONEncoder()
    ) -> PrivateDirectory? {
        guard let data = try? encoder.encode(value), let files = try? PrivateDirectory(path: directory) else {
            return nil
        }
        try? files.replace(name, with: data, durable: durable)
        return files
    }
}
