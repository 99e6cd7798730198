#!/usr/bin/env bash
# Vendor the NHS.UK design system's compiled CSS, JS and images into static/nhsuk/.
#
#   scripts/update-nhsuk-frontend.sh 10.6.1
#
# The package comes from the npm registry (`npm pack`), so no Node toolchain is needed to run
# Waitroom, only to update it. Two rewrites keep every request on our own host (see
# docs/adr/0004-vendored-nhsuk-frontend.md):
#   - the stylesheet's absolute /assets/ URLs become relative, so Django's manifest storage
#     fingerprints them;
#   - the @font-face rules are dropped: Frutiger is licensed for nhs.uk domains only and is served
#     from assets.nhs.uk, which our Content-Security-Policy (font-src 'self') would refuse anyway.
#     The design system's own fallback stack (Arial) is used instead.
set -euo pipefail
version=${1:?usage: $0 VERSION}
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "nhsuk-frontend@$version" >/dev/null && tar xzf "nhsuk-frontend-$version.tgz")
dist="$work/package/dist/nhsuk"
dest="$top/static/nhsuk"
rm -rf "$dest"
mkdir -p "$dest/assets/images"
cp "$dist"/assets/images/* "$dest/assets/images/"
cp "$dist/nhsuk-frontend.min.js" "$dest/nhsuk-frontend.min.js"
sed -e 's#url(/assets/#url(assets/#g' \
    -e 's#@font-face{[^}]*}##g' \
    -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
    "$dist/nhsuk-frontend.min.css" > "$dest/nhsuk-frontend.min.css"
sed -i -e 's#//\# sourceMappingURL=.*$##' "$dest/nhsuk-frontend.min.js"
cp "$work/package/LICENSE"* "$dest/" 2>/dev/null || true
echo "$version" > "$dest/VERSION"
echo "nhsuk-frontend $version vendored into static/nhsuk/"
