/// Progress of loading an organization's users, page by page.
public struct LoadProgress: Hashable, Sendable {
    /// Pages are still arriving.
    public var isLoading: Bool = false
    /// Every page has arrived: rules that count over the whole organization can be decided.
    public var isComplete: Bool = false
    /// Users delivered so far.
    public var loaded: Int = 0
    /// The server's estimate of the total, when it gave one.
    public var total: Int?
    /// Why the last load stopped, kept for the header.
    public var error: AtlasError?

    public init() {}
}
