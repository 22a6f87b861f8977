import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

/// Refusals a person meets first, through the real client against the sandbox: the envelope is kept
/// whole and a hint says what to do next. (A wrong key, a wrong client secret and a key without Owner
/// are checked with their hints in AuthenticationTests and WriteTests.)
@Suite("Error hints")
struct ErrorHintTests {
    @Test func keyUsedFromAnAddressNotOnTheAccessList() async throws {
        try await withSandbox(SandboxConfiguration(organizations: 1, faults: SandboxFaults(notOnAccessList: true))) {
            sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let error = try #require(await atlasError { _ = try await client.listOrganizations() })
            #expect(error.status == 403)
            #expect(error.envelope?.errorCode == "IP_ADDRESS_NOT_ON_ACCESS_LIST")
            #expect(error.envelope?.detail == "IP address 127.0.0.1 is not allowed to access this resource.")
            #expect(error.hint?.contains("not on the access list") == true)
            #expect(!error.isTransient, "retrying from the same address cannot help")
            #expect(await sandbox.apiRequests().filter { $0.status == 403 }.count == 1)
        }
    }

    @Test func unknownOrganization() async throws {
        try await withSandbox { sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let error = try #require(
                await atlasError { _ = try await client.organization(id: "5f5f5f5f5f5f5f5f5f5f5f5f") })
            #expect(error.status == 404)
            #expect(error.hint?.contains("organization id") == true)
        }
    }

    @Test func nothingListening() async throws {
        // A port that was just free: bind, read the number, close.
        let port = try freePort()
        var configuration = AtlasClientConfiguration(
            baseURL: "http://127.0.0.1:\(port)", credentials: .apiKey(publicKey: "p", privateKey: "k"))
        configuration.retryPolicy = .never
        let client = try AtlasClient(configuration: configuration)
        let error = try #require(await atlasError { _ = try await client.listOrganizations() })
        guard case .transport(let code, _) = error.kind else {
            Issue.record("expected a transport error, got \(error)")
            return
        }
        #expect(code == 7)
        #expect(error.hint?.contains("nothing answered") == true)
    }

    @Test func errorsWithoutAKnownCauseHaveNoHint() {
        let envelope = APIErrorEnvelope(
            error: 400, errorCode: "VALIDATION_ERROR", detail: "bad", reason: "Bad Request", parameters: [])
        #expect(AtlasError(.api(status: 400, envelope: envelope)).hint == nil)
        #expect(AtlasError(.malformedResponse(status: 200, message: "cut", bodyExcerpt: "{")).hint == nil)
        #expect(AtlasError(.cancelled).hint == nil)
    }
}

/// A loopback port nothing listens on (bound and released at once).
func freePort() throws -> Int {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
