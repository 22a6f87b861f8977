#!/usr/bin/env python3
"""What each part of a linked atlas-roles costs, from the linker's map (`-Xlinker -Map=FILE`, gold's format).

Counts the bytes of allocated input sections (code, constants, data, unwind tables, Swift metadata) by the
archive or module they came from, grouped into the parts the packaging note compares; what `strip` removes
(symbols, debug info) is not counted, so the total is close to the stripped binary. Linker-made tables
(.dynsym, .dynstr, .rela.dyn, .gnu.hash) are shown apart.

    packaging/size-report.py BUILD.map [--modules]
"""

import re
import sys
from collections import defaultdict

# Output sections present at run time but made by the linker rather than taken from an input file.
LINKER_TABLES = {".dynsym", ".dynstr", ".gnu.hash", ".hash", ".gnu.version", ".gnu.version_r", ".rela.dyn",
                 ".rela.plt", ".plt", ".got", ".got.plt", ".dynamic", ".interp"}
# Unwind tables, which gold merges itself (so no input file is named); they follow the code's size.
UNWIND_TABLES = {".eh_frame", ".eh_frame_hdr"}
NOT_LOADED = re.compile(r"^\.(comment|debug|note\.GNU-stack|symtab|strtab|shstrtab|gnu_debuglink|stab)")

PARTS = [
    ("ICU data", lambda f: "icu_packaged_data" in f),
    ("Foundation, CoreFoundation, ICU code", lambda f: re.search(
        r"lib(Foundation|CoreFoundation|FoundationInternationalization|_FoundationICU|FoundationNetworking|"
        r"_CFURLSessionInterface|FoundationXML|_CFXMLInterface)\.a", f)),
    ("FoundationEssentials", lambda f: re.search(r"lib(FoundationEssentials|_FoundationCShims|"
                                                 r"_FoundationCollections)\.a", f)),
    ("Swift runtime, stdlib, Concurrency, Dispatch", lambda f: "/swift_static/" in f),
    ("sandbox: NIO, Hummingbird, swift-crypto/BoringSSL and their dependencies", lambda f: re.search(
        r"/(NIO\w*|_NIO\w*|CNIO\w*|ConcurrencyHelpers|Hummingbird\w*|Crypto\w*|_Crypto\w*|CCrypto\w*|Atomics|_AtomicsShims|"
        r"ServiceLifecycle|UnixSignals|AsyncAlgorithms|Tracing|Instrumentation|ServiceContextModule|Metrics|"
        r"CoreMetrics|HTTPTypes|DequeModule|OrderedCollections|InternalCollectionsUtilities|ContainersPreview|"
        r"BasicContainers|Configuration|SystemPackage|CSystem|SwiftASN1|X509|_NIOFileSystem|"
        r"_TestingInternals|AtlasSandbox)\.build/", f)),
    ("TOMLKit and toml++", lambda f: re.search(r"/(TOMLKit|CTOML)\.build/", f)),
    ("ArgumentParser, swift-log", lambda f: re.search(r"/(ArgumentParser\w*|Logging)\.build/", f)),
    ("atlas-roles code", lambda f: re.search(r"/(atlas_roles|atlas-roles|AtlasAPI|RoleEditor|TerminalUI|BuildInfo|"
                                             r"AtlasRolesDemo|atlas_roles_demo|atlas-roles-demo)\.build/", f)),
    ("C runtime (crt, libgcc, libstdc++ glue)", lambda f: f.startswith(("/lib/", "/usr/lib/"))),
]


def part_of(path: str) -> str:
    for name, matches in PARTS:
        if matches(path):
            return name
    return "other: " + path


def module_of(path: str) -> str:
    built = re.search(r"/([^/]+)\.build/", path)
    if built:
        return built.group(1)
    archive = re.search(r"/([^/(]+\.a)\(", path)
    return archive.group(1) if archive else path


def main() -> None:
    path = sys.argv[1]
    by_modules = "--modules" in sys.argv
    sizes: dict[str, int] = defaultdict(int)
    tables = 0
    unwind = 0
    output_section = None
    pending_input_section = None
    in_memory_map = False
    entry = re.compile(r"^\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(\S.*)$")
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not in_memory_map:
                in_memory_map = line.startswith(" Memory map") or line.startswith("Memory map")
                continue
            if line and not line.startswith(" "):
                fields = line.split()
                output_section = fields[0]
                if output_section in LINKER_TABLES and len(fields) >= 3:
                    tables += int(fields[2], 16)
                if output_section in UNWIND_TABLES and len(fields) >= 3:
                    unwind += int(fields[2], 16)
                continue
            if (output_section is None or output_section in LINKER_TABLES or output_section in UNWIND_TABLES
                    or NOT_LOADED.match(output_section)):
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("*") or stripped.startswith("0x") is False and " 0x" not in line:
                pending_input_section = stripped or None
                continue
            parts = line.split()
            if parts[0].startswith("0x"):
                match = entry.match(line)
                if not match or pending_input_section is None:
                    continue
                section, (size, file) = pending_input_section, (match.group(2), match.group(3))
                pending_input_section = None
            else:
                if len(parts) < 4 or not parts[1].startswith("0x") or not parts[2].startswith("0x"):
                    pending_input_section = parts[0] if len(parts) == 1 else None
                    continue
                section, size, file = parts[0], parts[2], " ".join(parts[3:])
            if NOT_LOADED.match(section) or output_section == ".bss" or section.startswith(".tbss"):
                continue
            sizes[module_of(file) if by_modules else part_of(file)] += int(size, 16)
    total = sum(sizes.values()) + tables + unwind
    print(f"{'part':<72} {'MB':>7} {'share':>6}")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        if by_modules and size < 100_000:
            continue
        print(f"{name[:72]:<72} {size / 1e6:7.2f} {100 * size / total:5.1f}%")
    print(f"{'linker tables (.dynsym/.dynstr/.rela.dyn/.gnu.hash, ...)':<72} {tables / 1e6:7.2f} "
          f"{100 * tables / total:5.1f}%")
    print(f"{'unwind tables (.eh_frame, .eh_frame_hdr), all parts':<72} {unwind / 1e6:7.2f} {100 * unwind / total:5.1f}%")
    print(f"{'total (loaded sections, not .bss)':<72} {total / 1e6:7.2f}")


if __name__ == "__main__":
    main()
