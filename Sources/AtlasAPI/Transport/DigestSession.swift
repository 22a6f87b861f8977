#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Digest state one client shares across all its requests: the challenge it answers, the
/// nonce count, and what the server has shown about reusing nonces.
///
/// Every request of a run answers the same challenge with the next nonce count, so a run costs one
/// challenge instead of one per request (or per connection). The first Digest request goes without
/// credentials and takes the challenge; requests made meanwhile wait for it (``mayStart``) rather
/// than each fetching a challenge of their own. A server that refuses every reuse of a nonce with
/// `stale=false` treats nonces as single-use (Atlas may; its own clients never reuse one): from then
/// on every request fetches its own challenge and answers it, two requests each. A refusal of a
/// nonce the server had accepted twice is a replayed count instead (libcurl sends a request again,
/// same header, when its connection died with the request in flight): the fresh challenge is
/// answered and shared, and reuse goes on.
///
/// With a ``DigestNonceMemory``, a run starts from the challenge the last run had accepted, signing
/// its first requests without a probe; a refusal of that remembered nonce is answered like a probe's
/// challenge and is no verdict on reuse.
///
/// Used on the transfer thread only (``TransferPool``): reading the challenge and taking the next
/// count happen in one step there, so no two requests ever send the same nonce and count.
final class DigestSession {
    /// Where the accepted challenge is kept between runs; nil keeps it in memory only.
    private let memory: DigestNonceMemory?
    /// The nonce a previous run left, while this run has not seen it accepted or refused.
    private var rememberedNonce: String?
    /// The nonce whose counts the memory holds, the counts taken through, and when it was first used.
    private var storedNonce: String?
    private var reservedThrough: UInt32 = 0
    private var firstUsed: Double = 0

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
    /// How many answers the server accepted for each recent nonce, counted up to 2. A nonce accepted
    /// twice shows the server does not refuse reuse as such. One acceptance shows nothing, whatever
    /// its count: requests signed together race, and a strict server spends the nonce on whichever
    /// arrives first, count 2 as readily as count 1.
    private var acceptances: [String: Int] = [:]
    /// Recent nonces handed to more than one request. A strict server spends such a nonce on the
    /// first of them to arrive, so a refusal of another one's first use is no verdict on the key.
    private var sharedNonces: Set<String> = []
    /// The server accepted an answer: a later refusal of a nonce used once is no verdict on the
    /// credentials but a replay (see ``mayAnswerAgain(after:)``).
    private(set) var credentialsAccepted = false

    init(memory: DigestNonceMemory? = nil, now: Date = Date()) {
        self.memory = memory
        guard let remembered = memory?.load(now: now) else { return }
        challenge = remembered.challenge
        nonceCount = remembered.lastCount
        rememberedNonce = remembered.challenge.nonce
        storedNonce = remembered.challenge.nonce
        firstUsed = remembered.firstUsed
        reserveCounts()
    }

    /// Takes the next block of counts in the memory, before any of them is signed.
    private func reserveCounts() {
        guard let memory, let challenge, storedNonce == challenge.nonce else { return }
        reservedThrough = nonceCount &+ DigestNonceMemory.countsPerReservation
        memory.store(challenge, reservedThrough: reservedThrough, firstUsed: firstUsed)
    }

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
        if storedNonce == challenge.nonce && nonceCount > reservedThrough { reserveCounts() }
        if nonceCount == 2 { remember(challenge.nonce, in: &sharedNonces) }
        return .signed(challenge, nonceCount: nonceCount, reused: nonceCount > 1)
    }

    /// A request that was refused answers `fresh` once: the attempt it makes. Unless nonces are
    /// single-use, the fresh challenge also becomes the one every later request answers.
    func answer(_ fresh: DigestChallenge, refused: DigestAttempt) -> DigestAttempt {
        if case .signed(let used, _, let reused) = refused, reused, !fresh.stale,
            acceptances[used.nonce, default: 0] < 2, used.nonce != rememberedNonce
        {
            // A nonce that served one request was refused on its next, without being stale: the
            // server spends a nonce on one request. Sharing one from now on would be refused every
            // time but the first.
            singleUseNonces = true
            challenge = nil
            memory?.forget()
            storedNonce = nil
        }
        if case .probe = refused { probing = false }
        guard !singleUseNonces else { return .signed(fresh, nonceCount: 1, reused: false) }
        challenge = fresh
        nonceCount = 1
        return .signed(fresh, nonceCount: 1, reused: false)
    }

    /// A signed request was accepted: the key is good, and a nonce accepted twice may be reused.
    func accepted(_ attempt: DigestAttempt) {
        guard case .signed(let challenge, _, _) = attempt else { return }
        credentialsAccepted = true
        // A remembered nonce accepted now was accepted by an earlier run too: reuse is allowed.
        let acceptedBefore = challenge.nonce == rememberedNonce
        if acceptedBefore { rememberedNonce = nil }
        if !singleUseNonces, challenge.nonce == self.challenge?.nonce, storedNonce != challenge.nonce {
            // A fresh nonce, now known to work: the next run starts from it.
            storedNonce = challenge.nonce
            firstUsed = Date().timeIntervalSince1970
            reserveCounts()
        }
        if acceptances.count >= 64 && acceptances[challenge.nonce] == nil { acceptances.removeAll() }
        acceptances[challenge.nonce] = acceptedBefore ? 2 : min(acceptances[challenge.nonce, default: 0] + 1, 2)
    }

    private func remember(_ nonce: String, in set: inout Set<String>) {
        if set.count >= 64 { set.removeAll() }
        set.insert(nonce)
    }

    /// Whether a request whose one answer to a fresh challenge was refused may answer once more: only
    /// when that answer used its nonce for the first time, and either these credentials have been
    /// accepted before or the nonce was handed to other requests too. In the first case the server
    /// saw the same header twice (libcurl sent it again on a new connection after the first one died
    /// with the request in flight, and a strict server had spent the nonce on the lost answer). In
    /// the second, a strict server spent the nonce on another request that arrived first (the
    /// requests that waited for the probe go out beside its answer). Wrong credentials get at most
    /// this one more refusal, which stays final.
    func mayAnswerAgain(after refused: DigestAttempt) -> Bool {
        guard case .signed(let used, _, false) = refused else { return false }
        return credentialsAccepted || sharedNonces.contains(used.nonce)
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
