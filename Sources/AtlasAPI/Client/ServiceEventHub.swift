/// Delivers ``ServiceEvent``s to the one consumer that asked for them last.
///
/// Events that happen before anyone listens (a deprecation notice on the very first call) are kept,
/// up to a small limit, and handed to the first consumer, so the status line never misses them.
final class ServiceEventHub: Sendable {
    private struct State {
        var continuation: AsyncStream<ServiceEvent>.Continuation?
        var backlog: [ServiceEvent] = []
    }

    private static let backlogLimit = 64
    private let state = LockedValue(State())

    func stream() -> AsyncStream<ServiceEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ServiceEvent.self, bufferingPolicy: .bufferingNewest(256))
        let (previous, backlog) = state.withLock { state in
            let previous = state.continuation
            let backlog = state.backlog
            state.continuation = continuation
            state.backlog = []
            return (previous, backlog)
        }
        previous?.finish()
        for event in backlog { continuation.yield(event) }
        return stream
    }

    func emit(_ event: ServiceEvent) {
        let continuation = state.withLock { state -> AsyncStream<ServiceEvent>.Continuation? in
            if state.continuation == nil {
                if state.backlog.count < Self.backlogLimit { state.backlog.append(event) }
            }
            return state.continuation
        }
        continuation?.yield(event)
    }

    func finish() {
        state.withLock { $0.continuation }?.finish()
    }
}
