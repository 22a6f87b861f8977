#!/bin/sh
# Prints this checkout's version, the one `--version`, the tarball and the .deb carry:
#   - `git describe --tags --dirty` when a tag reaches HEAD (a leading "v" dropped): 0.2.0, 0.2.0-3-g1a2b3c4;
#   - before the first tag, the VERSION file plus the commit: 0.1.0-g1a2b3c4 (and -dirty);
#   - outside a git checkout (a source tarball), the VERSION file alone.
# `--deb` prints the same version in Debian's syntax (0.1.0~g1a2b3c4 sorts before the 0.1.0 release,
# 0.2.0+3.g1a2b3c4 after 0.2.0). `--swift FILE` writes it as a Swift constant, and only when it changed,
# so an unchanged version recompiles nothing (the VersionStamp build plugin runs this before every build).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
base=$(tr -d ' \n' < "$root/VERSION")

version=$base
if command -v git >/dev/null 2>&1 && git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    if described=$(git -C "$root" describe --tags --dirty --match 'v[0-9]*' --match '[0-9]*' 2>/dev/null); then
        version=${described#v}
    elif commit=$(git -C "$root" describe --always --dirty 2>/dev/null); then
        version="$base-g$commit"
    fi
fi

case "${1:-}" in
    "")
        echo "$version" ;;
    --deb)
        # 0.1.0-g1a2b3c4-dirty → 0.1.0~g1a2b3c4.dirty; 0.2.0-3-g1a2b3c4 → 0.2.0+3.g1a2b3c4.
        case "$version" in
            "$base"-g*) rest=${version#"$base"-}; echo "$base~$(echo "$rest" | tr '-' '.')" ;;
            *-*) head=${version%%-*}; rest=${version#*-}; echo "$head+$(echo "$rest" | tr '-' '.')" ;;
            *) echo "$version" ;;
        esac ;;
    --swift)
        file=${2:?--swift needs a file}
        mkdir -p "$(dirname "$file")"
        content=$(printf '%s\n%s\n%s\n' \
            '// Written by scripts/version.sh before every build; not in git.' \
            'enum BuildStamp {' \
            "    static let version = \"$version\"" )
        content="$content
}"
        if [ ! -f "$file" ] || [ "$(cat "$file")" != "$content" ]; then
            printf '%s\n' "$content" > "$file.tmp"
            mv "$file.tmp" "$file"
        fi ;;
    *)
        echo "usage: $0 [--deb | --swift FILE]" >&2; exit 2 ;;
esac
