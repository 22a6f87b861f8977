import AtlasRolesTesting
import Foundation
import Testing

@testable import AtlasAPI

/// The pacer against a simulated token bucket on a simulated clock: requests reach the server and
/// their answers come back after random delays, now and then very late (a loaded machine), and out
/// of order. Whatever the delays, the model never counts a token the server does not have.
@Suite("Rate budget pacer")
struct RateBudgetPacerTests {
    /// A server that counts tokens as Atlas does: continuous refill, whole tokens in the header.
    struct Bucket {
        let capacity: Double
        let refillPerSecond: Double
        var tokens: Double
        var updatedAt: Double

        mutating func take(at time: Double) -> (allowed: Bool, remaining: Int) {
            tokens = min(capacity, tokens + (time - updatedAt) * refillPerSecond)
            updatedAt = time
            guard tokens >= 1 else { return (false, 0) }
            tokens -= 1
            return (true, Int(tokens))
        }
    }

    struct Outcome {
        var refused = 0
        var answered = 0
        var finishedAt = 0.0
        var refill: Double?
    }

    /// `writes` writes from eight lanes; each request spends `delay()` milliseconds on the way to the
    /// server and as long again back.
    static func simulate(
        writes: Int, capacity: Int, refillPerSecond: Double, learned: Bool, seed: UInt64,
        delay: (inout SplitMix64) -> Int
    ) -> Outcome {
        let start = ContinuousClock.now
        let clock = LockedBox(0)  // milliseconds
        let pacer = RateBudgetPacer(now: { start + .milliseconds(clock.value) })
        if learned { pacer.learn(capacity: capacity, refillPerSecond: refillPerSecond, startsFull: true) }
        var random = SplitMix64(seed: seed)
        var bucket = Bucket(
            capacity: Double(capacity), refillPerSecond: refillPerSecond, tokens: Double(capacity), updatedAt: 0)
        // Per request: when the server counts it, and when its answer is read.
        var arrivals: [(time: Int, sequence: Int)] = []
        var answers: [(time: Int, sequence: Int, remaining: Int, refused: Bool)] = []
        // The request each of eight lanes has out, if any.
        var lanes = [Int?](repeating: nil, count: 8)
        var sent = 0
        var askAgainAt = 0
        var outcome = Outcome()
        var now = 0
        while outcome.answered + outcome.refused < writes, now < 3_600_000 {
            clock.mutate { $0 = now }
            for arrival in arrivals where arrival.time == now {
                let (allowed, remaining) = bucket.take(at: Double(now) / 1000)
                answers.append((now + delay(&random), arrival.sequence, remaining, !allowed))
            }
            arrivals.removeAll { $0.time == now }
            for answer in answers where answer.time == now {
                pacer.record(
                    sequence: answer.sequence, limit: capacity, remaining: answer.remaining,
                    status: answer.refused ? 429 : 200)
                if answer.refused { outcome.refused += 1 } else { outcome.answered += 1 }
                if let lane = lanes.firstIndex(of: answer.sequence) { lanes[lane] = nil }
            }
            answers.removeAll { $0.time == now }
            // A lane told to wait asks again when told to, as the client sleeps.
            for lane in lanes.indices where lanes[lane] == nil && sent < writes && askAgainAt <= now {
                switch pacer.admit() {
                case .send(let sequence):
                    sent += 1
                    arrivals.append((now + delay(&random), sequence))
                    lanes[lane] = sequence
                case .wait(let seconds, _, _):
                    askAgainAt = now + max(1, Int((seconds * 1000).rounded(.up)))
                case .awaitFirstAnswer:
                    askAgainAt = now + 10
                }
            }
            // On to the next thing that happens.
            let idleLane = lanes.contains(nil) && sent < writes
            now =
                ([askAgainAt].filter { _ in idleLane } + arrivals.map(\.time) + answers.map(\.time))
                .filter { $0 > now }.min() ?? now + 1
        }
        outcome.finishedAt = Double(now) / 1000
        outcome.refill = pacer.refillPerSecond
        return outcome
    }

    /// Mostly a few milliseconds each way; one request in ten takes up to 150 ms (a descheduled
    /// thread), so answers cross each other and readings come late.
    static func loadedMachine(_ random: inout SplitMix64) -> Int {
        random.next() % 10 == 0 ? 20 + Int(random.next() % 130) : 1 + Int(random.next() % 5)
    }

    @Test(arguments: [(40.0, false), (10.0, false), (10.0, true), (50.0, true)])
    func noWriteIsRefusedWhateverTheDelays(refillPerSecond: Double, learned: Bool) {
        for seed in UInt64(1)...5 {
            let outcome = Self.simulate(
                writes: 300, capacity: 5, refillPerSecond: refillPerSecond, learned: learned, seed: seed,
                delay: Self.loadedMachine)
            #expect(outcome.refused == 0, "seed \(seed): \(outcome.refused) refused")
            #expect(outcome.answered == 300)
            // The measured rate is a lower bound: never above the server's.
            #expect((outcome.refill ?? 0) <= refillPerSecond)
            // Simulated time, not the machine's: the run takes about what the bucket allows; a rate the
            // pacer had to measure (a lower bound) costs a little more.
            let bucketSeconds = Double(300 - 5) / refillPerSecond
            let allowed = (learned ? 1.2 : 1.5) * bucketSeconds
            #expect(outcome.finishedAt <= allowed, "seed \(seed): \(outcome.finishedAt) s")
        }
    }
}
