import AtlasAPI
import RoleEditor

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

/// The draft and journal files of every organization, in one private directory (0700, files 0600).
///
/// `draft-<orgId>.json` holds the pending edits, replaced atomically (temporary file, fsync, rename,
/// fsync of the directory) so a crash leaves either the old draft or the new one, never half of one.
/// `journal-<orgId>.jsonl` gets one JSON object a line per attempted write, appended and fsynced.
/// Every file is opened through ``PrivateDirectory``: never through a symbolic link, never in a
/// directory another user may write to.
///
/// ```swift
/// let store = try StateStore(directory: URL(fileURLWithPath: directories.state!))
/// ```
public struct StateStore: Sendable {
    public let directory: URL
    private let files: PrivateDirectory

    /// Opens (creating if needed, mode 0700) the directory; refuses one that is a link, is another
    /// user's, or that others may write to.
    public init(directory: URL) throws(PersistenceError) {
        self.directory = directory
        do {
            files = try PrivateDirectory(path: directory.path)
        } catch {
            throw PersistenceError(operation: "use", path: error.path, reason: error.reason)
        }
    }

    public func draftURL(orgId: String) -> URL { directory.appendingPathComponent(Self.draftName(orgId)) }
    public func journalURL(orgId: String) -> URL { directory.appendingPathComponent(Self.journalName(orgId)) }

    static func draftName(_ orgId: String) -> String { "draft-\(safeName(orgId)).json" }
    static func journalName(_ orgId: String) -> String { "journal-\(safeName(orgId)).jsonl" }

    // MARK: Draft

    /// The saved draft, or nil when there is none.
    ///
    /// A draft that cannot be read is moved aside (`draft-<org>.json.corrupt-<time>`) before the error
    /// is reported, so the next edit's save cannot overwrite the only copy of what it held.
    public func loadDraft(orgId: String, now: Date = Date()) throws(PersistenceError) -> Draft? {
        let name = Self.draftName(orgId)
        guard let data = try read(name) else { return nil }
        do {
            return try Self.decodeDraft(data)
        } catch {
            let aside = name + ".corrupt-" + String(Int(now.timeIntervalSince1970))
            let kept = (try? files.rename(name, to: aside)) != nil
            throw PersistenceError(
                operation: "read", path: draftURL(orgId: orgId).path,
                reason: "\(error)" + (kept ? "; it was kept as \(directory.appendingPathComponent(aside).path)" : ""))
        }
    }

    /// Replaces the draft atomically, stamped with `now`.
    public func saveDraft(_ draft: Draft, now: Date) throws(PersistenceError) {
        var stamped = draft
        stamped.savedAt = now
        let name = Self.draftName(draft.orgId)
        let data: Data
        do { data = try Self.encoder.encode(stamped) } catch {
            throw PersistenceError(operation: "encode", path: draftURL(orgId: draft.orgId).path, reason: "\(error)")
        }
        do { try files.replace(name, with: data) } catch { throw Self.persistenceError("write", error) }
    }

    public func deleteDraft(orgId: String) throws(PersistenceError) {
        do { try files.remove(Self.draftName(orgId)) } catch { throw Self.persistenceError("remove", error) }
    }

    // MARK: Journal

    /// Appends entries, one JSON line each, to their organization's journal.
    ///
    /// A last line left without its newline (a crash in the middle of an append) is ended first, so it
    /// spoils only itself and not the entry written after it.
    public func appendJournal(_ entries: [JournalEntry]) throws(PersistenceError) {
        let byOrg = Dictionary(grouping: entries, by: \.orgId)
        for (orgId, lines) in byOrg {
            let name = Self.journalName(orgId)
            var data = Data()
            for entry in lines {
                do { data.append(try Self.lineEncoder.encode(entry)) } catch {
                    throw PersistenceError(operation: "encode", path: journalURL(orgId: orgId).path, reason: "\(error)")
                }
                data.append(0x0A)
            }
            do throws(PrivateDirectory.Refusal) {
                let fd = try files.open(name, flags: O_RDWR | O_APPEND | O_CREAT)
                defer { close(fd) }
                if Self.endsWithoutNewline(fd) { data.insert(0x0A, at: 0) }
                try files.write(data, to: fd, name: name)
                guard fsync(fd) == 0 else {
                    throw PrivateDirectory.Refusal(
                        path: journalURL(orgId: orgId).path, reason: "fsync failed: \(String(cString: strerror(errno)))"
                    )
                }
            } catch {
                throw Self.persistenceError("append to", error)
            }
        }
    }

    /// Every entry of an organization's journal, in file order. A line that cannot be read (a crash
    /// mid-append) is skipped rather than hiding the rest.
    public func loadJournal(orgId: String) throws(PersistenceError) -> [JournalEntry] {
        guard let data = try read(Self.journalName(orgId)) else { return [] }
        return Self.decodeJournal(data)
    }

    /// A draft file's contents as a draft (the reader of ``loadDraft(orgId:now:)``; public for the fuzzers).
    public static func decodeDraft(_ data: Data) throws -> Draft {
        try decoder.decode(Draft.self, from: data)
    }

    /// A journal file's lines as entries, skipping the lines that cannot be read (the reader of
    /// ``loadJournal(orgId:)``; public for the fuzzers).
    public static func decodeJournal(_ data: Data) -> [JournalEntry] {
        data.split(separator: 0x0A).compactMap { try? decoder.decode(JournalEntry.self, from: Data($0)) }
    }

    // MARK: Files

    private func read(_ name: String) throws(PersistenceError) -> Data? {
        do { return try files.read(name) } catch { throw Self.persistenceError("read", error) }
    }

    private static func endsWithoutNewline(_ fd: Int32) -> Bool {
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0 else { return false }
        var last: UInt8 = 0
        return pread(fd, &last, 1, size - 1) == 1 && last != 0x0A
    }

    private static func persistenceError(_ operation: String, _ refusal: PrivateDirectory.Refusal) -> PersistenceError {
        PersistenceError(operation: operation, path: refusal.path, reason: refusal.reason)
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
