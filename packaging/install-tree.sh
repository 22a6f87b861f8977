#!/usr/bin/env bash
# Lays out an installed atlas-roles under ROOT: the stripped binary in bin/, the stripped
# atlas-roles-sandbox (the demo's and `atlas-roles sandbox`'s server, not a command of its own) in
# lib/atlas-roles/, where atlas-roles looks for it, the man page atlas-roles(1), the bash, zsh and fish
# completions. The man page and completions are generated from the built binary itself
# (swift-argument-parser's generate-manual tool and --generate-completion-script), so they always
# describe the options that binary has. Used by `make install` and `make dist`.
#
#   packaging/install-tree.sh BIN_DIR ROOT [ZSH_DIR]
#
# BIN_DIR holds the built atlas-roles, atlas-roles-sandbox and generate-manual; ROOT is the prefix (/usr/local, or a staging
# directory standing for /usr); ZSH_DIR is where zsh looks under it (share/zsh/site-functions by
# default; Debian's packaged completions go to share/zsh/vendor-completions).
set -euo pipefail

bin_dir=${1:?usage: install-tree.sh BIN_DIR ROOT [ZSH_DIR]}
root=${2:?usage: install-tree.sh BIN_DIR ROOT [ZSH_DIR]}
zsh_dir=${3:-share/zsh/site-functions}
binary="$bin_dir/atlas-roles"
[ -x "$binary" ] || { echo "install-tree: no built binary at $binary" >&2; exit 1; }
[ -x "$bin_dir/generate-manual" ] || { echo "install-tree: no generate-manual in $bin_dir" >&2; exit 1; }
sandbox="$bin_dir/atlas-roles-sandbox"
[ -x "$sandbox" ] || { echo "install-tree: no built sandbox at $sandbox" >&2; exit 1; }

# The man page's date is the commit's, so rebuilding the same commit gives the same page.
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$(dirname "$0")/.." log -1 --format=%ct 2>/dev/null || date +%s)}
page_date=$(date -u -d "@$epoch" +%Y-%m-%d)

install -d -m 0755 "$root/bin" "$root/lib/atlas-roles" "$root/share/man/man1" \
    "$root/share/bash-completion/completions" "$root/$zsh_dir" "$root/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$root/bin/atlas-roles"
install -m 0755 "$sandbox" "$root/lib/atlas-roles/atlas-roles-sandbox"
# As dh_strip does for executables: symbols, debug info and the toolchain's comment go, the build id stays.
strip --remove-section=.comment --remove-section=.note "$root/bin/atlas-roles" \
    "$root/lib/atlas-roles/atlas-roles-sandbox"

pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
"$bin_dir/generate-manual" "$binary" --output-directory "$pages" --date "$page_date" --section 1 >/dev/null
# A blank line (the discussion's paragraph break) is not mdoc; .Pp is its paragraph break. -n: no
# name or time stamp in the gzip header, so the .gz depends on the page alone.
sed 's/^$/.Pp/' "$pages/atlas-roles.1" | gzip -9n > "$root/share/man/man1/atlas-roles.1.gz"
chmod 0644 "$root/share/man/man1/atlas-roles.1.gz"

# bash-completion sources the file, so the script's #!/bin/bash line is only noise there.
"$binary" --generate-completion-script bash | sed '1{/^#!/d}' > "$root/share/bash-completion/completions/atlas-roles"
"$binary" --generate-completion-script zsh > "$root/$zsh_dir/_atlas-roles"
"$binary" --generate-completion-script fish > "$root/share/fish/vendor_completions.d/atlas-roles.fish"
chmod 0644 "$root/share/bash-completion/completions/atlas-roles" "$root/$zsh_dir/_atlas-roles" \
    "$root/share/fish/vendor_completions.d/atlas-roles.fish"
