#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system's words for why a file operation failed ("No such file or directory", "Permission
/// denied"). FoundationEssentials' errors carry the POSIX error underneath but print as a raw
/// `CocoaError(...)` dump; `localizedDescription`, which would word them, is only in full Foundation.
func fileErrorText(_ error: any Error) -> String {
    if let cocoa = error as? CocoaError, let posix = cocoa.underlying as? POSIXError {
        return String(cString: strerror(posix.code.rawValue))
    }
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    return "\(error)"
}
