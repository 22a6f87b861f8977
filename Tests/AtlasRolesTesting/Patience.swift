import Foundation

/// How much longer than usual tests wait, from `ATLAS_ROLES_TEST_PATIENCE` (a factor, at least 1).
///
/// A sanitizer build runs many times slower (ThreadSanitizer most), and a loaded machine slows it
/// further: a request that takes milliseconds can take tens of seconds there. `make test-sanitizers`
/// sets the factor, and every guard against a hang that the tests give — `eventually` deadlines, the
/// client's connect and request timeouts, the lifetimes of nonces and tokens a test waits out, the
/// refill time of a rate limit a test must find empty — is multiplied by it. Only waits grow: what a
/// test checks stays the same.
public enum Patience {
    public static let factor: Double = {
        guard let text = ProcessInfo.processInfo.environment["ATLAS_ROLES_TEST_PATIENCE"],
            let value = Double(text), value.isFinite, value >= 1
        else { return 1 }
        return value
    }()

    /// `duration` stretched by ``factor``.
    public static func scaled(_ duration: Duration) -> Duration { duration * factor }

    /// `seconds` stretched by ``factor``.
    public static func scaled(_ seconds: Double) -> Double { seconds * factor }

    /// `seconds` stretched by ``factor``, for configuration fields counted in whole seconds.
    public static func scaled(_ seconds: Int) -> Int { Int((Double(seconds) * factor).rounded(.up)) }
}

/// The variables that configure the sanitizers (`TSAN_OPTIONS`, `LSAN_OPTIONS`, …), to hand on to a
/// program a test starts with an environment of its own, so that it is checked as the test process is
/// (a LeakSanitizer report would change its exit status; a suppression file must reach it).
public var sanitizerEnvironment: [String: String] {
    ProcessInfo.processInfo.environment.filter { $0.key.hasSuffix("SAN_OPTIONS") }
}
