#!/usr/bin/env bash
# Browser check of report.html (run by CI after installing chromium; not part of `cargo test`).
#
# Renders the B2B example report in headless Chromium with networking off, then checks that
#   1. the screenshot is a PNG and not a blank page (size, and more than one colour when python3
#      is available),
#   2. the DOM text contains the headline index as results.json gives it (rounded to 1 decimal)
#      and a Chinese node name, so CJK text and the headline actually reach the page,
#   3. the Chinese questionnaire from `satkit build --to html` renders (a non-blank screenshot)
#      with its Chinese title and a question in the DOM.
# Usage: tests/browser.sh            (from the repository root; CHROMIUM=... to pick the binary)
set -euo pipefail

cd "$(dirname "$0")/.."
out=target/browser
rm -rf "$out"
mkdir -p "$out"

chromium=${CHROMIUM:-}
if [[ -z "$chromium" ]]; then
  for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then chromium=$c; break; fi
  done
fi
[[ -n "$chromium" ]] || { echo "browser.sh: no chromium found (apt-get install -y chromium)" >&2; exit 2; }

cargo run --quiet -- analyze surveys/b2b-platform/survey.toml surveys/b2b-platform/responses.csv -o "$out/b2b" >/dev/null

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync "--user-data-dir=$profile" --window-size=1280,2000)
url="file://$PWD/$out/b2b/report.html"

"$chromium" "${flags[@]}" --screenshot="$out/report.png" "$url" 2>"$out/chromium-screenshot.log" || {
  cat "$out/chromium-screenshot.log" >&2; exit 1; }
"$chromium" "${flags[@]}" --dump-dom "$url" >"$out/report.dom.html" 2>"$out/chromium-dom.log" || {
  cat "$out/chromium-dom.log" >&2; exit 1; }

fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1" >&2; fail=1; fi; }

# 1. The screenshot: a PNG, bigger than a blank page, more than one colour.
png="$out/report.png"
size=$(wc -c <"$png" | tr -d ' ')
check "screenshot is a PNG" '[[ "$(head -c 8 "$png" | od -An -tx1 | tr -d " \n")" == "89504e470d0a1a0a" ]]'
check "screenshot is larger than a blank page ($size bytes > 30000)" '(( size > 30000 ))'
if command -v python3 >/dev/null 2>&1; then
  colours=$(python3 - "$png" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = {2: 3, 6: 4, 0: 1, 4: 2}.get(ctype, 4)
stride = width * bpp
prev = bytearray(stride)
colours = set()
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1:
            line[i] = (line[i] + a) & 255
        elif f == 2:
            line[i] = (line[i] + b) & 255
        elif f == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 8 == 0:
        for x in range(0, stride, bpp * 4):
            colours.add(bytes(line[x:x + bpp]))
    if len(colours) > 1:
        break
print(len(colours))
EOF
)
  check "screenshot is not one colour" '(( colours > 1 ))'
fi

# 2. The DOM: headline index from results.json, and a Chinese node name.
index=$(grep -m1 -A3 '"index": {' "$out/b2b/results.json" | sed -n 's/.*"score": \([-0-9.eE+]*\).*/\1/p' | head -1)
[[ -n "$index" ]] || { echo "FAIL: no index.score in results.json" >&2; exit 1; }
shown=$(LC_ALL=C printf '%.1f' "$index")
check "DOM contains the headline index $shown" 'grep -q ">$shown<" "$out/report.dom.html"'
node=$(grep -m2 '"name": "' "$out/b2b/results.json" | tail -1 | sed 's/.*"name": "\(.*\)".*/\1/')
check "results.json gives a non-ASCII (Chinese) node name ($node)" 'printf "%s" "$node" | LC_ALL=C grep -q "[^ -~]"'
check "DOM contains the node name $node" 'grep -qF "$node" "$out/report.dom.html"'
check "DOM has no script element" '! grep -qi "<script" "$out/report.dom.html"'

# 3. The questionnaire page of the Chinese survey.
survey=surveys/b2b-platform/survey.toml
cargo run --quiet -- build "$survey" --to html -o "$out/questionnaire.html" >/dev/null
qurl="file://$PWD/$out/questionnaire.html"
"$chromium" "${flags[@]}" --screenshot="$out/questionnaire.png" "$qurl" 2>"$out/chromium-q.log" || {
  cat "$out/chromium-q.log" >&2; exit 1; }
"$chromium" "${flags[@]}" --dump-dom "$qurl" >"$out/questionnaire.dom.html" 2>>"$out/chromium-q.log" || {
  cat "$out/chromium-q.log" >&2; exit 1; }
qsize=$(wc -c <"$out/questionnaire.png" | tr -d ' ')
check "questionnaire screenshot is larger than a blank page ($qsize bytes > 30000)" '(( qsize > 30000 ))'
title=$(sed -n 's/^title = "\(.*\)"$/\1/p' "$survey" | head -1)
check "questionnaire DOM contains the Chinese title ($title)" '[[ -n "$title" ]] && grep -qF "$title" "$out/questionnaire.dom.html"'
question=$(sed -n 's/^text = "\(.*\)"$/\1/p' "$survey" | head -1)
check "questionnaire DOM contains a question ($question)" '[[ -n "$question" ]] && grep -qF "$question" "$out/questionnaire.dom.html"'

if (( fail )); then
  echo "browser.sh: checks failed; see $out/" >&2
  exit 1
fi
echo "browser.sh: all checks passed (screenshot $png)"
