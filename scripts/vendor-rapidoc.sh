#!/bin/sh
# Vendor RapiDoc (the API viewer at /schema) from npm into static/vendor/rapidoc/.
# The page may load scripts only from this site (Content-Security-Policy), so the viewer's JS is
# served from /static instead of a CDN. Run again with another version to update; commit the result.
set -eu
VERSION="${1:-9.3.4}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/static/vendor/rapidoc"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "rapidoc@$VERSION" >/dev/null && tar xzf "rapidoc-$VERSION.tgz")
mkdir -p "$DEST"
cp "$WORK/package/dist/rapidoc-min.js" "$DEST/rapidoc-min.js"
cp "$WORK/package/dist/rapidoc-min.js.LICENSE.txt" "$DEST/rapidoc-min.js.LICENSE.txt"
cp "$WORK/package/LICENSE.txt" "$DEST/LICENSE.txt"
# The bundle names its source map; the map is not vendored, so drop the reference.
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/rapidoc-min.js"
printf 'rapidoc %s from npm (https://www.npmjs.com/package/rapidoc), MIT licence: LICENSE.txt.\nThird-party notices of the bundle: rapidoc-min.js.LICENSE.txt.\nUpdate with scripts/vendor-rapidoc.sh VERSION.\n' "$VERSION" > "$DEST/README.md"
echo "vendored rapidoc $VERSION into $DEST"
