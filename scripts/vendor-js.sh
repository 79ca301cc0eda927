#!/usr/bin/env bash
# Vendor the front-end libraries from the npm registry into static/vendor/<name>/.
#
# zxing-wasm (MIT): the ZXing-C++ reader compiled to WebAssembly — the same engine the badge tests
# use (zxing-cpp) — kept up to date upstream. Only the reader's browser build (IIFE, global
# `ZXingWASM`) and its .wasm are copied, with the licence and the exact version.
#
# htmx.org (0BSD): the organiser pages' partial updates (/manage only). The unminified browser
# build is copied (readable, and the CSP forbids nothing it needs once the page's htmx-config
# meta tag turns off eval, script tags and injected indicator styles), with the licence and version.
#
# Usage: scripts/vendor-js.sh    (re-run after changing ZXING_WASM_VERSION or HTMX_VERSION)
set -euo pipefail

ZXING_WASM_VERSION="${ZXING_WASM_VERSION:-3.1.4}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "zxing-wasm@${ZXING_WASM_VERSION}" >/dev/null
tar xzf "zxing-wasm-${ZXING_WASM_VERSION}.tgz"

target="$root/static/vendor/zxing-wasm"
rm -rf "$target"
mkdir -p "$target"
cp package/dist/iife/reader/index.js "$target/zxing-reader.js"
cp package/dist/reader/zxing_reader.wasm "$target/zxing_reader.wasm"
cp package/LICENSE "$target/LICENSE"
cat >"$target/VERSION" <<INFO
zxing-wasm ${ZXING_WASM_VERSION} (npm), MIT licence (see LICENSE)
files: dist/iife/reader/index.js -> zxing-reader.js, dist/reader/zxing_reader.wasm
integrity: $(node -e 'process.stdout.write(require("./package/package.json").version)') $(sha256sum "$target/zxing_reader.wasm" | cut -d" " -f1) (sha256 of the .wasm)
copied by scripts/vendor-js.sh
INFO
echo "vendored zxing-wasm ${ZXING_WASM_VERSION} into ${target#"$root"/}"

rm -rf package
npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null
tar xzf "htmx.org-${HTMX_VERSION}.tgz"

target="$root/static/vendor/htmx"
rm -rf "$target"
mkdir -p "$target"
cp package/dist/htmx.js "$target/htmx.js"
cp package/LICENSE "$target/LICENSE"
cat >"$target/VERSION" <<INFO
htmx.org ${HTMX_VERSION} (npm), Zero-Clause BSD licence (see LICENSE)
files: dist/htmx.js -> htmx.js
integrity: $(node -e 'process.stdout.write(require("./package/package.json").version)') $(sha256sum "$target/htmx.js" | cut -d" " -f1) (sha256 of htmx.js)
copied by scripts/vendor-js.sh
INFO
echo "vendored htmx.org ${HTMX_VERSION} into ${target#"$root"/}"
