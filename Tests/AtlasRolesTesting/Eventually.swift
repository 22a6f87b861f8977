import Foundation

/// Polls `condition` until it holds or `deadline` passes; the one way tests wait for something that
/// happens in the background (no fixed sleeps). The deadline is only a guard against a hang: it is
/// never what a test asserts, so a slow machine makes a test slower, not red. It is stretched by
/// ``Patience/factor`` (a sanitizer build).
public func eventually(
    deadline: Duration = .seconds(30), every interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: Patience.scaled(deadline))
    while clock.now < end {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
