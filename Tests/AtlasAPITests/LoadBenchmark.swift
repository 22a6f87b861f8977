import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

extension Tag {
    /// Measurements, not checks: off unless `ATLAS_ROLES_BENCH=1` (see scripts/bench-load.sh).
    @Tag static var benchmark: Self
}

/// Loading 10,000 users at 100 ms latency: this client against a sequential `curl --digest` page loop.
@Suite(
    "Load benchmark", .tags(.benchmark), .enabled(if: ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH"] == "1"))
struct LoadBenchmark {
    private let users = Int(ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH_USERS"] ?? "") ?? 10_000
    private let latencyMs = Int(ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH_LATENCY_MS"] ?? "") ?? 100

    @Test func clientAgainstSequentialCurl() async throws {
        try await withSandbox(
            SandboxConfiguration(
                organizations: 1, usersPerOrganization: users, faults: SandboxFaults(latencyMs: latencyMs))
        ) { sandbox in
            let orgId = sandbox.firstOrgId
            // A new client each run: the Digest challenge and the connections are part of the cost.
            var clientTimes: [Double] = []
            for _ in 0..<3 {
                let client = try AtlasClient(configuration: sandbox.clientConfiguration())
                let started = Date()
                let count = try await loadAll(client, orgId: orgId).flatMap(\.users).count
                clientTimes.append(Date().timeIntervalSince(started))
                #expect(count == users)
            }
            let curlStarted = Date()
            let pages = (users + 499) / 500
            for page in 1...max(1, pages) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                process.arguments = [
                    "-sS", "-o", "/dev/null", "--fail", "--digest", "-u",
                    "\(sandbox.credentials.apiKey.publicKey):\(sandbox.credentials.apiKey.privateKey)",
                    "-H", "Accept: application/vnd.atlas.2025-02-19+json",
                    "\(sandbox.baseURL)/api/atlas/v2/orgs/\(orgId)/users?itemsPerPage=500&pageNum=\(page)",
                ]
                try process.run()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
            }
            let curlTime = Date().timeIntervalSince(curlStarted)
            let best = clientTimes.min() ?? 0
            print(
                String(
                    format:
                        "bench-load: %d users, %d ms latency: client best %.3f s (runs %@), sequential curl --digest %.3f s, ratio %.1fx",
                    users, latencyMs, best, clientTimes.map { String(format: "%.3f", $0) }.joined(separator: "/"),
                    curlTime,
                    curlTime / max(best, 0.001)))
            #expect(best < curlTime)
        }
    }
}
