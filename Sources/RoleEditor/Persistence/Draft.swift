import AtlasAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The pending edits of one organization as saved on disk after every change, offered back on the
/// next start so a disconnect or a crash loses nothing that was typed.
public struct Draft: Hashable, Sendable, Codable {
    public var orgId: String
    public var edits: [PendingEdit]
    /// When the file was written (set by the store).
    public var savedAt: Date?

    public init(orgId: String, edits: [PendingEdit], savedAt: Date? = nil) {
        self.orgId = orgId
        self.edits = edits
        self.savedAt = savedAt
    }
}
