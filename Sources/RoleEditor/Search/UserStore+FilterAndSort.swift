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
    /// Text words are searched in the folded search text with `memchr`/`memcmp`; roles and statuses are
    /// bit masks decided once per query; dates are compared as seconds. The answers are those of
    /// ``FilterQuery/matches(_:)``. A query with an error matches nobody (the screen keeps its last rows).
    public func rows(_ candidates: [Int], matching query: FilterQuery) -> [Int] {
        if query.error != nil { return [] }
        if query.isEmpty { return candidates }
        let plan = MatchPlan(query)
        var result: [Int] = []
        result.reserveCapacity(candidates.count)
        searchText.withUnsafeBufferPointer { text in
            plan.wordBytes.withUnsafeBufferPointer { wordBuffer in
                searchStart.withUnsafeBufferPointer { starts in
                    searchEnd.withUnsafeBufferPointer { ends in
                        for index in candidates {
                            let hay = UnsafeBufferPointer(rebasing: text[Int(starts[index])..<Int(ends[index])])
                            var matched = true
                            for term in plan.terms {
                                let hit: Bool
                                switch term.kind {
                                case .text:
                                    if roleBits[index] & term.mask != 0 {
                                        hit = true
                                    } else {
                                        var found = false
                                        for word in term.words {
                                            let needle = UnsafeBufferPointer(
                                                rebasing: wordBuffer[plan.wordBounds[word]..<plan.wordBounds[word + 1]])
                                            if TextFolding.contains(hay, needle) {
                                                found = true
                                                break
                                            }
                                        }
                                        hit = found
                                    }
                                case .roles: hit = roleBits[index] & term.mask != 0
                                case .statuses: hit = statusBit(at: index) & term.mask != 0
                                case .lastLogin: hit = term.ranges.contains { $0.contains(lastAuthSeconds(at: index)) }
                                case .created: hit = term.ranges.contains { $0.contains(createdSeconds(at: index)) }
                                }
                                if hit == term.isNegated {
                                    matched = false
                                    break
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

/// A query laid out for the filter's loop: every word in one contiguous buffer with offsets, so the
/// loop over 100,000 users holds no nested arrays.
private struct MatchPlan {
    enum Kind { case text, roles, statuses, lastLogin, created }

    struct Term {
        var kind: Kind
        var isNegated: Bool
        var mask: UInt8 = 0
        /// Indices into ``MatchPlan/wordBounds``.
        var words: Range<Int> = 0..<0
        var ranges: [FilterQuery.DateRange] = []
    }

    var terms: [Term] = []
    var wordBytes: [UInt8] = []
    /// Word `i` is `wordBytes[wordBounds[i]..<wordBounds[i + 1]]`.
    var wordBounds: [Int] = [0]

    init(_ query: FilterQuery) {
        for term in query.terms {
            let negated = term.isNegated
            switch term.condition {
            case .text(let words, let roles):
                let first = wordBounds.count - 1
                for word in words {
                    wordBytes += word
                    wordBounds.append(wordBytes.count)
                }
                terms.append(Term(kind: .text, isNegated: negated, mask: roles, words: first..<wordBounds.count - 1))
            case .roles(let mask): terms.append(Term(kind: .roles, isNegated: negated, mask: mask))
            case .statuses(let mask): terms.append(Term(kind: .statuses, isNegated: negated, mask: mask))
            case .lastLogin(let ranges): terms.append(Term(kind: .lastLogin, isNegated: negated, ranges: ranges))
            case .created(let ranges): terms.append(Term(kind: .created, isNegated: negated, ranges: ranges))
            }
        }
    }
}
