#!/usr/bin/env bash
# dist/atlas-roles_<version>_<arch>.deb from the static build: the binary in /usr/bin, the demo's
# server in /usr/lib/atlas-roles, atlas-roles(1),
# the bash, zsh and fish completions where Debian's shells look for packaged ones, and the README,
# copyright and changelog in /usr/share/doc/atlas-roles. Depends: is what dpkg-shlibdeps finds the
# two programs need (glibc, libcurl4, libssl3, ncursesw, libtinfo, libstdc++, libgcc), not a hand-kept list.
#
#   packaging/build-deb.sh BIN_DIR OUTPUT.deb
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir=${1:?usage: build-deb.sh BIN_DIR OUTPUT.deb}
output=${2:?usage: build-deb.sh BIN_DIR OUTPUT.deb}
# Revision 1 of the upstream version: the changelog below is Debian's, not the program's history.
version="$(scripts/version.sh --deb)-1"
arch=$(dpkg --print-architecture)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Where debhelper would stage it (debian/<package> of a source tree), so dpkg-shlibdeps finds its root.
root="$work/source/debian/atlas-roles"
packaging/install-tree.sh "$bin_dir" "$root/usr" share/zsh/vendor-completions

doc="$root/usr/share/doc/atlas-roles"
install -d -m 0755 "$doc" "$root/usr/share/lintian/overrides"
install -m 0644 packaging/debian/copyright "$doc/copyright"
install -m 0644 README.md "$doc/README.md"
{
    echo "atlas-roles ($version) unstable; urgency=medium"
    echo
    echo "  * Package of atlas-roles $(scripts/version.sh) (git describe)."
    echo
    echo " -- atlas-roles developers <dev@atlas-roles.invalid>  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.Debian.gz"
chmod 0644 "$doc/changelog.Debian.gz"
install -m 0644 packaging/debian/lintian-overrides "$root/usr/share/lintian/overrides/atlas-roles"

# dpkg-shlibdeps reads a source package's debian/control; a two-stanza stand-in is all it needs. It
# finds the package's root (for the linker's $ORIGIN run path) by its DEBIAN directory, made first.
install -d -m 0755 "$root/DEBIAN"
mkdir -p "$work/source/debian"
printf 'Source: atlas-roles\n\nPackage: atlas-roles\nArchitecture: any\n' > "$work/source/debian/control"
depends=$(cd "$work/source" && dpkg-shlibdeps -O -e"$root/usr/bin/atlas-roles" \
    -e"$root/usr/lib/atlas-roles/atlas-roles-sandbox" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

installed_size=$(du -s -k "$root/usr" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    -e "s/@DEPENDS@/$depends/" packaging/debian/control.in > "$root/DEBIAN/control"
(cd "$root" && find usr -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -type d -exec chmod 0755 {} +

mkdir -p "$(dirname "$output")"
dpkg-deb --root-owner-group -Zxz --build "$root" "$output" >/dev/null
echo "$output"
