/// An Atlas organization (`GET /orgs`, `GET /orgs/{orgId}`).
public struct Organization: Identifiable, Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var isDeleted: Bool

    public init(id: String, name: String, isDeleted: Bool = false) {
        self.id = id
        self.name = name
        self.isDeleted = isDeleted
    }
}

/// A team of an organization (`GET /orgs/{orgId}/teams`).
public struct Team: Identifiable, Hashable, Sendable, Codable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
