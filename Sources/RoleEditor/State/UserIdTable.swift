#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The row numbers of a ``UserStore``'s users by id: an open-addressing table hashed from the id
/// bytes, so finding a user costs no `String` per user and no dictionary of 100,000 keys.
///
/// The table holds row numbers only; the store compares the id bytes of a candidate row, since it
/// owns them. The slot count is a power of two and the table is kept at most half full.
struct UserIdTable: Sendable {
    /// Row numbers by id hash; `-1` is an empty slot.
    private var slots: [Int32] = []

    /// Slots in the table (0 before the first user).
    var slotCount: Int { slots.count }

    /// The row whose id is `id`: `hasId(row)` says whether a candidate row's id equals it.
    func row(ofId id: UnsafeBufferPointer<UInt8>, hasId: (Int) -> Bool) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(id)) & mask
        while true {
            let row = slots[slot]
            if row < 0 { return nil }
            if hasId(Int(row)) { return Int(row) }
            slot = (slot + 1) & mask
        }
    }

    /// Empties the table and sizes it for at least `minimumSlots` (1024 at the least); the rows must
    /// then be inserted again.
    mutating func reset(minimumSlots: Int) {
        var size = 1024
        while size < minimumSlots { size *= 2 }
        slots = Array(repeating: -1, count: size)
    }

    /// Adds `row`, whose id has the bytes `id`.
    mutating func insert(_ row: Int, id: UnsafeBufferPointer<UInt8>) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(id)) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(row)
    }

    /// FNV-1a over the id's bytes (ids are short; this is fast and spreads hex ids well).
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash ^ (hash >> 29)
    }
}
