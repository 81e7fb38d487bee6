#!/usr/bin/env bash
# tools/snapshot.sh BIN OUT: run the main commands of BIN (an alisplan binary) on the bundled
# instances and a generated 100-doctor one, and keep every output file, exit code and console
# line in OUT, with times, memory and paths masked. Two builds give the same snapshot
# (`diff -r OUT1 OUT2` prints nothing) when a change keeps every output byte for byte.
set -u
BIN=$(realpath "$1"); OUT=$2; rm -rf "$OUT"; mkdir -p "$OUT"
INST=$(cd "$(dirname "$0")/.." && pwd)/instances
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
G=$WORK/gen100
$BIN generate --doctors 100 --hospitals 10 --regions 2 --seed 7 $G >/dev/null 2>&1
run() { name=$1; shift; (cd "$OUT" && "$BIN" "$@" > "$name.stdout" 2> "$name.stderr"; echo $? > "$name.rc"); }
for i in alis-vest alis-nord; do
  run plan-$i plan $INST/$i --out plan-$i
  run place-$i place $INST/$i --out place-$i
  run groups-$i groups $INST/$i --out groups-$i
  run verify-$i verify $INST/$i plan-$i
done
run plan-g100 plan $G --out plan-g100
run verify-g100 verify $G plan-g100
# review round on alis-vest
cp -r "$OUT/plan-alis-vest" "$OUT/reviewed"
# (alis-vest writes its sheets in bokmål: semicolons, `godkjent`/`avslått`)
sed -i 's/^\(V15;.*\);;$/\1;avslått;ingen plass/; s/^\(V01;.*\);;$/\1;godkjent;/' "$OUT/reviewed/hospitals/haukeland.csv"
run plan-v2 plan $INST/alis-vest --decisions reviewed --out plan-v2
run place-v2 place $INST/alis-vest --decisions reviewed --out place-v2
# replan with leave
R=$WORK/vest-leave; cp -r $INST/alis-vest $R; echo "V03,2028-03,2028-05,sick" >> $R/leave.csv
run replan-vest replan $R --previous plan-alis-vest --from 2028-01 --out replan-vest
run verify-replan verify $R replan-vest --previous plan-alis-vest
run replan-g100 replan $G --previous plan-g100 --from 2029-01 --out replan-g100
# report regenerated in place
cp -r "$OUT/plan-alis-nord" "$OUT/rep-nord"; rm -rf "$OUT/rep-nord/report.html" "$OUT/rep-nord/calendars"
run report-nord report $INST/alis-nord rep-nord
# errors
run exists plan $INST/alis-vest --out plan-alis-vest
# normalise volatile fields
find "$OUT" -name summary.json -exec sed -i -E 's/"(seconds|peak_memory_mb)": [0-9.e+-]+/"\1": X/g; s/"instance": ".*"/"instance": "X"/' {} +
find "$OUT" -name '*.stderr' -exec sed -i -E 's/[0-9]+\.[0-9]+ s\b/X s/g; s/\([0-9.]+ s,/(X s,/g' {} +
find "$OUT" -name 'report.html' -exec sed -i -E 's/[0-9]+\.[0-9]+ s\b/X s/g; s/[0-9.]+ MB/X MB/g' {} +
