import AtlasRolesTesting
import Foundation
import Testing

@testable import AtlasAPI
@testable import AtlasSandbox

/// The client's own HTTP Digest (RFC 7616): the answer against the RFC's published examples, the
/// challenges it reads, and a scripted server that checks the answer with the sandbox's separate
/// implementation (swift-crypto's hashes, not libcrypto's).
@Suite("Digest")
struct DigestTests {
    // RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
    private static let rfcNonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
    private static let rfcOpaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
    private static let rfcClientNonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
    private static func rfcChallenge(_ algorithm: String) -> String {
        #"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=\#(algorithm), "#
            + #"nonce="\#(rfcNonce)", opaque="\#(rfcOpaque)""#
    }

    @Test(arguments: [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ])
    func theAnswerIsTheRFCsExample(algorithm: String, response: String) throws {
        let challenge = try #require(DigestChallenge.challenges(in: Self.rfcChallenge(algorithm)).first)
        let header = challenge.authorization(
            method: "GET", uri: "/dir/index.html", username: "Mufasa", password: "Circle of Life", nonceCount: 1,
            cnonce: Self.rfcClientNonce)
        #expect(
            header
                == #"Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", "#
                + #"algorithm=\#(algorithm), nonce="\#(Self.rfcNonce)", nc=00000001, cnonce="\#(Self.rfcClientNonce)", "#
                + #"qop=auth, response="\#(response)", opaque="\#(Self.rfcOpaque)""#)
    }

    @Test func theStrongestOfferedChallengeIsAnswered() throws {
        // The RFC's example response offers SHA-256 and MD5 in two headers; another scheme may sit beside them.
        let response = HTTPResponse(
            status: 401,
            headers: [
                ("WWW-Authenticate", Self.rfcChallenge("MD5")),
                ("www-authenticate", #"Basic realm="x", "# + Self.rfcChallenge("SHA-256") + ", stale=TRUE"),
            ], body: Data(), httpVersion: "2")
        let challenge = try #require(DigestChallenge.strongest(in: response))
        #expect(challenge.algorithm == .sha256)
        #expect(challenge.stale)
        #expect(challenge.opaque == Self.rfcOpaque)
        #expect(challenge.realm == "http-auth@example.org")
    }

    @Test func challengesTheClientCannotAnswerAreSkipped() {
        #expect(DigestChallenge.challenges(in: #"Digest realm="r", nonce="n", qop="auth-int""#).isEmpty)
        #expect(DigestChallenge.challenges(in: #"Digest realm="r", nonce="n", algorithm=SHA-1"#).isEmpty)
        #expect(DigestChallenge.challenges(in: #"Digest realm="r""#).isEmpty, "no nonce")
        #expect(DigestChallenge.challenges(in: #"Bearer realm="r", nonce="n""#).isEmpty)
        // Atlas's own challenge, quoted and unquoted values mixed.
        let atlas = DigestChallenge.challenges(
            in: #"Digest realm="MMS Public API", domain="", nonce="a,b\"c", algorithm=MD5, qop="auth", stale=false"#)
        #expect(atlas.map(\.nonce) == [#"a,b"c"#])
        #expect(atlas.first?.qopAuth == true && atlas.first?.stale == false)
    }

    @Test func theAnswerQuotesWhatItMustAndCountsInHex() throws {
        let challenge = try #require(
            DigestChallenge.challenges(in: #"Digest realm="r\"q", nonce="n", algorithm=SHA-256-sess, qop=auth"#).first)
        let header = try #require(
            challenge.authorization(
                method: "PUT", uri: "/a?b=c", username: #"pub"key"#, password: "p", nonceCount: 0x1_0a,
                cnonce: "c"))
        #expect(header.contains(#"username="pub\"key""#))
        #expect(header.contains(#"realm="r\"q""#))
        #expect(header.contains("nc=0000010a"))
        #expect(header.contains("algorithm=SHA-256-sess"))
        #expect(DigestChallenge.makeClientNonce() != DigestChallenge.makeClientNonce())
    }

    @Test func theURIIsTheRequestTargetAsSent() {
        #expect(
            EasyHandle.requestTarget(of: "https://h:443/api/atlas/v2/orgs?pageNum=2&x=%2F")
                == "/api/atlas/v2/orgs?pageNum=2&x=%2F")
        #expect(EasyHandle.requestTarget(of: "http://h") == "/")
        #expect(EasyHandle.requestTarget(of: "http://h?x=1") == "/?x=1")
    }

    @Test func echoedAnswersAreRedacted() {
        let redactor = SecretRedactor()
        let text = #"{"detail": "got Digest username=\"k\", response=\"8ca523f5e9506fed4657c9700eebdbec\""}"#
        #expect(!redactor.redact(text).contains("8ca523f5e9506fed4657c9700eebdbec"))
        #expect(
            redactor.redact("response=753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1 end")
                == "response=[redacted] end")
    }

    @Test func theSessionSharesOneChallengeUntilTheServerRefusesAReusedNonce() throws {
        let session = DigestSession()
        func challenge(_ nonce: String, stale: Bool = false) throws -> DigestChallenge {
            try #require(
                DigestChallenge.challenges(in: #"Digest realm="r", nonce="\#(nonce)", qop="auth", stale=\#(stale)"#)
                    .first)
        }
        func described(_ attempt: DigestAttempt) -> String {
            switch attempt {
            case .probe: "probe"
            case .signed(let challenge, let count, let reused): "\(challenge.nonce)/\(count)\(reused ? " reused" : "")"
            }
        }
        // A refused first answer is final until the credentials have been accepted once.
        let once = DigestAttempt.signed(try challenge("zero"), nonceCount: 1, reused: false)
        #expect(!session.mayAnswerAgain(after: once), "wrong credentials are refused once, finally")
        // The first request fetches the challenge; the others wait for it.
        let probe = session.nextAttempt()
        #expect(described(probe) == "probe")
        #expect(!session.mayStart)
        #expect(described(session.answer(try challenge("one"), refused: probe)) == "one/1")
        #expect(session.mayStart)
        let second = session.nextAttempt()
        #expect(described(second) == "one/2 reused")
        session.accepted(DigestAttempt.signed(try challenge("one"), nonceCount: 1, reused: false))
        #expect(session.mayAnswerAgain(after: once), "a replayed first answer after the key was accepted")
        #expect(!session.mayAnswerAgain(after: second), "a reuse refusal has its own answer")
        #expect(described(session.nextAttempt()) == "one/3 reused")
        // An aged nonce: the fresh one is answered and shared from then on.
        #expect(described(session.answer(try challenge("two", stale: true), refused: second)) == "two/1")
        let fourth = session.nextAttempt()
        #expect(described(fourth) == "two/2 reused")
        // A nonce accepted twice and refused later is a replayed count: the fresh nonce is shared.
        session.accepted(DigestAttempt.signed(try challenge("two"), nonceCount: 1, reused: false))
        session.accepted(fourth)
        #expect(described(session.answer(try challenge("replay"), refused: fourth)) == "replay/1")
        let fifth = session.nextAttempt()
        #expect(described(fifth) == "replay/2 reused")
        // A nonce refused on its first reuse: every request fetches its own challenge.
        #expect(described(session.answer(try challenge("three"), refused: fifth)) == "three/1")
        let afterwards = session.nextAttempt()
        #expect(described(afterwards) == "probe")
        #expect(session.mayStart, "single-use nonces: nothing to wait for")
        #expect(described(session.answer(try challenge("four"), refused: afterwards)) == "four/1")
        #expect(described(session.nextAttempt()) == "probe")
    }

    /// The requests that waited for the probe go out beside its answer, all on the same fresh nonce. A
    /// server that spends a nonce on one request accepts whichever arrives first (count 3 as readily
    /// as count 1) and refuses the rest; the replies come back in any order.
    @Test(arguments: [false, true])
    func aStrictServerAcceptingAnyOneOfTheSharedNonceLetsEveryRequestThrough(refusalsFirst: Bool) throws {
        let session = DigestSession()
        func challenge(_ nonce: String) throws -> DigestChallenge {
            try #require(DigestChallenge.challenges(in: #"Digest realm="r", nonce="\#(nonce)", qop="auth""#).first)
        }
        let probe = session.nextAttempt()
        let probesAnswer = session.answer(try challenge("first"), refused: probe)
        let waited = (0..<3).map { _ in session.nextAttempt() }
        let acceptedOne = waited[1]
        let refused = [probesAnswer, waited[0], waited[2]]
        if !refusalsFirst { session.accepted(acceptedOne) }
        for (index, attempt) in refused.enumerated() {
            guard case .signed(_, _, let reused) = attempt else {
                Issue.record("every request answered the shared nonce")
                continue
            }
            // A refused first use answers once more; a refused reuse has the one answer every refusal has.
            #expect(reused || session.mayAnswerAgain(after: attempt), "the probe's own answer may answer again")
            guard case .signed(let fresh, 1, false) = session.answer(try challenge("fresh\(index)"), refused: attempt)
            else {
                Issue.record("a refused request answers its own fresh nonce")
                continue
            }
            #expect(fresh.nonce == "fresh\(index)")
        }
        if refusalsFirst { session.accepted(acceptedOne) }
        #expect(session.singleUseNonces, "a reuse refused with stale=false: nonces are single-use")
        if case .probe = session.nextAttempt() {} else { Issue.record("from then on each request fetches its own") }
    }

    /// Wrong credentials: the probe's answer and the requests that shared its nonce are all refused. The
    /// probe's answer may answer once more (its nonce was shared), and no request gets a third try.
    @Test func wrongCredentialsBesideSharedNonceAreRefusedAtMostTwice() throws {
        let session = DigestSession()
        let first = try #require(DigestChallenge.challenges(in: #"Digest realm="r", nonce="one", qop="auth""#).first)
        let second = try #require(DigestChallenge.challenges(in: #"Digest realm="r", nonce="two", qop="auth""#).first)
        let answer = session.answer(first, refused: session.nextAttempt())
        #expect(!session.mayAnswerAgain(after: answer), "alone on its nonce, a refused answer is final")
        _ = session.nextAttempt()
        #expect(session.mayAnswerAgain(after: answer), "shared, it may have been spent on the other request")
        #expect(!session.mayAnswerAgain(after: .signed(second, nonceCount: 1, reused: false)))
        #expect(!session.credentialsAccepted)
    }

    /// A nonce an earlier run had accepted, accepted again by this one, allows reuse: when a run beside
    /// it took the same count and the server refuses it once, that is no verdict on reuse.
    @Test func aRememberedNonceAcceptedOnceMoreIsReusable() throws {
        let cache = temporaryDirectory("atlas-roles-digest-session")
        defer { try? FileManager.default.removeItem(at: cache) }
        let memory = DigestNonceMemory(directory: cache.path, baseURL: "https://cloud.mongodb.com", username: "key")
        let remembered = try #require(
            DigestChallenge.challenges(in: #"Digest realm="r", nonce="kept", qop="auth""#).first)
        memory.store(remembered, reservedThrough: 7, firstUsed: Date().timeIntervalSince1970)
        let session = DigestSession(memory: memory)
        let first = session.nextAttempt()
        let second = session.nextAttempt()
        session.accepted(first)
        let fresh = try #require(DigestChallenge.challenges(in: #"Digest realm="r", nonce="new", qop="auth""#).first)
        _ = session.answer(fresh, refused: second)
        #expect(!session.singleUseNonces)
        guard case .signed(let shared, 2, true) = session.nextAttempt() else {
            Issue.record("the fresh nonce is shared on")
            return
        }
        #expect(shared.nonce == "new")
    }

    @Test func aProbeThatFetchedNoChallengeOpensTheGate() {
        let session = DigestSession()
        _ = session.nextAttempt()
        #expect(!session.mayStart)
        session.probeEnded(answered: false)
        #expect(session.mayStart, "a failed probe lets the next request fetch the challenge")
        _ = session.nextAttempt()
        session.probeEnded(answered: true)
        #expect(session.mayStart)
        if case .probe = session.nextAttempt() {} else { Issue.record("a server that never challenges gets no answer") }
        #expect(session.mayStart, "nothing is worth waiting for")
    }

    /// A server offering SHA-256 beside MD5 gets a SHA-256 answer over the exact target, checked by the
    /// sandbox's verifier; one challenge serves every later call. With a wrong key the refusal echoes
    /// the header (as a careless proxy page might), and the error shows no part of the answer.
    @Test func aScriptedServerChecksTheAnswer() async throws {
        let nonce = "c2NyaXB0ZWQtbm9uY2U="
        let privateKey = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
        let server = try ScriptedServer { request in
            let challenges = ["MD5", "SHA-256"].map { algorithm in
                (
                    "WWW-Authenticate",
                    #"Digest realm="scripted", qop="auth", algorithm=\#(algorithm), nonce="\#(nonce)""#
                )
            }
            guard let header = request.headers["authorization"] else {
                return .json(
                    401, #"{"error": 401, "errorCode": "UNEXPECTED_ERROR", "detail": "challenge"}"#,
                    headers: challenges)
            }
            guard let answer = DigestCredentials(header: header), answer["algorithm"] == "SHA-256",
                answer["uri"] == request.target, answer["nonce"] == nonce,
                answer["response"]
                    == answer.expectedResponse(password: privateKey, method: request.method, realm: "scripted")
            else {
                let echoed = header.replacing("\"", with: "\\\"")
                return .json(
                    401, #"{"error": 401, "errorCode": "UNEXPECTED_ERROR", "detail": "refused \#(echoed)"}"#,
                    headers: challenges)
            }
            return .json(
                200, #"{"results": [{"id": "5f0000000000000000000000", "name": "Scripted"}], "totalCount": 1}"#)
        }
        defer { server.stop() }
        func client(privateKey: String) throws -> AtlasClient {
            var configuration = AtlasClientConfiguration(
                baseURL: server.baseURL, credentials: .apiKey(publicKey: "scripted-public", privateKey: privateKey))
            configuration.cacheDirectory = nil
            configuration.retryPolicy = .never
            return try AtlasClient(configuration: configuration)
        }
        let right = try client(privateKey: privateKey)
        #expect(try await right.listOrganizations().map(\.name) == ["Scripted"])
        #expect(try await right.listOrganizations().map(\.name) == ["Scripted"])
        #expect(server.requests.map { $0.headers["authorization"] == nil } == [true, false, false])
        let counts = server.requests.compactMap { $0.headers["authorization"].flatMap(DigestCredentials.init)?["nc"] }
        #expect(counts == ["00000001", "00000002"])

        let wrong = try client(privateKey: "ffffffff-0000-0000-0000-000000000000")
        let error = try #require(await atlasError { _ = try await wrong.listOrganizations() })
        #expect(error.status == 401)
        #expect(server.requests.count == 5, "the challenge and one refused answer")
        let sent = try #require(server.requests.last?.headers["authorization"].flatMap(DigestCredentials.init))
        let hash = try #require(sent["response"])
        for text in [error.description, String(reflecting: error), error.envelope?.detail ?? ""] {
            #expect(!text.contains(hash), "\(text)")
        }
        #expect(error.envelope?.detail?.contains("response=[redacted]") == true)
    }
}
