import AtlasRolesTesting
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A bare TCP exchange, to see exactly what the server put on the wire (or that it put nothing).
enum RawSocket {
    struct Reply {
        let bytes: [UInt8]
        /// errno of the failed read, 0 after an orderly end of stream.
        let error: Int32
    }

    /// Runs the blocking exchange on its own thread: blocking a cooperative-pool thread (two on this
    /// machine) could starve the very server task that has to answer.
    static func exchange(port: Int, request: String) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try blockingExchange(port: port, request: request) })
            }
            thread.start()
        }
    }

    private static func blockingExchange(port: Int, request: String) throws -> Reply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: Patience.scaled(10), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else {
                return Reply(bytes: received, error: count == 0 ? 0 : errno)
            }
        }
    }
}
