#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Paces requests by the budget the server announces, so a bulk run waits for tokens instead of
/// running into 429s.
///
/// Atlas limits with a token bucket and says where a request left it: `RateLimit-Limit` (the
/// bucket's capacity) and `RateLimit-Remaining` (tokens left after that request) on every answer
/// of a limited endpoint; it sends no reset time and its refill rate appears only in a 429's detail.
/// The pacer keeps a model of the bucket from those two headers:
/// - the newest reading is the answer to the request sent last (sequence numbers, so an answer that
///   overtook another does not count as newer) or a later one showing fewer tokens, and every request
///   sent and not yet answered is taken to hold a token already;
/// - the refill rate is measured from the readings themselves: between two readings the bucket gained
///   `(remaining₂ − remaining₁) + requests sent in between`, less a slack for answers that crossed,
///   over the longest time the two tokens can lie apart (first request sent to second answer read). The measuring window restarts whenever the bucket reads full (a full
///   bucket stops refilling, which would understate the rate). A low estimate only makes a wait longer:
///   the next reading shows the tokens that came meanwhile;
/// - a request goes when the model holds a token for it, else waits for the refill to bring one.
///
/// Until the first answer, the budget is unknown: the first request goes alone (one round trip), so a
/// burst cannot overrun a bucket smaller than the burst. An answer without the headers turns pacing
/// off until one with them comes.
final class RateBudgetPacer: Sendable {
    /// One reading of the bucket from an answer.
    private struct Reading {
        /// When its request was sent: the server took the token between this and `time`.
        var sent: ContinuousClock.Instant
        /// When the answer was read.
        var time: ContinuousClock.Instant
        var remaining: Int
        /// Which request (in sending order) the answer belongs to.
        var sequence: Int
    }

    private struct State {
        var limit: Int?
        var newest: Reading?
        var windowStart: Reading?
        var refillPerSecond: Double?
        var nextSequence = 0
        /// When each request still out was sent, by sequence number.
        var sentAt: [Int: ContinuousClock.Instant] = [:]
        var inFlight = 0
        var peakInFlight = 0
        var answered = false
        /// Requests refused with a 429 since the window started: they took no token.
        var refusedInWindow = 0
    }

    /// A measurement shorter than this says too little about the rate.
    static let minimumWindow: Duration = .milliseconds(200)
    /// Seconds an empty bucket of unknown refill rate is left alone before one request tries it.
    static let probeInterval = 0.25

    private let state = LockedValue(State())
    private let clock = ContinuousClock()

    /// What `admit` decided: send now (with the sequence number to hand back to `record`), or wait.
    enum Admission: Equatable {
        case send(sequence: Int)
        case wait(seconds: Double, remaining: Int, limit: Int)
        /// The first request is out and nothing is known yet; ask again shortly.
        case awaitFirstAnswer
    }

    /// Asks to send one request now. `.send` reserves a token of the model; the caller must then call
    /// ``record(sequence:limit:remaining:)`` (or ``abandon(sequence:)``) once the request is over.
    func admit() -> Admission {
        let now = clock.now
        return state.withLock { state in
            if !state.answered && state.inFlight > 0 { return .awaitFirstAnswer }
            guard let limit = state.limit, let newest = state.newest else { return Self.reserve(&state) }
            let refill = (state.refillPerSecond ?? 0) * Self.seconds(now - newest.time)
            let available = min(Double(limit), Double(newest.remaining) + refill) - Double(state.inFlight)
            if available >= 1 { return Self.reserve(&state) }
            // Without a rate yet, a request that is out will bring a newer reading; with none out, one
            // request goes once the bucket has had `probeInterval` to refill since the last reading, and
            // its answer measures the rate.
            guard let rate = state.refillPerSecond, rate > 0 else {
                if state.inFlight > 0 { return .wait(seconds: 0.05, remaining: newest.remaining, limit: limit) }
                let waited = Self.seconds(now - newest.time)
                if waited >= Self.probeInterval { return Self.reserve(&state) }
                return .wait(seconds: Self.probeInterval - waited, remaining: newest.remaining, limit: limit)
            }
            return .wait(seconds: (1 - available) / rate, remaining: newest.remaining, limit: limit)
        }
    }

    /// Takes in the budget an answer reported (nil headers: the endpoint is not limited, or said
    /// nothing); `refused` for a 429, whose request took no token.
    func record(sequence: Int, limit: Int?, remaining: Int?, refused: Bool) {
        let now = clock.now
        state.withLock { state in
            state.inFlight = max(0, state.inFlight - 1)
            let sent = state.sentAt.removeValue(forKey: sequence) ?? now
            state.answered = true
            guard let limit, let remaining, limit > 0 else {
                state.limit = nil
                state.newest = nil
                return
            }
            if state.limit != limit {
                state.limit = limit
                state.windowStart = nil
                state.refillPerSecond = nil
            }
            if refused { state.refusedInWindow += 1 }
            let reading = Reading(sent: sent, time: now, remaining: max(0, remaining), sequence: sequence)
            // The answer to the request sent last is the newest reading, unless an answer read later
            // shows fewer tokens (two requests may reach the server in the other order): the lower
            // count is the one to believe.
            if state.newest.map({ $0.sequence < sequence || reading.remaining < $0.remaining }) ?? true {
                state.newest = reading
            }
            guard remaining < limit - 1, let start = state.windowStart, start.sequence < sequence else {
                // A full bucket (or the first reading): measuring starts here.
                if remaining >= limit - 1 || state.windowStart == nil {
                    state.windowStart = reading
                    state.refusedInWindow = 0
                }
                return
            }
            // The longest the two tokens can lie apart (the first taken as soon as its request left, the
            // second as late as its answer came): a slow machine that reads one answer late makes the
            // rate look lower, never higher.
            let span = now - start.sent
            guard span >= Self.minimumWindow else { return }
            // Requests sent between the two readings each took a token; answers that crossed each other
            // can misplace up to the most requests that were out at once, so that many are not counted.
            let taken = sequence - start.sequence - state.refusedInWindow
            let slack = state.peakInFlight + 1
            let gained = Double(remaining - start.remaining + taken - slack)
            state.refillPerSecond = max(0, gained / Self.seconds(span))
        }
    }

    /// A request that got no answer from the server (a transport failure or a cancellation).
    func abandon(sequence: Int) {
        state.withLock {
            $0.inFlight = max(0, $0.inFlight - 1)
            $0.sentAt[sequence] = nil
        }
    }

    /// The refill rate measured so far, in tokens a second (nil until measured).
    var measuredRefillPerSecond: Double? { state.current.refillPerSecond }

    private static func reserve(_ state: inout State) -> Admission {
        state.inFlight += 1
        state.peakInFlight = max(state.peakInFlight, state.inFlight)
        state.nextSequence += 1
        state.sentAt[state.nextSequence] = ContinuousClock.now
        return .send(sequence: state.nextSequence)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
