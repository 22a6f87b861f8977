#!/usr/bin/env bash
# The release build that ships: atlas-roles linked statically with the Swift runtime, the standard
# library and FoundationEssentials (so a host needs only glibc, libcurl4 and ncurses), without the
# EmbeddedSandbox trait, so it carries no server; atlas-roles-sandbox, the server that its --demo and
# `sandbox` run; and swift-argument-parser's generate-manual tool for the man page. Prints the
# directory holding the three.
#
# A scratch path of its own (.build-dist), since the static flags would otherwise rebuild the
# ordinary .build/release tree. --no-export-dynamic undoes the -export-dynamic that the static SDK's
# link arguments add: nothing loads code into this program, and exporting every symbol of the
# package kept 3 MB of symbol tables and whatever --gc-sections could otherwise drop. -z now binds
# every library call at start (with the default RELRO, the whole GOT then becomes read-only).
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
scratch=${DIST_SCRATCH:-.build-dist}
flags=(-c release --static-swift-stdlib --disable-default-traits --scratch-path "$scratch"
    -Xlinker --no-export-dynamic -Xlinker -z -Xlinker now ${DIST_LINK_FLAGS:-})

# SwiftPM reuses its cached build plan when no source changed, and prebuild commands (the VersionStamp
# plugin) run only when it plans: after a commit that touched no source the build kept the last
# commit's --version. Without the cached plan it plans again (seconds) and stamps this commit.
rm -f "$scratch"/*/release/description.json
"$swift" build "${flags[@]}" --product atlas-roles >&2
"$swift" build "${flags[@]}" --product atlas-roles-sandbox >&2
"$swift" build "${flags[@]}" --product generate-manual >&2
"$swift" build "${flags[@]}" --show-bin-path
