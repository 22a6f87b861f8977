import CompressNIO
import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns Hummingbird requests into sandbox answers: admin endpoint, faults, then the API itself.
///
/// Routing is done here by hand rather than with Hummingbird's router because Atlas paths such as
/// `/users/{userId}:addRole` put a verb inside a path segment, which a segment router cannot match.
struct SandboxResponder: HTTPResponder {
    typealias Context = SandboxRequestContext

    let state: SandboxState
    /// `https` when serving TLS: the origin of the links the answers carry.
    var scheme = "http"

    /// Request bodies above this size are refused; the API's bodies are tiny.
    static let maximumBodySize = 1 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let bodyBuffer: ByteBuffer
        do {
            bodyBuffer = try await request.collectBody(upTo: Self.maximumBodySize)
        } catch {
            return Self.makeResponse(
                APIError(status: 413, errorCode: "REQUEST_TOO_LARGE", detail: "The request body is too large.")
                    .response(pretty: false), trickleBytesPerSecond: 0)
        }
        var apiRequest = Self.apiRequest(
            request, body: Array(buffer: bodyBuffer), scheme: scheme, httpVersion: context.httpVersion)
        apiRequest.connection = context.connection
        if apiRequest.path.hasPrefix("/__sandbox/") {
            guard context.isLoopbackPeer else {
                return Self.makeResponse(
                    SandboxState.adminError(403, "the admin endpoint answers loopback only"), trickleBytesPerSecond: 0)
            }
            return Self.makeResponse(await state.handleAdmin(apiRequest), trickleBytesPerSecond: 0)
        }
        guard apiRequest.path.hasPrefix("/api/") else {
            return Self.makeResponse(
                APIError(
                    status: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Cannot find resource \(apiRequest.path).",
                    parameters: [.string(apiRequest.path)]
                ).response(pretty: false), trickleBytesPerSecond: 0)
        }
        let received = Date()
        let draw = await state.drawFaults()
        if draw.delayMs > 0 {
            try await Task.sleep(for: .milliseconds(draw.delayMs))
        }
        if draw.reset {
            await state.record(
                SandboxJournalEntry(request: apiRequest, status: 0, authenticated: false, time: received))
            await context.resetConnection()
            // Nothing reaches the client: the connection is gone before Hummingbird writes this.
            return Response(status: .internalServerError)
        }
        var answer: APIResponse
        if let status = draw.serverErrorStatus {
            answer = Self.serverError(status, retryAfterSeconds: draw.retryAfterSeconds)
        } else if apiRequest.path.hasPrefix("/api/oauth/") {
            answer = await state.handleOAuth(apiRequest)
        } else if apiRequest.path.hasPrefix(Route.apiPrefix + "/") {
            answer = await state.handleAPI(apiRequest)
        } else {
            answer = APIError(
                status: 404, errorCode: "RESOURCE_NOT_FOUND", detail: "Cannot find resource \(apiRequest.path).",
                parameters: [.string(apiRequest.path)]
            ).response(pretty: false)
        }
        // Outside the actor: requests answered side by side are serialized side by side.
        answer.serializeBody()
        if answer.isSuccessfulJSON {
            if draw.truncate {
                answer.body = BodyFaults.truncated(answer.body)
            } else if draw.malformed {
                answer.body = BodyFaults.gatewayPage
            }
        }
        await state.record(
            SandboxJournalEntry(
                request: apiRequest, status: answer.status, authenticated: answer.authenticated, time: received))
        let trickle = answer.isSuccessfulJSON ? draw.trickleBytesPerSecond : 0
        if trickle == 0 { answer = Self.compressed(answer, acceptEncoding: apiRequest.header("accept-encoding")) }
        return Self.makeResponse(answer, trickleBytesPerSecond: trickle)
    }

    static func serverError(_ status: Int, retryAfterSeconds: Int?) -> APIResponse {
        if status == 503 {
            return APIError(
                status: 503, errorCode: "SERVICE_UNAVAILABLE",
                detail: "The service is temporarily unavailable. Please try again later.",
                headers: retryAfterSeconds.map { [("Retry-After", String($0))] } ?? []
            ).response(pretty: false)
        }
        return APIError(
            status: 500, errorCode: "UNEXPECTED_ERROR", detail: "Unexpected error."
        ).response(pretty: false)
    }

    static func apiRequest(_ request: Request, body: [UInt8], scheme: String, httpVersion: String) -> APIRequest {
        let rawPath = request.uri.path
        let path =
            "/"
            + rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            .map { percentDecode(String($0)) }.joined(separator: "/")
        let rawQuery = request.uri.query ?? ""
        let headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        let host = request.head.authority ?? "127.0.0.1"
        return APIRequest(
            method: request.method.rawValue, path: path, rawQuery: rawQuery,
            target: request.head.path ?? request.uri.string, query: QueryParameters(rawQuery: rawQuery),
            headers: headers, body: body, origin: "\(scheme)://\(host)", httpVersion: httpVersion)
    }

    /// Bodies this large or larger are gzipped for a client that accepts it; smaller ones gain nothing.
    static let compressionThreshold = 1024

    /// `answer` gzipped when the client accepts gzip, as Atlas compresses (`Vary: Accept-Encoding` on
    /// every API answer, compressed or not, so a cache keeps the two apart).
    static func compressed(_ answer: APIResponse, acceptEncoding: String?) -> APIResponse {
        var answer = answer
        answer.headers.append(("Vary", "Accept-Encoding"))
        let accepted = (acceptEncoding ?? "").lowercased().split(separator: ",").contains {
            let coding = $0.split(separator: ";").first?.trimmingWhitespace()
            return coding == "gzip" && !$0.filter { $0 != " " }.hasSuffix("q=0")
        }
        guard accepted, answer.body.count >= compressionThreshold else { return answer }
        var buffer = ByteBuffer(bytes: answer.body)
        // The fastest level (nginx's default too): at zlib's default a 500-user page took more CPU
        // to compress than to build, and a listing's 20 pages, asked for at once, queued on the
        // sandbox's shared cores where Atlas would serve them side by side.
        guard
            let gzipped = try? buffer.compress(with: .gzip(configuration: .init(compressionLevel: .fastestCompression)))
        else { return answer }
        answer.body = Array(buffer: gzipped)
        answer.headers.append(("Content-Encoding", "gzip"))
        return answer
    }

    static func makeResponse(_ answer: APIResponse, trickleBytesPerSecond: Int) -> Response {
        var fields = HTTPFields()
        for header in answer.headers where header.name.lowercased() != "content-length" {
            // HTTPField is reached through HTTPFields, which Hummingbird re-exports.
            if let name = HTTPFields.Element.Name(header.name) {
                fields.append(HTTPFields.Element(name: name, value: header.value))
            }
        }
        let status = HTTPResponse.Status(code: answer.status)
        let bytes = answer.body
        guard trickleBytesPerSecond > 0, !bytes.isEmpty else {
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let chunkSize = max(1, trickleBytesPerSecond / 10)
        let pause = Duration.milliseconds(max(1, chunkSize * 1000 / trickleBytesPerSecond))
        let body = ResponseBody(contentLength: bytes.count) { writer in
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + chunkSize)
                try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
                if offset < bytes.count { try await Task.sleep(for: pause) }
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: fields, body: body)
    }
}
