/// Atlas's ids (organizations, users, teams, projects): 24 lowercase hex digits, `^[a-f0-9]{24}$`.
///
/// An id is the only text from the wire, a draft, the journal or the command line that becomes part of
/// a request's path; a server that answers `../../groups/<id>/x` as a user id must not steer a signed
/// write elsewhere. So ids are checked where they arrive, and every path is checked again before it
/// is sent.
public enum AtlasID {
    /// True for 24 lowercase hex digits, the only form Atlas writes. One form everywhere (wire, draft,
    /// journal, command line) keeps look-ups exact: an id typed in uppercase would name no loaded user,
    /// so it is refused where it is typed, with a message that says lowercase.
    public static func isValid(_ text: String) -> Bool { isValid(utf8: text.utf8) }

    /// ``isValid(_:)`` of the text these bytes spell.
    static func isValid(utf8: some Collection<UInt8>) -> Bool {
        utf8.count == 24 && utf8.allSatisfy { byte in (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) }
    }

    /// True when every segment of `path` (an API path such as `/orgs/<id>/users/<id>:addRole`) is made
    /// of letters, digits, `-`, `_`, `.` and `:` and none is `.` or `..`: nothing a URL parser or libcurl
    /// would normalise, decode or cut.
    public static func isSafePath(_ path: String) -> Bool {
        guard path.hasPrefix("/") else { return false }
        for segment in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            if segment.isEmpty { return false }
            if segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) { return false }
            let allowed = segment.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: ":")
            }
            if !allowed { return false }
        }
        return true
    }
}

extension KeyedDecodingContainer {
    /// An id from the wire, refused (as a malformed body) unless it is 24 hex digits: it will become
    /// part of a request path.
    func decodeAtlasID(forKey key: Key) throws -> String {
        let id = try decode(String.self, forKey: key)
        guard AtlasID.isValid(id) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "an id that is not 24 hex digits: \(SafeText.sanitized(String(id.prefix(80))))")
        }
        return id
    }
}
