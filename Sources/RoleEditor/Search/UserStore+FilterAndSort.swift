#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The one meaning of a filter and a sort over loaded users: the screen's list and `atlas-roles list`
/// both select and order rows here.
extension UserStore {
    /// Every user matching `query`, in `order`: the rows the screen shows for that filter and sort.
    public func sortedRows(matching query: FilterQuery, in order: SortOrder) -> [Int] {
        var rows = self.rows(Array(indices), matching: query)
        rows.sort { precedes($0, $1, in: order) }
        return rows
    }

    /// The rows of `candidates` (kept in their order) whose users match `query`: O(candidates).
    ///
    /// The text terms are searched in the folded search text with `memchr`/`memcmp`; the `role:` and
    /// `status:` terms are decided once per query as bit masks (``NonTextTermMasks``), except for a user
    /// holding a role or status this version does not know, who gets the reference matcher.
    public func rows(_ candidates: [Int], matching query: FilterQuery) -> [Int] {
        if query.isEmpty { return candidates }
        let needles = query.terms.compactMap { term -> [UInt8]? in
            if case .text(let needle) = term { return needle }
            return nil
        }
        let otherTerms = needles.count != query.terms.count
        let masks = NonTextTermMasks(query)
        // One contiguous needle buffer with offsets, so the loop below holds no array references.
        let needleBytes = needles.flatMap { $0 }
        var needleBounds: [Int] = [0]
        for needle in needles { needleBounds.append(needleBounds.last! + needle.count) }
        var result: [Int] = []
        result.reserveCapacity(candidates.count)
        searchText.withUnsafeBufferPointer { text in
            needleBytes.withUnsafeBufferPointer { needleBuffer in
                searchStart.withUnsafeBufferPointer { starts in
                    searchEnd.withUnsafeBufferPointer { ends in
                        for index in candidates {
                            let hay = UnsafeBufferPointer(rebasing: text[Int(starts[index])..<Int(ends[index])])
                            var matched = true
                            for n in 0..<needles.count {
                                let needle = UnsafeBufferPointer(
                                    rebasing: needleBuffer[needleBounds[n]..<needleBounds[n + 1]])
                                if !TextFolding.contains(hay, needle) {
                                    matched = false
                                    break
                                }
                            }
                            if matched && otherTerms {
                                if needsReferenceMatch(index) {
                                    matched = UserSearchKeys.matchesNonText(
                                        query, roles: orgRoles(at: index), status: status(at: index))
                                } else {
                                    matched = masks.matches(roleBits: roleBits[index], statusBit: statusBit(at: index))
                                }
                            }
                            if matched { result.append(index) }
                        }
                    }
                }
            }
        }
        return result
    }

    /// True when user `a` comes before user `b` in `order`.
    ///
    /// Ties fall back to the folded email (the same folding as the filter: "Élodie" sorts as
    /// "elodie"), then to the id, so the order is total and does not depend on the order in which
    /// pages arrived.
    public func precedes(_ a: Int, _ b: Int, in order: SortOrder) -> Bool {
        switch order {
        case .email:
            break
        case .name:
            let l = nameRange(a)
            let r = nameRange(b)
            if l.isEmpty != r.isEmpty { return !l.isEmpty }
            let order = Self.compareBytes(searchText, l, r)
            if order != 0 { return order < 0 }
        case .lastLogin:
            let l = lastAuthKey(at: a)
            let r = lastAuthKey(at: b)
            if l != r { return l > r }
            // Members who never logged in before invitations, which cannot have.
            let activeL = isActive(a)
            if activeL != isActive(b) { return activeL }
        case .roles:
            let l = roleRank(at: a)
            let r = roleRank(at: b)
            if l != r { return l < r }
        }
        let order = Self.compareBytes(searchText, emailRange(a), emailRange(b))
        if order != 0 { return order < 0 }
        return Self.compareBytes(records, idRange(at: a), idRange(at: b)) < 0
    }

    /// The folded email of user `index` in ``searchText``.
    private func emailRange(_ index: Int) -> Range<Int> {
        Int(searchStart[index])..<Int(emailEnd[index])
    }

    /// The folded display name of user `index` in ``searchText`` (empty when the user has none).
    private func nameRange(_ index: Int) -> Range<Int> {
        Int(emailEnd[index]) + 1..<Int(searchEnd[index])
    }

    /// Byte-wise three-way comparison of two ranges of `bytes` (memcmp, then length).
    private static func compareBytes(_ bytes: [UInt8], _ a: Range<Int>, _ b: Range<Int>) -> Int {
        let common = Swift.min(a.count, b.count)
        let order =
            common == 0
            ? 0
            : bytes.withUnsafeBufferPointer { bytes in
                Int(memcmp(bytes.baseAddress! + a.lowerBound, bytes.baseAddress! + b.lowerBound, common))
            }
        return order != 0 ? order : a.count - b.count
    }
}
