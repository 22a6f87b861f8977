import AtlasRolesFuzzing

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Built twice. With `-D FUZZING`, AddressSanitizer and coverage (`make fuzz`), libFuzzer drives it
// and calls `LLVMFuzzerTestOneInput` with each input it makes; the target comes from
// `ATLAS_ROLES_FUZZ_TARGET`. Built plainly, it replays files (a crash found by the fuzzer, or a corpus)
// through a target: `atlas-roles-fuzz <target> <file or directory>…`.

#if FUZZING
    import CProcess

    private let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["ATLAS_ROLES_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            // FoundationEssentials has no FileHandle: one write(2) of the line.
            let message = Array("set ATLAS_ROLES_FUZZ_TARGET to one of: \(names)\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            exit(2)
        }
        return target
    }()

    /// The executable's main as SwiftPM names it; it hands the arguments to libFuzzer.
    @_cdecl("atlas_roles_fuzz_main")
    public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        var count = argc
        var arguments = argv
        _ = selected
        return LLVMFuzzerRunDriver(&count, &arguments) { bytes, size in
            guard let bytes else { return 0 }
            selected.run(Data(bytes: bytes, count: size))
            return 0
        }
    }
#else
    @main
    struct FuzzReplay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                print("usage: atlas-roles-fuzz \(names) FILE|DIRECTORY…")
                exit(2)
            }
            var count = 0
            for path in arguments.dropFirst() {
                for file in files(at: path) {
                    guard let data = FileManager.default.contents(atPath: file) else { continue }
                    target.run(data)
                    count += 1
                }
            }
            print("\(name): \(count) inputs replayed")
        }

        static func files(at path: String) -> [String] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [path] }
            return names.sorted().map { path + "/" + $0 }
        }
    }
#endif
