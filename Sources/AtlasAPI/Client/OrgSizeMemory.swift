#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// How many users each organization had when it was last listed, kept between runs so that the next
/// listing asks for every page at once instead of waiting a round trip for the first page's count.
///
/// Only a hint: the first page still carries `totalCount`, pages the hint missed are fetched when it
/// arrives, and pages it overcounted come back empty. A wrong hint costs requests, never users.
///
/// The file is `<directory>/org-size-<hash of base URL and org id>.json`, 0600 in a private
/// directory, replaced by rename without fsync (a lost file costs one round trip); one that is not
/// ours, not for this server and organization, or holds an unbelievable count is ignored.
struct OrgSizeMemory: Sendable {
    let directory: String
    let baseURL: String

    /// Counts older than this are not trusted to size a first round of requests.
    static let maximumAge: TimeInterval = 7 * 24 * 3600

    struct Saved: Codable, Equatable {
        var baseURL: String
        var orgId: String
        var userCount: Int
        /// Seconds since 1970.
        var savedAt: Double
    }

    func fileName(orgId: String) -> String {
        "org-size-" + PrivateDirectory.fingerprint(baseURL + "\n" + orgId) + ".json"
    }

    /// The organization's last known user count.
    func userCount(orgId: String, now: Date = Date()) -> Int? {
        guard let saved = PrivateDirectory.cached(Saved.self, fileName(orgId: orgId), in: directory, limit: 4_096),
            saved.baseURL == baseURL, saved.orgId == orgId,
            (0...OrgUserLoader.believableTotal).contains(saved.userCount),
            case let age = now.timeIntervalSince1970 - saved.savedAt, age >= 0, age < Self.maximumAge
        else { return nil }
        return saved.userCount
    }

    func store(userCount: Int, orgId: String, now: Date = Date()) {
        let saved = Saved(baseURL: baseURL, orgId: orgId, userCount: userCount, savedAt: now.timeIntervalSince1970)
        let files = PrivateDirectory.storeCached(saved, fileName(orgId: orgId), in: directory, durable: false)
        // Organizations of other servers (the demo's sandbox has a new port each run), past the age a
        // size is trusted at, are only clutter.
        files?.removeStale(
            prefix: "org-size-", suffix: ".json", olderThan: Self.maximumAge, now: now, keeping: fileName(orgId: orgId))
    }
}
