import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

@testable import atlas_roles

/// The variables a user behind a corporate network sets, read by a command as the Atlas CLI reads them.
@Suite struct NetworkEnvironmentTests {
    @Test func httpsProxyAndSslCertFileCarryACommand() async throws {
        let proxy = try await TinyProxy(credentials: ("bob", "b0b-pass"))
        defer { proxy.stop() }
        try await withHarness(transport: .https) { harness in
            var environment = harness.environment()
            #expect(environment["SSL_CERT_FILE"] == harness.sandbox.caCertificatePath)
            environment["HTTPS_PROXY"] = proxy.url(user: "bob", password: "b0b-pass")
            environment["http_proxy"] = proxy.url(user: "bob", password: "b0b-pass")
            let result = try await harness.run(["list", "--output", "json"], environment: environment)
            #expect(result.status == .success, "\(result.err)")
            #expect(!proxy.requests().isEmpty, "every call went through the proxy")

            environment["HTTPS_PROXY"] = proxy.url
            environment["http_proxy"] = proxy.url
            let refused = try await harness.run(["list", "--output", "json"], environment: environment)
            #expect(refused.status != .success)
            #expect(refused.err.contains("407"), "\(refused.err)")

            environment["NO_PROXY"] = "127.0.0.1"
            let direct = try await harness.run(["list", "--output", "json"], environment: environment)
            #expect(direct.status == .success, "\(direct.err)")
        }
    }

    @Test func withoutTheCAAnHTTPSServerIsNotTrusted() async throws {
        try await withHarness(transport: .https) { harness in
            var environment = harness.environment()
            environment["SSL_CERT_FILE"] = nil
            let result = try await harness.run(["list", "--output", "json"], environment: environment)
            #expect(result.status != .success)
            #expect(await harness.sandbox.journal().isEmpty)
        }
    }
}
