#!/bin/sh
# Vendor axe-core (the accessibility engine the e2e tests inject) from the npm registry.
# Usage: sh tests/e2e/vendor/update-axe.sh [VERSION]   (default: the version in VERSION)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
version=${1:-$(cat "$here/axe-core/VERSION")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$version" >/dev/null && tar -xzf axe-core-*.tgz)
cp "$work/package/axe.min.js" "$here/axe-core/axe.min.js"
cp "$work/package/LICENSE" "$here/axe-core/LICENSE"
[ -f "$work/package/LICENSE-3RD-PARTY.txt" ] && cp "$work/package/LICENSE-3RD-PARTY.txt" "$here/axe-core/"
echo "$version" > "$here/axe-core/VERSION"
echo "axe-core $version vendored into $here/axe-core"
