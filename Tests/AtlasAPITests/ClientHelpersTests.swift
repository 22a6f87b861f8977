import AtlasRolesTesting
import Foundation
import Testing

@testable import AtlasAPI

/// Pure helpers of the client: header dates, backoff, call shapes, redaction, configuration.
@Suite("Client helpers")
struct ClientHelpersTests {
    @Test func httpDatesParseTheFormsAtlasSends() {
        #expect(HTTPDates.parse("Wed, 19 Feb 2025 00:00:00 GMT") == Date(timeIntervalSince1970: 1_739_923_200))
        #expect(HTTPDates.parse("Thu, 1 Jul 2027 00:00:00 GMT") == Date(timeIntervalSince1970: 1_814_400_000))
        #expect(HTTPDates.parse("@1740000000") == Date(timeIntervalSince1970: 1_740_000_000))
        #expect(HTTPDates.parse("soon") == nil)
    }

    @Test func retryAfterAcceptsSecondsAndDates() {
        let now = Date(timeIntervalSince1970: 1_739_923_200)
        #expect(HTTPDates.retryAfterSeconds("3", now: now) == 3)
        #expect(HTTPDates.retryAfterSeconds("Wed, 19 Feb 2025 00:00:10 GMT", now: now) == 10)
        #expect(HTTPDates.retryAfterSeconds(nil, now: now) == nil)
        #expect(HTTPDates.retryAfterSeconds("-1", now: now) == nil)
    }

    @Test func backoffGrowsWithJitterAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 10, initialBackoff: 1, maximumBackoff: 8)
        for _ in 0..<50 {
            let first = policy.backoff(afterAttempt: 1)
            #expect(first >= 0.5 && first <= 1)
            let third = policy.backoff(afterAttempt: 3)
            #expect(third >= 2 && third <= 4)
            let tenth = policy.backoff(afterAttempt: 10)
            #expect(tenth >= 4 && tenth <= 8)
        }
        let samples = Set((0..<20).map { _ in policy.backoff(afterAttempt: 4) })
        #expect(samples.count > 1, "jitter makes waits differ")
    }

    @Test func callShapesElideIds() {
        #expect(
            RequestExecutor.pathShape("/orgs/5f0000000000000000000001/users/6a00000000000000000000ff/roles")
                == "/orgs/{id}/users/{id}/roles")
        #expect(
            RequestExecutor.pathShape("/orgs/5f0000000000000000000001/users/6a00000000000000000000ff:addRole")
                == "/orgs/{id}/users/{id}:addRole")
    }

    @Test func redactorScrubsSecretsFromEnvelopesAndText() {
        let redactor = SecretRedactor()
        redactor.register("s3cr3t-value")
        redactor.register("abc")  // too short to register
        let envelope = APIErrorEnvelope(
            error: 401, errorCode: "X", detail: "bad s3cr3t-value", parameters: [.array([.string("s3cr3t-value")])],
            badRequestDetail: BadRequestDetail(fields: [.init(field: "f", description: "s3cr3t-value")]))
        let clean = redactor.redact(envelope)
        #expect(!String(reflecting: clean).contains("s3cr3t-value"))
        #expect(clean.detail == "bad [redacted]")
        #expect(redactor.redact("abc abc") == "abc abc")
    }

    @Test func excerptIsShortSanitizedAndSecretFree() {
        let redactor = SecretRedactor()
        redactor.register("token-1234567")
        let body = Data(("<html>\u{1B}[2J token-1234567 " + String(repeating: "x", count: 1000)).utf8)
        let excerpt = ResponseErrors.excerpt(body, redactor: redactor)
        #expect(!excerpt.contains("\u{1B}"))
        #expect(!excerpt.contains("token-1234567"))
        #expect(excerpt.count <= ResponseErrors.excerptLength + 1)
        #expect(ResponseErrors.excerpt(Data(), redactor: redactor) == "(empty body)")
    }

    @Test func errorDescriptionNeutralisesEscapes() {
        let error = AtlasError(
            .api(status: 400, envelope: APIErrorEnvelope(error: 400, errorCode: "E", detail: "x\u{1B}]0;pwned\u{07}")),
            call: APICall(method: "GET", path: "/orgs", version: .v20230101))
        #expect(!error.description.contains("\u{1B}"))
        #expect(!error.description.contains("\u{07}"))
        #expect(error.description.hasPrefix("GET /orgs (2023-01-01): 400 E"))
    }

    @Test func credentialsNeverPrintTheirSecret() {
        let key = AtlasCredentials.apiKey(publicKey: "pubkey", privateKey: "private-0000-1111")
        let account = AtlasCredentials.serviceAccount(clientId: "mdb_sa_id_1", clientSecret: "mdb_sa_sk_2222")
        var configuration = AtlasClientConfiguration(baseURL: "https://x", credentials: key)
        configuration.cacheDirectory = nil
        for text in [
            "\(key)", String(reflecting: key), "\(account)", String(reflecting: account), "\(configuration)",
            String(reflecting: configuration),
        ] {
            #expect(!text.contains("private-0000-1111"))
            #expect(!text.contains("mdb_sa_sk_2222"))
        }
    }

    @Test func baseURLIsNormalisedAndValidated() throws {
        let credentials = AtlasCredentials.apiKey(publicKey: "a", privateKey: "b")
        #expect(
            try AtlasClientConfiguration(baseURL: "https://cloud.mongodb.com/", credentials: credentials)
                .normalizedBaseURL() == "https://cloud.mongodb.com")
        #expect(
            try AtlasClientConfiguration(baseURL: "https://cloud.mongodb.com/api/atlas/v2/", credentials: credentials)
                .normalizedBaseURL() == "https://cloud.mongodb.com")
        #expect(throws: AtlasError.self) {
            try AtlasClientConfiguration(baseURL: "ftp://x", credentials: credentials).normalizedBaseURL()
        }
        #expect(throws: AtlasError.self) {
            try AtlasClient(configuration: AtlasClientConfiguration(baseURL: "not a url", credentials: credentials))
        }
    }

    @Test func tokenCacheFileIsPrivateAndKeyed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-token-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = TokenDiskCache(directory: directory, baseURL: "https://a", clientId: "id1")
        let token = CachedAccessToken(
            baseURL: "https://a", clientId: "id1", accessToken: "tok",
            expiresAt: Date(timeIntervalSince1970: 2_000_000_000))
        cache.store(token)
        #expect(cache.load() == token)
        let attributes = try FileManager.default.attributesOfItem(atPath: cache.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let directoryAttributes = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((directoryAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        // Another server or account never sees it.
        #expect(TokenDiskCache(directory: directory, baseURL: "https://b", clientId: "id1").load() == nil)
        #expect(TokenDiskCache(directory: directory, baseURL: "https://a", clientId: "id2").load() == nil)
        cache.remove()
        #expect(cache.load() == nil)
    }

    @Test func aPlantedOrLinkedTokenIsNeverUsed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-token-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = TokenDiskCache(directory: directory, baseURL: "https://a", clientId: "id1")
        // A token that would add a header of the planter's choosing.
        cache.store(
            CachedAccessToken(
                baseURL: "https://a", clientId: "id1", accessToken: "abc\r\nX-Injected: yes",
                expiresAt: Date(timeIntervalSince1970: 2_000_000_000)))
        #expect(cache.load() == nil)
        // A cache file that is a link to a readable token elsewhere.
        let elsewhere = directory + "-elsewhere.json"
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let good = CachedAccessToken(
            baseURL: "https://a", clientId: "id1", accessToken: "tok",
            expiresAt: Date(timeIntervalSince1970: 2_000_000_000))
        cache.store(good)
        try FileManager.default.moveItem(atPath: cache.path, toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: cache.path, withDestinationPath: elsewhere)
        #expect(cache.load() == nil)
        // A directory others may write to.
        try FileManager.default.removeItem(atPath: cache.path)
        cache.store(good)
        chmod(directory, 0o777)
        #expect(cache.load() == nil)
    }

    @Test func bearerTokensAreRFC6750Tokens() {
        #expect(CachedAccessToken.isBearerToken("eyJhbGciOi.JIUzI1NiJ9-_~+/abc=="))
        for bad in ["", "a b", "abc\r\nX: y", "abc=def", "=", "tok\u{0}", "to\"k"] {
            #expect(!CachedAccessToken.isBearerToken(bad), "\(bad)")
        }
    }
}
