#!/bin/sh
# Runs fuzz targets one after another, each for SECONDS (default 600), politely (nice, one
# worker), seeded from the fixtures, and appends a line of figures per target to runs.log.
#   ./run.sh                 all targets, 10 minutes each
#   ./run.sh 60 note         one target for a minute
# Crashes are kept (fork mode, -ignore_crashes) in artifacts/<target>/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-"note summit_yaml frab_xml frab_json c3voc_v2 sessionize ics serve_path"}
export RUSTC_BOOTSTRAP=${RUSTC_BOOTSTRAP:-1}
./seed.sh >/dev/null
nice -n 19 cargo fuzz build
dict_of() {
    case $1 in
        note|summit_yaml) echo dict/yaml.dict ;;
        frab_xml) echo dict/xml.dict ;;
        frab_json|c3voc_v2|sessionize) echo dict/json.dict ;;
        ics) echo dict/ics.dict ;;
        serve_path) echo dict/path.dict ;;
    esac
}
mkdir -p logs
for t in $targets; do
    mkdir -p "artifacts/$t"
    log="logs/$t.log"
    nice -n 19 cargo fuzz run "$t" "corpus/$t" -- \
        -dict="$(dict_of "$t")" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=16384 \
        -timeout=10 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -print_final_stats=1 >"$log" 2>&1 || true
    secs_run=$(grep -o ' time: [0-9]*s' "$log" | tail -1 | tr -dc '0-9')
    mins=$(( (${secs_run:-0} + 30) / 60 ))
    execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    corpus=$(find "corpus/$t" -type f | wc -l)
    crashes=$(find "artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    echo "$(date -u +%FT%TZ) $t minutes=$mins execs=${execs:-?} corpus=$corpus crashes=$crashes" | tee -a runs.log
done
