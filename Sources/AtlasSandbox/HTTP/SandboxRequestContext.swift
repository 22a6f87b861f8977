import Hummingbird
import NIOCore

// NIOLinger is glibc's `struct linger`, which Clang attributes to NIO's Linux shim module; its members
// are visible only with that module imported (member import visibility is on for this target).
#if canImport(CNIOLinux)
    import CNIOLinux
#endif

/// The per-request context: Hummingbird's core storage plus the connection, which the reset fault
/// and the admin endpoint's loopback check need.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Whether the peer is on this machine (127.0.0.0/8 or ::1).
    var isLoopbackPeer: Bool {
        guard let address = channel.remoteAddress?.ipAddress else { return false }
        return address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    /// "2" for a request on an HTTP/2 stream, else "1.1". A stream's channel is a child of the
    /// connection's, itself a child of the listening socket's; an HTTP/1 connection is one level up.
    var httpVersion: String { channel.parent?.parent == nil ? "1.1" : "2" }

    /// The client's end of the TCP connection (`127.0.0.1:54321`); an HTTP/2 stream reports its
    /// connection's, so every stream of one connection has the same value.
    var connection: String {
        let connectionChannel = channel.parent?.parent == nil ? channel : (channel.parent ?? channel)
        guard let address = connectionChannel.remoteAddress else { return "" }
        return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
    }

    /// Closes the connection with a TCP reset (SO_LINGER 0), so the client sees no answer at all.
    func resetConnection() async {
        if let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(NIOLinger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close().get()
    }
}
