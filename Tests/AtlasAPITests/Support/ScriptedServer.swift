import AtlasRolesTesting
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on loopback whose answers a test scripts, for server behaviour the
/// sandbox does not offer (a server that refuses 2025-02-19, lists without `totalCount`).
///
/// One request per connection (`Connection: close`); the handler sees the method, the path with its
/// query and the headers, and returns status, headers and body.
final class ScriptedServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        var headers: [String: String]
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: String
        /// Sent instead of `body` when set: bytes that are not text (a gzip body).
        var bytes: [UInt8]? = nil

        static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }
    }

    let port: Int
    private let socketFD: Int32
    private let handler: @Sendable (Request) -> Response
    private let received = LockedBox<[Request]>([])
    private let thread: Thread

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [Request] { received.value }

    init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        socketFD = fd
        let received = self.received
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                Self.serve(client, handler: handler, received: received)
            }
        }
        thread.start()
    }

    /// Closes the listening socket; the accept loop ends with it.
    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    private static func serve(_ client: Int32, handler: (Request) -> Response, received: LockedBox<[Request]>) {
        defer { close(client) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var data = [UInt8]()
        while !data.containsHeaderEnd {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { return }
            data += buffer[0..<count]
        }
        let head = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers)
        received.mutate { $0.append(request) }
        let response = handler(request)
        let body = response.bytes ?? Array(response.body.utf8)
        var text = "HTTP/1.1 \(response.status) Scripted\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        let bytes = Array((text + "\r\n").utf8) + body
        // A client that stops reading (a refused body) closes the socket: the write then fails, which
        // is the point, not a crash (SIGPIPE is ignored by the test process's writes through send).
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for index in 0...(count - 4)
        where self[index] == 13 && self[index + 1] == 10 && self[index + 2] == 13 && self[index + 3] == 10 {
            return true
        }
        return false
    }
}
