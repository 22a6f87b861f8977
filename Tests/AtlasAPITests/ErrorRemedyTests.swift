import AtlasAPI
import AtlasRolesTesting
import AtlasSandbox
import Foundation
import Testing

/// Refusals a person meets first, through the real client against the sandbox: the envelope is kept
/// whole and a remedy says what usually follows. (A wrong key, a wrong client secret and a key without
/// Owner are checked with their remedies in AuthenticationTests and WriteTests.)
@Suite("Error remedies")
struct ErrorRemedyTests {
    @Test func keyUsedFromAnAddressNotOnTheAccessList() async throws {
        try await withSandbox(SandboxConfiguration(organizations: 1, faults: SandboxFaults(notOnAccessList: true))) {
            sandbox in
            let client = try AtlasClient(configuration: sandbox.clientConfiguration())
            let error = try #require(await atlasError { _ = try await client.listOrganizations() })
            #expect(error.status == 403)
            #expect(error.envelope?.errorCode == "IP_ADDRESS_NOT_ON_ACCESS_LIST")
            #expect(error.envelope?.detail == "IP address 127.0.0.1 is not allowed to access this resource.")
            #expect(error.remedy == .addAddressToAccessList)
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
            #expect(error.remedy == .checkOrganizationId)
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
        #expect(error.remedy == .checkBaseURLAndNetwork)
    }

    @Test func errorsWithoutAKnownCauseHaveNoRemedy() {
        let envelope = APIErrorEnvelope(
            error: 400, errorCode: "VALIDATION_ERROR", detail: "bad", reason: "Bad Request", parameters: [])
        #expect(AtlasError(.api(status: 400, envelope: envelope)).remedy == nil)
        #expect(AtlasError(.malformedResponse(status: 200, message: "cut", bodyExcerpt: "{")).remedy == nil)
        #expect(AtlasError(.cancelled).remedy == nil)
        #expect(AtlasError(.httpStatus(status: 500, bodyExcerpt: "<html>")).remedy == nil)
        #expect(AtlasError(.transport(curlCode: 56, message: "reset")).remedy == nil)
        #expect(refusal(401, "NOT_ORG_GROUP_CREATOR").remedy == nil)
        #expect(refusal(404, "RESOURCE_NOT_FOUND", path: "/groups/x").remedy == nil)
    }

    /// Each remedy from the status, errorCode and call that mean it; a 403 depends on whether the call
    /// writes, a 404 on what was asked for.
    @Test(
        arguments: [
            (401, "INVALID_CLIENT", "GET", Remedy.checkServiceAccountSecret),
            (401, "UNAUTHORIZED", "GET", .checkCredentials),
            (403, "IP_ADDRESS_NOT_ON_ACCESS_LIST", "PUT", .addAddressToAccessList),
            (403, "USER_UNAUTHORIZED", "PUT", .needsOrganizationOwner),
            (403, "USER_UNAUTHORIZED", "PATCH", .needsOrganizationOwner),
            (403, "USER_UNAUTHORIZED", "GET", .checkOrganizationAccess),
            (404, "USER_NOT_FOUND", "PUT", .reloadUsers),
            (404, "RESOURCE_NOT_FOUND", "GET", .checkOrganizationId),
            (429, "RATE_LIMITED", "GET", .waitForRateLimit),
        ] as [(Int, String, String, Remedy)])
    func remedyOfARefusal(status: Int, errorCode: String, method: String, remedy: Remedy) {
        #expect(refusal(status, errorCode, method: method).remedy == remedy)
    }

    @Test func remediesOfAnswersThatAreNotAtlas() {
        #expect(AtlasError(.httpStatus(status: 407, bodyExcerpt: "")).remedy == .giveProxyCredentials)
        for status in [502, 503, 504] {
            #expect(AtlasError(.httpStatus(status: status, bodyExcerpt: "<html>")).remedy == .retryOrCheckProxy)
        }
        let byCurlCode: [Int: Remedy] = [
            5: .checkProxyName, 6: .checkBaseURLName, 7: .checkBaseURLAndNetwork, 28: .allowForSlowLinkOrFirewall,
            35: .checkTLSInterception, 60: .trustCertificateAuthority,
        ]
        for (code, remedy) in byCurlCode {
            #expect(AtlasError(.transport(curlCode: code, message: "")).remedy == remedy, "curl \(code)")
        }
    }

    private func refusal(
        _ status: Int, _ errorCode: String, method: String = "GET", path: String = "/orgs/5f1d0000000000000000abcd"
    ) -> AtlasError {
        AtlasError(
            .api(status: status, envelope: APIErrorEnvelope(error: status, errorCode: errorCode)),
            call: APICall(method: method, path: path, version: .v20230101))
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
