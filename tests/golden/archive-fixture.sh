#!/bin/sh
# archive-fixture.sh - builds the archive the archive-* golden cases read: three weekly revisions of the
# flagship (Ukraine's ceasefire position 45, then 55; then also the US administration's salience on it
# 0.95 -> 0.85, forecast with two models), each forecast on its own date (SOURCE_DATE_EPOCH), and a
# compare run of the first. The files are read from DIR, so the archive names them without a temporary path.
# Usage: archive-fixture.sh PATH/TO/parley DIR      (writes DIR/runs.db; run from the source tree)
set -eu
parley=$1
dir=$2
cp examples/jeddah-2025.json "$dir/jeddah-2025.json"
cd "$dir"
sed '/"actor": "ukraine"/,/"salience"/ s/"value": 45,/"value": 55,/' jeddah-2025.json >rev2.json
sed '0,/"value": 0.95,/ s//"value": 0.85,/' rev2.json >rev3.json
# 2025-03-11, -18 and -25, noon UTC
SOURCE_DATE_EPOCH=1741694400 "$parley" forecast jeddah-2025.json -q --archive runs.db >out
SOURCE_DATE_EPOCH=1742299200 "$parley" forecast rev2.json -q --archive runs.db >out
SOURCE_DATE_EPOCH=1742904000 "$parley" forecast rev3.json -q --model ensemble,median --archive runs.db >out
SOURCE_DATE_EPOCH=1742904000 "$parley" compare jeddah-2025.json -q --detail summary --archive runs.db >out
