import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@Suite("Faults")
struct FaultTests {
    static let orgs = "/api/atlas/v2/orgs"

    @Test func latencyDelaysAnswers() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(latencyMs: 300))) { sandbox in
            let client = SandboxClient(sandbox)
            _ = try await client.call("GET", Self.orgs)
            let clock = ContinuousClock()
            let started = clock.now
            #expect(try await client.call("GET", Self.orgs).status == 200)
            #expect(clock.now - started >= .milliseconds(300))
        }
    }

    @Test func tokenBucketAnswers429WithHeaders() async throws {
        let limit = SandboxRateLimit(capacity: 2, refillPerSecond: 0)
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(rateLimit: limit, retryAfterSeconds: 7))) {
            sandbox in
            let client = SandboxClient(sandbox)
            let first = try await client.call("GET", Self.orgs)
            #expect(first.status == 200)
            #expect(first.header("RateLimit-Limit") == "2")
            #expect(first.header("RateLimit-Remaining") == "1")
            #expect(try await client.call("GET", Self.orgs).status == 200)
            let limited = try await client.call("GET", Self.orgs)
            #expect(limited.status == 429)
            #expect(limited.json?["errorCode"]?.stringValue == "RATE_LIMITED_TOKEN_BUCKET")
            #expect(limited.header("Retry-After") == "7")
            #expect(limited.header("RateLimit-Remaining") == "0")
            #expect(limited.json?["detail"]?.stringValue?.contains("retry after 7 seconds") == true)
        }
    }

    @Test func keyUsedFromOutsideTheAccessListIsRefusedAfterAuthentication() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(notOnAccessList: true))) { sandbox in
            let refused = try await SandboxClient(sandbox).call("GET", Self.orgs)
            #expect(refused.status == 403)
            #expect(refused.json?["errorCode"]?.stringValue == "IP_ADDRESS_NOT_ON_ACCESS_LIST")
            #expect(
                refused.json?["detail"]?.stringValue == "IP address 127.0.0.1 is not allowed to access this resource.")
            #expect(refused.json?["parameters"]?.arrayValue?.first?.stringValue == "127.0.0.1")
            // Wrong credentials are still a 401: the access list is checked once the key is known.
            let stranger = SandboxClient(baseURL: sandbox.baseURL, key: .init(publicKey: "nobody", privateKey: "x"))
            #expect(try await stranger.call("GET", Self.orgs).status == 401)
            // And it can be lifted at run time.
            var faults = await sandbox.faults()
            faults.notOnAccessList = false
            await sandbox.setFaults(faults)
            #expect(try await SandboxClient(sandbox).call("GET", Self.orgs).status == 200)
        }
    }

    @Test func tokenEndpointAllowsSoManyRequestsAMinute() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(tokenRequestsPerMinute: 3))) { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            // The bucket holds 3 and gets one back every 20 s. A slow machine (a sanitizer build) may take
            // that long between two requests, so they go on until one is refused: granted are the 3 of
            // the bucket and at most one more for every 20 s that passed (none on a machine that keeps up).
            let started = ContinuousClock.now
            var granted = 0
            var limited = try await AuthTests.token(sandbox, client: client)
            while limited.status == 200 && granted < 40 {
                granted += 1
                limited = try await AuthTests.token(sandbox, client: client)
            }
            let refills = Int((ContinuousClock.now - started) / .seconds(20))
            #expect(granted >= 3 && granted <= 3 + refills, "\(granted) granted, \(refills) refills")
            #expect(limited.status == 429)
            #expect(limited.json?["errorCode"]?.stringValue == "RATE_LIMITED")
            #expect(limited.header("Retry-After") == "20")
        }
        // Atlas's documented 50 a minute is the default.
        #expect(SandboxFaults().tokenRequestsPerMinute == 50)
    }

    @Test func bucketRefillsAndRetryAfterCanBeLeftOut() async throws {
        // Slow enough that the second call finds the bucket empty even after a long pause (longer still
        // in a sanitizer build, where two calls can be seconds apart).
        let limit = SandboxRateLimit(capacity: 1, refillPerSecond: 0.1 / Patience.factor)
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(rateLimit: limit, retryAfterSeconds: nil))) {
            sandbox in
            let client = SandboxClient(sandbox)
            _ = try await client.call("GET", Self.orgs)
            let limited = try await client.call("GET", Self.orgs)
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == nil)
            let refilled = await eventually {
                (try? await client.call("GET", Self.orgs))?.status == 200
            }
            #expect(refilled)
        }
    }

    @Test func writeScopedLimitLeavesReadsAlone() async throws {
        let limit = SandboxRateLimit(capacity: 1, refillPerSecond: 0, scope: .writes)
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(rateLimit: limit))) { sandbox in
            let orgId = sandbox.organizations[0].id
            let member = await Fixtures.plainMember(sandbox)
            let client = SandboxClient(sandbox)
            for _ in 0..<3 {
                let read = try await client.call("GET", Self.orgs)
                #expect(read.status == 200)
            }
            let path = "/api/atlas/v2/orgs/\(orgId)/users/\(member)/roles"
            let first = try await client.call("PUT", path, body: #"{"orgRoles":["ORG_MEMBER"]}"#)
            #expect(first.status == 200)
            let second = try await client.call("PUT", path, body: #"{"orgRoles":["ORG_MEMBER"]}"#)
            #expect(second.status == 429)
        }
    }

    @Test func serverErrorsAre500Or503() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(serverErrorRate: 1))) { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            var statuses: Set<Int> = []
            for _ in 0..<16 {
                let answer = try await client.raw("GET", Self.orgs)
                statuses.insert(answer.status)
                if answer.status == 503 {
                    #expect(answer.json?["errorCode"]?.stringValue == "SERVICE_UNAVAILABLE")
                    #expect(answer.header("Retry-After") == "1")
                } else {
                    #expect(answer.json?["errorCode"]?.stringValue == "UNEXPECTED_ERROR")
                }
            }
            #expect(statuses == [500, 503])
        }
    }

    @Test func resetsCloseTheConnectionWithoutAnAnswer() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(resetRate: 1))) { sandbox in
            let client = SandboxClient(baseURL: sandbox.baseURL)
            await #expect(throws: (any Error).self) {
                _ = try await client.raw("GET", Self.orgs)
            }
            #expect(await sandbox.journal().last?.status == 0)
            // The admin endpoint never misbehaves.
            let health = try await client.raw("GET", "/__sandbox/health")
            #expect(health.status == 200)
        }
    }

    @Test func resetIsSeenAsResetOrEmptyReplyOnARawSocket() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(resetRate: 1))) { sandbox in
            let reply = try await RawSocket.exchange(
                port: sandbox.port, request: "GET /api/atlas/v2/orgs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(reply.bytes.isEmpty)
            #expect(reply.error == ECONNRESET || reply.error == 0)
        }
    }

    @Test func truncatedBodiesAreCutInHalf() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            let whole = try await client.call("GET", Self.orgs)
            await sandbox.setFaults(SandboxFaults(truncatedBodyRate: 1))
            let cut = try await client.call("GET", Self.orgs)
            #expect(cut.status == 200)
            #expect(cut.body.count == whole.body.count / 2)
            #expect(cut.json == nil)
            #expect(whole.text.hasPrefix(cut.text))
        }
    }

    @Test func malformedBodiesAreHTML() async throws {
        try await withSandbox(SandboxConfiguration(faults: SandboxFaults(malformedBodyRate: 1))) { sandbox in
            let answer = try await SandboxClient(sandbox).call("GET", Self.orgs)
            #expect(answer.status == 200)
            #expect(answer.text.hasPrefix("<!DOCTYPE html>"))
            #expect(answer.json == nil)
            // Errors are never garbled: only 200 bodies are.
            let refused = try await SandboxClient(sandbox).call("GET", "/api/atlas/v2/orgs/zz")
            #expect(refused.json?["errorCode"]?.stringValue == "VALIDATION_ERROR")
        }
    }

    @Test func tricklingBodiesArriveSlowlyButWhole() async throws {
        try await withSandbox { sandbox in
            let client = SandboxClient(sandbox)
            let whole = try await client.call("GET", Self.orgs)
            await sandbox.setFaults(SandboxFaults(trickleBytesPerSecond: 2000))
            let clock = ContinuousClock()
            let started = clock.now
            let slow = try await client.call("GET", Self.orgs)
            let elapsed = clock.now - started
            #expect(slow.body == whole.body)
            let expected = Double(whole.body.count) / 2000
            #expect(elapsed >= .milliseconds(Int(expected * 1000 * 0.7)))
        }
    }

    @Test func faultDrawsAreDeterministicPerSeed() async throws {
        func statuses(_ seed: UInt64) async throws -> [Int] {
            try await withSandboxReturning(
                SandboxConfiguration(faults: SandboxFaults(serverErrorRate: 0.5, faultSeed: seed))
            ) { sandbox in
                let client = SandboxClient(baseURL: sandbox.baseURL)
                var result: [Int] = []
                for _ in 0..<12 { result.append(try await client.raw("GET", Self.orgs).status) }
                return result
            }
        }
        let first = try await statuses(3)
        #expect(first == (try await statuses(3)))
        #expect(first != (try await statuses(4)))
    }
}
