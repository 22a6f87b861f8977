/// Whatever carries out a front end's effects: the runtime's effect runner in the program, a serial
/// scheduler in tests. The pure core only names the duty (the screen is handed one, made elsewhere);
/// it never starts a task or touches a disk itself.
public protocol EffectRunning: AnyObject, Sendable {
    /// Starts every effect; the answers come back as actions through the channel the runner was made with.
    @discardableResult func run(_ effects: [Effect]) -> [Task<Void, Never>]
    /// Forwards the service's events (rate-limit waits, notices) as `.serviceEvent` actions.
    @discardableResult func forwardServiceEvents() -> Task<Void, Never>
    /// Cancels everything running (shutdown).
    func cancelAll()
    /// Returns once every effect started so far has finished.
    func waitUntilIdle() async
}
