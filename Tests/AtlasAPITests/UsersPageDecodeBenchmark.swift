import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import AtlasAPI

/// Reading one 500-user page of the sandbox, in this process: the byte reader against `JSONDecoder`
/// through the wire models (`ATLAS_ROLES_BENCH=1`; a release build measures what the client does).
@Suite(
    "Users page decode benchmark", .tags(.benchmark),
    .enabled(if: ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH"] == "1"))
struct UsersPageDecodeBenchmark {
    @Test(arguments: [APIVersion.v20250219, .v20230101])
    func bytesReaderAgainstJSONDecoder(version: APIVersion) async throws {
        try await withSandbox(SandboxConfiguration(organizations: 1, usersPerOrganization: 500)) { sandbox in
            let orgId = sandbox.firstOrgId
            let body = try await UsersPageReaderTests.sandboxPage(sandbox, version: version, page: 1)
            let rounds = Int(ProcessInfo.processInfo.environment["ATLAS_ROLES_BENCH_ROUNDS"] ?? "") ?? 40
            // 2023-01-01 lists only the active members of the 500.
            let users = try ResponseDecoding.usersPageContentsByJSONDecoder(body, version: version, orgId: orgId).users
                .count
            #expect(users > 0)
            func best(_ read: () throws -> Int) rethrows -> Double {
                var times: [Double] = []
                for _ in 0..<rounds {
                    let started = ContinuousClock.now
                    #expect(try read() == users)
                    let elapsed = ContinuousClock.now - started
                    times.append(
                        Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
                }
                return times.min() ?? 0
            }
            let byJSONDecoder = try best {
                try ResponseDecoding.usersPageContentsByJSONDecoder(body, version: version, orgId: orgId).users.count
            }
            let byBytes = try best {
                try #require(UsersPageReader.contents(of: body, version: version, orgId: orgId)).users.count
            }
            print(
                String(
                    format:
                        "bench-decode %@: %d bytes, %d users: JSONDecoder %.2f ms, byte reader %.2f ms (%.1fx), best of %d",
                    version.rawValue, body.count, users, byJSONDecoder, byBytes, byJSONDecoder / max(byBytes, 0.001),
                    rounds))
        }
    }
}
