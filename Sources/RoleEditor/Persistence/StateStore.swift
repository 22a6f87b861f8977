import AtlasAPI

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

/// The draft and journal files of every organization, in one directory (0700, files 0600).
///
/// `draft-<orgId>.json` holds the pending edits, replaced atomically (temporary file, fsync, rename,
/// fsync of the directory) so a crash leaves either the old draft or the new one, never half of one.
/// `journal-<orgId>.jsonl` gets one JSON object a line per attempted write, appended and fsynced.
///
/// ```swift
/// let store = try StateStore(directory: StateStore.defaultDirectory())
/// ```
public struct StateStore: Sendable {
    public let directory: URL

    /// Opens (creating if needed, mode 0700) the directory.
    public init(directory: URL) throws(PersistenceError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PersistenceError(operation: "create", path: directory.path, reason: "\(error)")
        }
    }

    /// `$XDG_STATE_HOME/atlas-roles`, or `~/.local/state/atlas-roles` when XDG_STATE_HOME is unset,
    /// empty or relative (the XDG spec says relative values are to be ignored).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("atlas-roles")
        }
        let home =
            environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.path
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/atlas-roles")
    }

    public func draftURL(orgId: String) -> URL {
        directory.appendingPathComponent("draft-\(Self.safeName(orgId)).json")
    }
    public func journalURL(orgId: String) -> URL {
        directory.appendingPathComponent("journal-\(Self.safeName(orgId)).jsonl")
    }

    // MARK: Draft

    /// The saved draft, or nil when there is none.
    public func loadDraft(orgId: String) throws(PersistenceError) -> Draft? {
        let url = draftURL(orgId: orgId)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try Self.decoder.decode(Draft.self, from: Data(contentsOf: url))
        } catch {
            throw PersistenceError(operation: "read", path: url.path, reason: "\(error)")
        }
    }

    /// Replaces the draft atomically, stamped with `now`.
    public func saveDraft(_ draft: Draft, now: Date) throws(PersistenceError) {
        var stamped = draft
        stamped.savedAt = now
        let url = draftURL(orgId: draft.orgId)
        let data: Data
        do { data = try Self.encoder.encode(stamped) } catch {
            throw PersistenceError(operation: "encode", path: url.path, reason: "\(error)")
        }
        try writeAtomically(data, to: url)
    }

    public func deleteDraft(orgId: String) throws(PersistenceError) {
        let url = draftURL(orgId: orgId)
        if unlink(url.path) != 0 && errno != ENOENT {
            throw PersistenceError(operation: "remove", path: url.path, reason: String(cString: strerror(errno)))
        }
    }

    // MARK: Journal

    /// Appends entries, one JSON line each, to their organization's journal.
    public func appendJournal(_ entries: [JournalEntry]) throws(PersistenceError) {
        let byOrg = Dictionary(grouping: entries, by: \.orgId)
        for (orgId, lines) in byOrg {
            let url = journalURL(orgId: orgId)
            var data = Data()
            for entry in lines {
                do { data.append(try Self.lineEncoder.encode(entry)) } catch {
                    throw PersistenceError(operation: "encode", path: url.path, reason: "\(error)")
                }
                data.append(0x0A)
            }
            let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw Self.posixError("open", url) }
            defer { close(fd) }
            try Self.writeAll(data, to: fd, url: url)
            guard fsync(fd) == 0 else { throw Self.posixError("fsync", url) }
        }
    }

    /// Every entry of an organization's journal, in file order. A line that cannot be read (a crash
    /// mid-append) is skipped rather than hiding the rest.
    public func loadJournal(orgId: String) throws(PersistenceError) -> [JournalEntry] {
        let url = journalURL(orgId: orgId)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw PersistenceError(operation: "read", path: url.path, reason: "\(error)")
        }
        return data.split(separator: 0x0A).compactMap { try? Self.decoder.decode(JournalEntry.self, from: Data($0)) }
    }

    // MARK: Files

    private func writeAtomically(_ data: Data, to url: URL) throws(PersistenceError) {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.posixError("create", temporary) }
        do throws(PersistenceError) {
            try Self.writeAll(data, to: fd, url: temporary)
            guard fsync(fd) == 0 else { throw Self.posixError("fsync", temporary) }
        } catch {
            close(fd)
            unlink(temporary.path)
            throw error
        }
        close(fd)
        guard rename(temporary.path, url.path) == 0 else {
            let error = Self.posixError("rename", url)
            unlink(temporary.path)
            throw error
        }
        // The rename is durable only once the directory entry is on disk.
        let dir = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    private static func writeAll(_ data: Data, to fd: Int32, url: URL) throws(PersistenceError) {
        let failed: Bool = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                offset += written
            }
            return false
        }
        if failed { throw posixError("write", url) }
    }

    private static func posixError(_ operation: String, _ url: URL) -> PersistenceError {
        PersistenceError(operation: operation, path: url.path, reason: String(cString: strerror(errno)))
    }

    /// Org ids are 24 hex digits; anything else is made harmless before it becomes a file name.
    static func safeName(_ orgId: String) -> String {
        String(orgId.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }()

    private static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
