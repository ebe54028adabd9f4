#!/bin/sh
# Copies the repository's fixtures into fuzz/corpus/<target>/ as seed inputs.
# Run from anywhere; safe to run again (it only adds files).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
c="$here/corpus"
mkdir -p "$c/note" "$c/summit_yaml" "$c/frab_xml" "$c/frab_json" "$c/c3voc_v2" "$c/sessionize" "$c/ics" "$c/serve_path"

n=0
for f in "$repo"/content/*.md "$repo"/content/talks/*/*.md \
         "$repo"/tests/fixtures/sites/*/content/*.md \
         "$repo"/tests/fixtures/sites/*/content/*/*.md \
         "$repo"/tests/fixtures/sites/*/content/talks/*/*.md \
         "$here"/seeds/note/*; do
    [ -f "$f" ] || continue
    n=$((n + 1)); cp "$f" "$c/note/seed-$n"
done
n=0
for f in "$repo"/summit.yaml "$repo"/tests/fixtures/sites/*/summit.yaml "$here"/seeds/summit_yaml/*; do
    [ -f "$f" ] || continue
    n=$((n + 1)); cp "$f" "$c/summit_yaml/seed-$n"
done
for f in "$repo"/tests/fixtures/schedules/*.xml "$here"/seeds/frab_xml/*; do cp "$f" "$c/frab_xml/"; done
for f in "$repo"/tests/fixtures/schedules/pretalx-*.json "$here"/seeds/frab_json/*; do
    [ -f "$f" ] && cp "$f" "$c/frab_json/"
done
for f in "$repo"/tests/fixtures/schedules/sessionize-*.json; do cp "$f" "$c/sessionize/"; done
for f in "$repo"/tests/fixtures/schedules/c3voc-v2-*.json; do cp "$f" "$c/c3voc_v2/"; done
for f in "$repo"/tests/fixtures/schedules/*.ics; do cp "$f" "$c/ics/"; done
cp "$here"/seeds/serve_path/* "$c/serve_path/"
echo "seeded $(find "$c" -type f | wc -l) files into $c"
