#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Digest challenge an API key last had accepted, kept between runs so that the next run signs
/// its first requests at once instead of spending a round trip fetching a challenge.
///
/// Scripts start the program again and again (`atlas-roles list` in a loop, one `set` per line of a
/// file); over a wide-area link the challenge is a whole round trip of each run's five or so. A
/// remembered nonce is answered with counts no earlier run used: each run reserves a block of
/// counts in the file before it signs anything, so two runs side by side sign with different counts
/// (or, when they race, one is refused and answers a fresh challenge, as any refused nonce is).
///
/// Only a hint. A server that no longer knows the nonce answers with a fresh challenge, which costs
/// the same round trip the run would have spent anyway, and that refusal says nothing about whether
/// the server allows reuse within a run (``DigestSession``). A server found to spend each nonce on
/// one request is never sent a remembered one: the memory is forgotten.
///
/// The file is `<directory>/digest-<hash of base URL and public key>.json`, 0600 in a private
/// directory, replaced by rename without fsync (a lost file costs one round trip). It holds the
/// server's challenge and counts, never a secret; what is read back is checked as a challenge from
/// the server would be, and belongs to this base URL and key or is ignored.
struct DigestNonceMemory: Sendable {
    let directory: String
    let baseURL: String
    let username: String

    /// How long after it was first answered a nonce is offered again. Atlas does not say how long
    /// its nonces live (the sandbox: five minutes); an older one would likely be refused, each
    /// request of the first round then costing a refused request.
    static let maximumAge: TimeInterval = 240
    /// Counts reserved per write of the file: a listing of 10,000 users signs 20 requests.
    static let countsPerReservation: UInt32 = 256

    /// The file's contents.
    struct Saved: Codable, Equatable {
        var baseURL: String
        var username: String
        var realm: String
        var nonce: String
        var opaque: String?
        var algorithm: String
        var qopAuth: Bool
        var userhash: Bool
        /// Counts up to this one are taken by some run; the next run starts after it.
        var reservedThrough: UInt32
        /// When the nonce was first answered (seconds since 1970).
        var firstUsed: Double
    }

    /// A remembered challenge and the last count any run took for it.
    struct Remembered: Equatable {
        var challenge: DigestChallenge
        var lastCount: UInt32
        var firstUsed: Double
    }

    var fileName: String { "digest-" + PrivateDirectory.fingerprint(baseURL + "\n" + username) + ".json" }

    /// The remembered challenge, when the file is ours, for this server and key, young enough, and
    /// holds what a server's challenge could.
    func load(now: Date) -> Remembered? {
        guard let saved = PrivateDirectory.cached(Saved.self, fileName, in: directory, limit: 16_384),
            saved.baseURL == baseURL, saved.username == username,
            [saved.realm, saved.nonce, saved.opaque ?? ""].allSatisfy(Self.isHeaderSafe), !saved.nonce.isEmpty,
            saved.reservedThrough < UInt32.max - 2 * Self.countsPerReservation,
            case let age = now.timeIntervalSince1970 - saved.firstUsed, age >= 0, age < Self.maximumAge
        else { return nil }
        // Read back as the server's header was: the same checks, the same defaults.
        var parameters = ["realm": saved.realm, "nonce": saved.nonce, "algorithm": saved.algorithm]
        parameters["opaque"] = saved.opaque
        if saved.qopAuth { parameters["qop"] = "auth" }
        if saved.userhash { parameters["userhash"] = "true" }
        guard let challenge = DigestChallenge(parameters: parameters) else { return nil }
        return Remembered(challenge: challenge, lastCount: saved.reservedThrough, firstUsed: saved.firstUsed)
    }

    /// Records that counts through `reservedThrough` of `challenge`'s nonce are taken.
    func store(_ challenge: DigestChallenge, reservedThrough: UInt32, firstUsed: Double) {
        let saved = Saved(
            baseURL: baseURL, username: username, realm: challenge.realm, nonce: challenge.nonce,
            opaque: challenge.opaque, algorithm: challenge.algorithm.rawValue, qopAuth: challenge.qopAuth,
            userhash: challenge.userhash, reservedThrough: reservedThrough, firstUsed: firstUsed)
        let files = PrivateDirectory.storeCached(saved, fileName, in: directory, durable: false)
        // Another server's or key's challenge, past the age it would be offered at, is only clutter.
        files?.removeStale(
            prefix: "digest-", suffix: ".json", olderThan: Self.maximumAge, now: Date(), keeping: fileName)
    }

    func forget() {
        try? PrivateDirectory(path: directory, create: false).remove(fileName)
    }

    /// Printable ASCII without quotes or backslashes, at most 1,024 bytes: what a challenge's values
    /// hold, and nothing that could break out of the header they are copied into.
    static func isHeaderSafe(_ text: String) -> Bool {
        text.utf8.count <= 1_024
            && text.utf8.allSatisfy {
                (0x20...0x7E).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\")
            }
    }
}
