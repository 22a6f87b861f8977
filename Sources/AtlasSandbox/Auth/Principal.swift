/// Who a request was authenticated as, and so what it may do.
enum Principal: Sendable, Equatable {
    /// The owner API key or the service account: Organization Owner everywhere.
    case owner
    /// The member-only API key: reads only.
    case memberOnly
}
