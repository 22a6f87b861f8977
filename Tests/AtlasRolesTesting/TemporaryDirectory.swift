import Foundation

/// A new, empty directory under the system's temporary directory (0700), for one test to own and remove.
public func temporaryDirectory(_ prefix: String = "atlas-roles-test") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(
        at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return url
}
