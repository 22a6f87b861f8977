#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Paces requests by the budget the server announces, so a bulk run waits for tokens instead of
/// running into 429s.
///
/// Atlas limits with a token bucket and says where a request left it: `RateLimit-Limit` (the
/// bucket's capacity) and `RateLimit-Remaining` (whole tokens left after that request) on every answer
/// of a limited endpoint; it sends no reset time. Its refill rate is announced by `GET /rateLimits`
/// (``learn(capacity:refillPerSecond:startsFull:)``) or else measured here.
///
/// The model never holds more tokens than the server can have, whatever the machine's load delays:
/// every quantity it cannot know is taken at its pessimistic bound.
/// - The server counted a request somewhere between our sending it and our reading its answer: the
///   newest reading (the answer to the request sent last) is taken to refill only from the moment it
///   was read, and every request that may have reached the server after it (still out, or answered
///   after it was sent) is taken to have spent a token since. Answers that crossed each other are
///   judged as a group, by the group's lowest count (see `tokensCertainlyLeft`), so that a burst's
///   answers are not counted twice; the best of these bounds is the model.
/// - The refill rate is a lower bound: between two readings A and B the bucket gained at least
///   `remaining_B − (remaining_A + 1) + the requests certain to lie between` (sent after A was read and
///   answered before B was sent), over at most the time from A's sending to B's reading; a bucket that
///   sat full meanwhile only makes the bound looser. The best bound seen so far is the rate.
/// - A request goes when the model holds one token plus ``margin``; else it waits for the refill.
///
/// Until the first answer the budget is unknown: the first request goes alone (one round trip), so a
/// burst cannot overrun a bucket smaller than the burst — unless the bucket was learned beforehand.
/// A successful answer without the headers turns pacing off until one with them comes (the endpoint is
/// not limited); a refusal without them (a proxy's page, a challenge) leaves the model as it was.
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

    /// A request the server answered, kept while it can still matter to the model or the measuring.
    private struct Answer {
        var sequence: Int
        var sent: ContinuousClock.Instant
        var time: ContinuousClock.Instant
        /// It may have spent a token (anything but a 429).
        var mayHaveSpent: Bool
        /// It certainly spent one (an answer with the headers that is not a 429).
        var spent: Bool
        /// The tokens its answer said were left (nil: no headers).
        var remaining: Int?
    }

    private struct State {
        var limit: Int?
        var newest: Reading?
        /// Where the current measuring window starts.
        var anchor: Reading?
        var measuredPerSecond: Double?
        /// The rate the server announced for a bucket of `announcedCapacity`.
        var announcedPerSecond: Double?
        var announcedCapacity: Int?
        var nextSequence = 0
        /// When each request still out was sent, by sequence number.
        var sentAt: [Int: ContinuousClock.Instant] = [:]
        var inFlight = 0
        var answered = false
        /// Requests sent before any answer came (a learned bucket lets a burst go first).
        var sentBeforeFirstAnswer = 0
        var heardFromServer = false
        /// Answers in the order they were read.
        var answers: [Answer] = []
        /// The latest answer no longer kept: a group whose first request left before it cannot be judged.
        var forgottenUpTo: ContinuousClock.Instant?

        var refillPerSecond: Double? {
            if let announcedPerSecond, announcedCapacity == limit { return announcedPerSecond }
            return measuredPerSecond
        }
    }

    /// A measurement shorter than this says too little about the rate.
    static let minimumWindow: Duration = .milliseconds(200)
    /// Seconds an empty bucket of unknown refill rate is left alone before one request tries it.
    static let probeInterval = 0.25
    /// Tokens the model keeps in hand beyond the one a request needs: a bucket that refills in steps
    /// rather than continuously, or rounds its count up, is not overrun by the last fraction. In a
    /// steady run it costs nothing (the reserve is held once, not per request).
    static let margin = 0.25
    /// Answers kept for one measuring window; past this the window restarts at the newest reading.
    static let answersKept = 1024

    private let state = LockedValue(State())
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameter now: the clock (tests step one by hand).
    init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
    }

    /// What `admit` decided: send now (with the sequence number to hand back to `record`), or wait.
    enum Admission: Equatable {
        case send(sequence: Int)
        case wait(seconds: Double, remaining: Int, limit: Int)
        /// The first request is out and nothing is known yet; ask again shortly.
        case awaitFirstAnswer
    }

    /// Takes in the bucket the server announced (`GET /rateLimits`): its capacity and refill rate. With
    /// `startsFull` (a bucket for writes alone, which nothing of this client has spent yet) the first
    /// requests go as a burst of the capacity instead of one alone; the answers correct the count.
    func learn(capacity: Int, refillPerSecond: Double, startsFull: Bool) {
        guard capacity > 0, refillPerSecond > 0 else { return }
        let now = self.now()
        state.withLock { state in
            state.announcedCapacity = capacity
            state.announcedPerSecond = refillPerSecond
            guard startsFull, !state.answered, state.inFlight == 0 else { return }
            state.limit = capacity
            state.answered = true
            state.newest = Reading(sent: now, time: now, remaining: capacity, sequence: state.nextSequence)
        }
    }

    /// Asks to send one request now. `.send` reserves a token of the model; the caller must then call
    /// ``record(sequence:limit:remaining:status:)`` (or ``abandon(sequence:)``) once the request is over.
    func admit() -> Admission {
        let now = self.now()
        return state.withLock { state in
            if !state.answered && state.inFlight > 0 { return .awaitFirstAnswer }
            guard let limit = state.limit, let newest = state.newest else { return Self.reserve(&state, now: now) }
            let rate = state.refillPerSecond ?? 0
            let available = Self.tokensCertainlyLeft(state, newest: newest, limit: limit, rate: rate, now: now)
            let needed = min(Double(limit), 1 + Self.margin)
            if available >= needed { return Self.reserve(&state, now: now) }
            if rate > 0 {
                return .wait(seconds: (needed - available) / rate, remaining: newest.remaining, limit: limit)
            }
            // Without a rate yet, a request that is out will bring a newer reading; with none out, one
            // request goes once the bucket has had `probeInterval` to refill since the last reading, and
            // its answer measures the rate.
            if state.inFlight > 0 { return .wait(seconds: 0.05, remaining: newest.remaining, limit: limit) }
            let waited = Self.seconds(now - newest.time)
            if waited >= Self.probeInterval { return Self.reserve(&state, now: now) }
            return .wait(seconds: Self.probeInterval - waited, remaining: newest.remaining, limit: limit)
        }
    }

    /// Takes in the budget an answer reported (nil headers: the endpoint is not limited, or said
    /// nothing) and its HTTP status (a 429's request took no token).
    func record(sequence: Int, limit: Int?, remaining: Int?, status: Int) {
        let now = self.now()
        state.withLock { state in
            state.inFlight = max(0, state.inFlight - 1)
            let sent = state.sentAt.removeValue(forKey: sequence) ?? now
            state.answered = true
            state.heardFromServer = true
            let refused = status == 429
            guard let limit, let remaining, limit > 0 else {
                if (200..<300).contains(status) {
                    state.limit = nil
                    state.newest = nil
                    state.anchor = nil
                    state.answers = []
                    state.forgottenUpTo = nil
                } else {
                    state.answers.append(
                        Answer(
                            sequence: sequence, sent: sent, time: now, mayHaveSpent: !refused, spent: false,
                            remaining: nil))
                }
                return
            }
            if state.limit != limit {
                state.limit = limit
                state.newest = nil
                state.anchor = nil
                state.measuredPerSecond = nil
                state.answers = []
                state.forgottenUpTo = nil
            }
            state.answers.append(
                Answer(
                    sequence: sequence, sent: sent, time: now, mayHaveSpent: !refused, spent: !refused,
                    remaining: max(0, remaining)))
            let reading = Reading(sent: sent, time: now, remaining: max(0, remaining), sequence: sequence)
            if state.newest.map({ $0.sequence < sequence }) ?? true {
                state.newest = reading
            }
            if let anchor = state.anchor {
                Self.measure(from: anchor, to: reading, refused: refused, state: &state)
            }
            // A full bucket stops refilling: a window that spans it only loosens the bound, so measuring
            // starts again here. So it does when the window has grown too long to keep every answer.
            if state.anchor == nil || remaining >= limit - 1 || state.answers.count > Self.answersKept {
                state.anchor = reading
            }
            Self.forgetSettledAnswers(&state)
        }
    }

    /// A request that got no answer from the server (a transport failure or a cancellation).
    func abandon(sequence: Int) {
        state.withLock {
            $0.inFlight = max(0, $0.inFlight - 1)
            $0.sentAt[sequence] = nil
        }
    }

    /// The refill rate known so far, in tokens a second (nil until measured or announced).
    var refillPerSecond: Double? { state.current.refillPerSecond }

    /// Requests that went out before the server's first answer: 1 when the budget was unknown.
    var sentBeforeFirstAnswer: Int { state.current.sentBeforeFirstAnswer }

    /// Answers looked at as the last group of readings: the newest few say the most.
    static let groupsConsidered = 64

    /// The fewest tokens the server can hold now. Each candidate below is such a bound on its own, so
    /// the largest is one too:
    /// - the newest reading (the request sent last), refilled since it was read, less every request
    ///   that may have been counted after it (still out, or answered after it was sent);
    /// - for each group of the latest answers, all with readings: the last of them the server counted
    ///   left at least the group's lowest count, refilled since the group's last answer was read; less
    ///   the requests outside the group that may have been counted after that one (still out, answered
    ///   after the group's first request left, or answered without a reading). Answers that crossed
    ///   each other within the group are not counted twice, as they would be against one reading.
    private static func tokensCertainlyLeft(
        _ state: State, newest: Reading, limit: Int, rate: Double, now: ContinuousClock.Instant
    ) -> Double {
        let answers = state.answers
        let capacity = Double(limit)
        let mayFollowNewest = answers.reduce(0) {
            $0 + ($1.mayHaveSpent && $1.time > newest.sent && $1.sequence != newest.sequence ? 1 : 0)
        }
        var best =
            min(capacity, Double(newest.remaining) + rate * seconds(now - newest.time))
            - Double(state.inFlight + mayFollowNewest)
        guard let lastRead = answers.last?.time else { return best }
        let refill = rate * seconds(now - lastRead)
        var lowest = Int.max
        var firstSent = lastRead
        var withoutReading = 0
        // Answers before the group read after its first request left: `answers[earliest..<index]`
        // (answers are in the order read, so the range only grows to the left), `spentBefore` of them
        // may have spent a token.
        var earliest = answers.count
        var spentBefore = 0
        for index in answers.indices.reversed().prefix(groupsConsidered) {
            let answer = answers[index]
            if earliest <= index, answer.mayHaveSpent { spentBefore -= 1 }
            guard let remaining = answer.remaining else {
                withoutReading += answer.mayHaveSpent ? 1 : 0
                continue
            }
            lowest = min(lowest, remaining)
            firstSent = min(firstSent, answer.sent)
            if let forgotten = state.forgottenUpTo, forgotten > firstSent { break }
            earliest = min(earliest, index)
            while earliest > 0, answers[earliest - 1].time > firstSent {
                earliest -= 1
                spentBefore += answers[earliest].mayHaveSpent ? 1 : 0
            }
            let outside = withoutReading + spentBefore
            best = max(best, min(capacity, Double(lowest) + refill) - Double(state.inFlight + outside))
        }
        return best
    }

    /// The lower bound on the refill rate between `anchor` and `reading`, kept when it is the best yet.
    private static func measure(from anchor: Reading, to reading: Reading, refused: Bool, state: inout State) {
        // Only when the anchor's request was counted before this one's: its answer came before this
        // request left.
        guard anchor.time < reading.sent, reading.time - anchor.sent >= minimumWindow else { return }
        let between = state.answers.reduce(0) {
            $0 + ($1.spent && $1.sent > anchor.time && $1.time < reading.sent ? 1 : 0)
        }
        let gained = reading.remaining - (anchor.remaining + 1) + between + (refused ? 0 : 1)
        guard gained > 0 else { return }
        let rate = Double(gained) / seconds(reading.time - anchor.sent)
        state.measuredPerSecond = max(state.measuredPerSecond ?? 0, rate)
    }

    /// Drops answers that can no longer follow the newest reading nor lie inside the measuring window.
    private static func forgetSettledAnswers(_ state: inout State) {
        guard let newest = state.newest, let anchor = state.anchor else { return }
        let forgotten = state.answers.filter { $0.time <= newest.sent && $0.sent <= anchor.time }
        guard let last = forgotten.map(\.time).max() else { return }
        state.answers.removeAll { $0.time <= newest.sent && $0.sent <= anchor.time }
        state.forgottenUpTo = max(state.forgottenUpTo ?? last, last)
    }

    private static func reserve(_ state: inout State, now: ContinuousClock.Instant) -> Admission {
        if !state.heardFromServer { state.sentBeforeFirstAnswer += 1 }
        state.inFlight += 1
        state.nextSequence += 1
        state.sentAt[state.nextSequence] = now
        return .send(sequence: state.nextSequence)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
