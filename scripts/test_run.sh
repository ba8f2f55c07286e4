#!/bin/bash
# Checks of mmurun, the main job's driver (make run): bad usage refused,
# malformed trace lines reported with their line numbers, a failing check
# turning the exit status to 1, the results (table, TSV, JUnit, HTML report
# with its plots), and shards that partition the workloads and merge back
# into the whole.  Small inputs, so it runs in seconds.  Prints what it
# checked.
case ${1:-} in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
set -u
BIN=${1:-build/rel/bin}
pass=0 fail=0

. "$(dirname "$0")/testlib.sh"

R=$BIN/mmurun
expect 2 "unknown option '--bogus'" -- "$R" --bogus
expect 2 'bad --shard'           -- "$R" --shard 3/2
expect 2 'bad --records'         -- "$R" --records 0
expect 2 "unknown back end"      -- "$R" --backend bogus
expect 2 'name the shard folders' -- "$R" --merge
expect 2 "unexpected argument 'somefolder'" -- "$R" somefolder
expect 2 'no workload to run'    -- "$R" --only nosuchworkload
expect 2 'seed-configs nosuch'   -- "$R" --seed-configs x86,nosuch
expect 2 'bad --seed-configs'    -- "$R" --seed-configs x86,,csapp
expect 2 'more than 768 seed workloads' -- "$R" --seeds 300
expect 2 "bad -j '0': expected a whole number from 1 to 256" -- "$R" -j 0
expect 2 "option '--jobs' needs a value" -- "$R" --jobs

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scn" "$tmp/tr" "$tmp/bad"
cp tests/scenarios/brk.scn tests/scenarios/fork_cow.scn "$tmp/scn/"
# a scenario whose expectation is wrong: the run must say FAIL and exit 1
cat >"$tmp/scn/wrong.scn" <<'EOF'
# deliberately wrong: a fresh anonymous page reads as zero, not 5
$p = spawn
switch $p
$a = mmap 0 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS
load 8 $a expect 5
EOF
zcat tests/traces/ls-usr-bin.lackey.gz | head -n 6000 >"$tmp/tr/small.lackey"
# the same as din (0 read, 1 write, 2 fetch)
zcat tests/traces/ls-usr-bin.lackey.gz | head -n 3000 | awk '
	$1 == "I" { split($2, a, ","); print "2 " a[1]; next }
	$1 == "L" { split($2, a, ","); print "0 " a[1]; next }
	$1 == "S" { split($2, a, ","); print "1 " a[1]; next }' >"$tmp/tr/smalldin.din"
{ zcat tests/traces/ls-usr-bin.lackey.gz | head -n 100
  echo " L zz12,8"
  zcat tests/traces/ls-usr-bin.lackey.gz | sed -n 101,200p
  echo "I  0040"; } >"$tmp/bad/broken.lackey"

# malformed trace lines: reported with file and line, the workload FAILs
expect 1 'broken.lackey:101' -- "$R" --backend golden --no-scenarios --no-seeds --no-sweeps --traces "$tmp/bad" --out "$tmp/b"
check "malformed: both bad lines named" grep -q 'broken.lackey:202' "$tmp/b/summary.tsv"
check "malformed: the table says FAIL" grep -q 'trace:broken .* FAIL' "$tmp/b/summary.txt"
# with its sweeps too, the bad lines are listed once (the sweeps refer to it)
"$R" --backend golden --no-scenarios --no-seeds --traces "$tmp/bad" --records 300 --out "$tmp/b2" >/dev/null 2>&1
check "malformed: its lines listed once" test "$(grep -c 'broken.lackey:101' "$tmp/b2/summary.tsv")" = 1
check "malformed: the sweeps refer to it" grep -q 'did not load (its errors are on its first row)' "$tmp/b2/summary.tsv"
# an empty trace is a failure that says so; a missing --traces folder a usage error
mkdir -p "$tmp/empty" && printf '==1== nothing\n' >"$tmp/empty/none.lackey"
expect 1 'none.lackey: no access records (an empty trace)' -- "$R" --backend golden --no-scenarios --no-seeds --no-sweeps --traces "$tmp/empty" --out "$tmp/e"
expect 2 '--traces /nonexistent: No such file or directory' -- "$R" --traces /nonexistent

# seeds run in-process (sw/regress): mmurun alone, without mmuregress
# beside it, runs them; --seed-configs picks the configurations
mkdir -p "$tmp/alone"
cp "$R" "$tmp/alone/"
expect 0 'mmurun: 2 passed, 0 failed' -- "$tmp/alone/mmurun" --no-scenarios --no-traces --no-sweeps --seeds 2 --seed-ops 2000 --seed-configs csapp --out "$tmp/alone/out"
check "seeds: the csapp rows" grep -q '^seed:csapp-2 .* PASS' "$tmp/alone/out/summary.txt"
check "seeds: the log of each" test -s "$tmp/alone/out/logs/csapp-seed2.log"

# the whole job on small inputs, in lockstep: one scenario fails on purpose;
# seeds on every configuration
A=(--scenarios "$tmp/scn" --traces "$tmp/tr" --seeds 2 --seed-ops 3000 --records 6000)
expect 1 'mmurun: 18 passed, 1 failed' -- "$R" "${A[@]}" -j 2 --out "$tmp/all"
for kind in scenario:brk scenario:fork_cow scenario:wrong seed:x86-1 seed:x86-2 \
	seed:csapp-1 seed:csapp-2 seed:fpga-1 seed:fpga-2 seed:board-1 seed:board-2 trace:small trace:smalldin sweep-tlb:small sweep-l1:smalldin sweep-mem:small; do
	check "table has $kind" grep -q "^$kind " "$tmp/all/summary.txt"
done
check "the wrong scenario FAILs" grep -q '^scenario:wrong .* FAIL' "$tmp/all/summary.txt"
check "traces ran in lockstep" grep -q '^trace:small  *golden=' "$tmp/all/summary.txt"
check "junit well-formed" wellformed "$tmp/all/junit.xml"
check "junit has 19 testcases" test "$(cases "$tmp/all/junit.xml" | wc -l)" = 19
check "junit has 1 failure" test "$(failures "$tmp/all/junit.xml")" = 1
check "one log per scenario" test -s "$tmp/all/logs/scenario-wrong.log"
check "report written" test -s "$tmp/all/report.html"
check "report has plots" test "$(grep -o '<svg' "$tmp/all/report.html" | wc -l)" -ge 3
check "report names OPT and LRU" grep -q 'OPT' "$tmp/all/report.html"
check "sweeps: OPT rows" grep -q $'^mem\tsmall\t[0-9]*\tOPT' "$tmp/all/sweep.tsv"
check "sweeps: TLB rows" grep -q $'^tlb\tsmall\t' "$tmp/all/sweep.tsv"

# -j 1 (one workload after another, in this process) and -j 2 (two
# processes at a time): the same table, TSV, JUnit, sweeps, coverage, logs
# and report, in the same order, once times and the output folder are masked
"$R" "${A[@]}" -j 2 --out "$tmp/all2" >"$tmp/all2.out" 2>/dev/null
"$R" "${A[@]}" -j 1 --out "$tmp/j1" >"$tmp/j1.out" 2>/dev/null
mask() {  # mask OUT_DIR < file: times, dates and the folder's name out
	sed -E -e "s#$1#OUT#g" -e 's/time="[0-9.]+"/time="T"/g' \
	    -e 's/(PASS|FAIL)( +)[0-9.]+s( +[-0-9.]+)?/\1 T/g' \
	    -e 's/\t(PASS|FAIL)\t[0-9.]+\t/\t\1\tT\t/' \
	    -e 's#(PASS|FAIL)</td><td class="n">[0-9.]+#\1</td><td class="n">T#g' \
	    -e 's/[0-9]+\.[0-9]+ ?s\b/T s/g' \
	    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC/DATE/g'
}
same_masked() { diff <(mask "$tmp/j1" <"$tmp/j1/$1") <(mask "$tmp/all2" <"$tmp/all2/$1"); }
check "-j 2: the workloads' coverage came back from their processes" grep -q $'\t[1-9]' "$tmp/all2/coverage.tsv"
check "-j 1 and -j 2: coverage.tsv among the files compared" test -s "$tmp/j1/coverage.tsv"
check "-j 1 and -j 2: the same files" test "$(cd "$tmp/j1" && find . -type f | sort)" = "$(cd "$tmp/all2" && find . -type f | sort)"
for f in $(cd "$tmp/j1" && find . -type f | sort); do
	check "-j 1 and -j 2: the same ${f#./}" same_masked "$f"
done
check "-j 1 and -j 2: the same table on stdout" diff <(mask "$tmp/j1" <"$tmp/j1.out") <(mask "$tmp/all2" <"$tmp/all2.out")
check "-j 1 and -j 2: the failure reported" grep -q 'FAIL scenario:wrong' "$tmp/all2.out"

# shards: a deterministic partition, merged back into the same workloads
expect 1 "mmurun: 9 passed, 1 failed" -- "$R" "${A[@]}" --shard 1/2 --out "$tmp/s1"
expect 0 'mmurun: 9 passed, 0 failed' -- "$R" "${A[@]}" --shard 2/2 --out "$tmp/s2"
check "shards are disjoint" test -z "$(comm -12 <(cases "$tmp/s1/junit.xml" | sort) <(cases "$tmp/s2/junit.xml" | sort))"
expect 1 'mmurun: 18 passed, 1 failed' -- "$R" --merge --out "$tmp/m" "$tmp/s1" "$tmp/s2"
check "merge: the same workloads" test "$(cases "$tmp/m/junit.xml" | sort)" = "$(cases "$tmp/all/junit.xml" | sort)"
check "merge: the order of the whole run" test "$(cut -f1-3 "$tmp/m/summary.tsv")" = "$(cut -f1-3 "$tmp/all/summary.tsv")"
check "merge: the failure text kept" grep -q 'checks failed' "$tmp/m/junit.xml"
check "merge: sweeps of both shards" test "$(grep -c . "$tmp/m/sweep.tsv")" = "$(grep -c . "$tmp/all/sweep.tsv")"
check "merge: report written" test "$(grep -o '<svg' "$tmp/m/report.html" | wc -l)" -ge 3
check "merge: functional coverage of the shards adds up to the whole run's" cmp -s "$tmp/m/coverage.tsv" "$tmp/all/coverage.tsv"
expect 2 'cannot read' -- "$R" --merge --out "$tmp/m2" "$tmp/nosuch"

echo "run: $pass passed, $fail failed"
[ "$fail" = 0 ]
