#!/usr/bin/env bash
# make dist: from a clean checkout, the two downloads an admin can use without a Swift toolchain:
#   dist/atlas-roles-<version>-linux-<arch>.tar.gz   bin/, share/ (man page, completions), README, LICENSE
#   dist/atlas-roles_<version>_<arch>.deb            for apt install ./atlas-roles_*.deb
# then lintian on the .deb (its remaining tags are explained in packaging/lintian-notes.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
version=$(scripts/version.sh)
arch=$(uname -m)
deb_arch=$(dpkg --print-architecture)

bin_dir=$(packaging/build-static.sh)

name="atlas-roles-$version-linux-$arch"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
packaging/install-tree.sh "$bin_dir" "$stage/$name"
install -m 0644 README.md LICENSE "$stage/$name/"
install -d -m 0755 "$stage/$name/share/doc/atlas-roles"
install -m 0644 packaging/debian/copyright "$stage/$name/share/doc/atlas-roles/copyright"

mkdir -p dist
rm -f dist/atlas-roles-*-linux-"$arch".tar.gz dist/atlas-roles_*_"$deb_arch".deb
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -C "$stage" -cf - "$name" |
    gzip -9n > "dist/$name.tar.gz"
deb=$(packaging/build-deb.sh "$bin_dir" "dist/atlas-roles_$(scripts/version.sh --deb)-1_$deb_arch.deb")

if command -v lintian >/dev/null; then
    lintian --info --fail-on error,warning "$deb"
fi
ls -l "dist/$name.tar.gz" "$deb"
