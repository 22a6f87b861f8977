import Foundation

/// A real forward proxy (Debian's `tinyproxy`) on loopback, for the proxy tests.
///
/// It forwards plain http and tunnels https with CONNECT, optionally demanding Basic credentials
/// (407 without them). Its log names every request it carried, which is how a test proves a call
/// went through it rather than straight to the sandbox.
public final class TinyProxy: @unchecked Sendable {  // Immutable after init; Process is only terminated.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// `http://127.0.0.1:<port>`, with no credentials.
    public let url: String
    public let port: Int
    private let directory: URL
    private let process: Process

    /// Starts tinyproxy; with `credentials` it answers 407 to any request without them.
    public init(credentials: (user: String, password: String)? = nil) async throws {
        guard
            let executable = ["/usr/bin/tinyproxy", "/usr/sbin/tinyproxy"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            throw Unavailable(description: "tinyproxy is not installed (scripts/install-deps.sh installs it)")
        }
        directory = temporaryDirectory("atlas-roles-proxy")
        var lastError: (any Error)?
        // A free port is picked by binding port 0 and closing it; another process may take it in
        // between, so a start that does not come up is tried again on a new port.
        for _ in 0..<5 {
            let port = try Self.freePort()
            var configuration = """
                Port \(port)
                Listen 127.0.0.1
                Timeout 30
                MaxClients 200
                LogFile "\(directory.path)/tinyproxy.log"
                LogLevel Connect

                """
            if let credentials { configuration += "BasicAuth \(credentials.user) \(credentials.password)\n" }
            let configurationPath = directory.appendingPathComponent("tinyproxy.conf")
            try Data(configuration.utf8).write(to: configurationPath)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-d", "-c", configurationPath.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let listening = await eventually(deadline: .seconds(10)) {
                process.isRunning && Self.accepts(port: port)
            }
            if listening {
                self.process = process
                self.port = port
                self.url = "http://127.0.0.1:\(port)"
                return
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            lastError = Unavailable(description: "tinyproxy did not listen on port \(port)")
        }
        throw lastError ?? Unavailable(description: "tinyproxy did not start")
    }

    /// The proxy URL with `user:password@` in it, as a user puts it in `HTTPS_PROXY`.
    public func url(user: String, password: String) -> String {
        "http://\(user):\(password)@127.0.0.1:\(port)"
    }

    /// The requests the proxy carried, as its log names them: `CONNECT 127.0.0.1:4321` or
    /// `GET http://127.0.0.1:4321/...`.
    public func requests() -> [String] {
        let log = (try? String(contentsOf: directory.appendingPathComponent("tinyproxy.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "): ", options: .backwards), line.contains("Request (file descriptor")
            else { return nil }
            return String(line[range.upperBound...]).replacingOccurrences(of: " HTTP/1.1", with: "")
        }
    }

    public func stop() {
        // tinyproxy takes SIGTERM as "finish when idle", which can be never while a client keeps a
        // connection open; the test is over, so it is killed outright.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func freePort() throws -> Int {
        let socket = makeTCPSocket()
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw Unavailable(description: "no free port on loopback") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let socket = makeTCPSocket()
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
    private func makeTCPSocket() -> Int32 { socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0) }
#else
    import Darwin
    private func makeTCPSocket() -> Int32 { socket(AF_INET, SOCK_STREAM, 0) }
#endif
