import AtlasAPI
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Numbers that name one version of a changing value, unique in the process: a value that changes
/// takes a new one, so "same number" means "same contents" even across copies and reloads.
enum Revision {
    private static let counter = Atomic<UInt64>(0)

    static func next() -> UInt64 { counter.add(1, ordering: .relaxed).newValue }
}

/// A value derived from state, computed on first read and kept until the key it was computed for
/// changes. The screen reads derived values (sorted edits, rule findings, checklist counts) on every
/// frame, and over tens of thousands of edits computing them each time would cost more than the
/// rest of a keystroke (`Benchmarks/RESULTS.md` has the keystroke figures).
///
/// A class, so a non-mutating getter can fill it; locked, because the state holding it is `Sendable`.
/// Copies of that state share the box, which is why keys are ``Revision`` numbers: a copy that
/// changed has a new key and never reads the other's value. The value is computed outside the lock,
/// so a computation may read other kept values. Not part of its owner's value: every box is equal to
/// every other, so `Hashable` state stays synthesized.
final class KeptValue<Key: Equatable & Sendable, Value: Sendable>: Hashable, @unchecked Sendable {
    private let kept = LockedValue<(key: Key, value: Value)?>(nil)

    init() {}

    func value(for key: Key, _ compute: () -> Value) -> Value {
        if let kept = kept.withLock({ $0 }), kept.key == key { return kept.value }
        let value = compute()
        kept.withLock { $0 = (key, value) }
        return value
    }

    static func == (lhs: KeptValue, rhs: KeptValue) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

/// Revisions of the two inputs most derived values depend on.
struct EditsAndUsers: Hashable, Sendable {
    var edits: UInt64
    var users: UInt64
}
