/// The Digest state one client shares across all its requests: the challenge it answers, the
/// nonce count, and what the server has shown about reusing nonces.
///
/// Every request of a run answers the same challenge with the next nonce count, so a run costs one
/// challenge instead of one per request (or per connection). The first Digest request goes without
/// credentials and takes the challenge; requests made meanwhile wait for it (``mayStart``) rather
/// than each fetching a challenge of their own. A server that refuses a nonce it accepted before
/// with `stale=false` treats nonces as single-use (Atlas may; its own clients never reuse one): from
/// then on every request fetches its own challenge and answers it, two requests each.
///
/// Used on the transfer thread only (``TransferPool``): reading the challenge and taking the next
/// count happen in one step there, so no two requests ever send the same nonce and count.
final class DigestSession {
    /// The challenge every request answers; nil until one arrived, or while nonces are single-use.
    private(set) var challenge: DigestChallenge?
    /// The last count handed out for `challenge`'s nonce.
    private var nonceCount: UInt32 = 0
    /// Set once the server refused a reused nonce with `stale=false`.
    private(set) var singleUseNonces = false
    /// Set when a request without credentials was answered without a challenge: the server does not
    /// ask for Digest, so nothing is worth waiting for.
    private var serverAnsweredUnchallenged = false
    /// A request is out fetching the first challenge.
    private var probing = false

    /// Whether a Digest request may go now; false while another one fetches the challenge it would answer.
    var mayStart: Bool { challenge != nil || singleUseNonces || serverAnsweredUnchallenged || !probing }

    /// How the next Digest request goes: signed with the shared challenge and its next count, or
    /// without credentials to fetch a challenge (then, while no challenge is known, the others wait).
    func nextAttempt() -> DigestAttempt {
        guard let challenge, !singleUseNonces else {
            if !singleUseNonces && !serverAnsweredUnchallenged { probing = true }
            return .probe
        }
        nonceCount &+= 1
        return .signed(challenge, nonceCount: nonceCount, reused: nonceCount > 1)
    }

    /// A request that was refused answers `fresh` once: the attempt it makes. Unless nonces are
    /// single-use, the fresh challenge also becomes the one every later request answers.
    func answer(_ fresh: DigestChallenge, refused: DigestAttempt) -> DigestAttempt {
        if case .signed(_, _, let reused) = refused, reused, !fresh.stale {
            // A nonce that served before was refused without being stale: the server spends a nonce
            // on one request. Sharing one from now on would be refused every time but the first.
            singleUseNonces = true
            challenge = nil
        }
        if case .probe = refused { probing = false }
        guard !singleUseNonces else { return .signed(fresh, nonceCount: 1, reused: false) }
        challenge = fresh
        nonceCount = 1
        return .signed(fresh, nonceCount: 1, reused: false)
    }

    /// A request that fetched no challenge is over (answered without one, failed or cancelled).
    func probeEnded(answered: Bool) {
        probing = false
        if answered && challenge == nil && !singleUseNonces { serverAnsweredUnchallenged = true }
    }
}

/// How one Digest request is sent.
enum DigestAttempt: Sendable {
    /// Without credentials, to fetch a challenge.
    case probe
    /// Answering `challenge` with `nonceCount`; `reused` when the nonce served earlier requests.
    case signed(DigestChallenge, nonceCount: UInt32, reused: Bool)
}
