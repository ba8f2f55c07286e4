#!/bin/bash
# Command-line checks: the tools reject bad input with a clear message and a
# non-zero exit, and accept good input.  Prints what it checked.
case ${1:-} in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
set -u
BIN=${1:-build/rel/bin}
pass=0 fail=0

. "$(dirname "$0")/testlib.sh"

expect 0 'name = x86'          -- "$BIN/mmucfg" x86
expect 0 'TLBT 6 | TLBI 2'      -- "$BIN/mmucfg" csapp --fields
expect 0 'MMU_L1_SETS'          -- "$BIN/mmucfg" fpga --verilog
expect 0 '-GTLB_WAYS=4'         -- "$BIN/mmucfg" x86 --verilator-flags
expect 1 'unknown configuration' -- "$BIN/mmucfg" nosuch
expect 1 'l1_sets.*alias'       -- "$BIN/mmucfg" x86 --set l1_sets=128
expect 1 'tlb_ways = 3 is not a power of two' -- "$BIN/mmucfg" x86 --set tlb_ways=3
expect 1 "unknown key 'bogus'"  -- "$BIN/mmucfg" x86 --set bogus=1
expect 2 "unknown option '--frobnicate'" -- "$BIN/mmucfg" x86 --frobnicate
expect 0 'VA 0x03d4 = VPN 0x0f | VPO 0x14; VPN = TLBT 0x03 | TLBI 0x3' -- "$BIN/mmucfg" csapp --fields 0x03d4
expect 1 'VA 0x4000 is not canonical in csapp' -- "$BIN/mmucfg" csapp --fields 0x4000
# mmucourse: the textbook's example on the RTL, answers, errors, generation
ex=examples/course/csapp-9.6.4.ex
expect 0 'usage: mmucourse run'   -- "$BIN/mmucourse" --help
expect 2 "unknown option '--bogus'" -- "$BIN/mmucourse" run "$ex" --bogus
expect 2 "unknown command 'frob'" -- "$BIN/mmucourse" frob
expect 0 'way 1: tag 0x03 valid 1 ppn 0x0D  <- match' -- "$BIN/mmucourse" run "$ex" --backend rtl
expect 0 'cycles  18-19  SFill    WIdle      FRead' -- "$BIN/mmucourse" run "$ex" --backend rtl
expect 0 '56 field.s. right, 0 wrong, in 5 answered' -- "$BIN/mmucourse" check "$ex" --backend lockstep
tmp=$(mktemp -d)
sed 's/tlbt=0x03 tlb=hit fault=none ppn=0x0D pa=0x354/tlbt=0x03 tlb=miss fault=none ppn=0x0D pa=0x354/' "$ex" >"$tmp/wrong.ex"
expect 1 'tlb   miss     WRONG: hit, way 1 of set 3' -- "$BIN/mmucourse" check "$tmp/wrong.ex" --backend rtl
printf 'config csapp\ntlb 0 0 tag=3 ppn=2 valid=7\n' >"$tmp/bad.ex"
expect 2 'bad.ex:2:27: expected 0 or 1 for valid' -- "$BIN/mmucourse" run "$tmp/bad.ex"
expect 0 'html written' -- bash -c "'$BIN/mmucourse' run '$ex' --backend rtl --quiet --html '$tmp/p.html' && grep -q '<td class=\"TLBI\"' '$tmp/p.html' && grep -q 'class=\"box' '$tmp/p.html' && echo html written"
expect 0 'answer key' -- "$BIN/mmucourse" gen csapp --seed 3 --out "$tmp/g.ex" --key "$tmp/g.key"
expect 0 ' 0 wrong'    -- "$BIN/mmucourse" check "$tmp/g.key" --backend rtl
expect 2 'gen needs --seed' -- "$BIN/mmucourse" gen csapp --out "$tmp/g.ex"
# the labs of docs/course.md, and mmuos --trace on the RTL
expect 0 'working set 0x50 pages: TLB misses in 8 passes 0x280 of 0x280' -- "$BIN/mmuos" run examples/course/lab1-tlb-reach.scn
expect 0 'walks 0x180 entries read 0x600 PSC hits 0x0' -- "$BIN/mmuos" run examples/course/lab2-walk-psc.scn --set psc_entries=0
expect 0 'trace: kernel: copy-on-write: copied the page' -- "$BIN/mmuos" run examples/course/lab3-cow.scn --backend rtl --trace
expect 0 'sole owner, made the page writable in place' -- "$BIN/mmuos" run examples/course/lab3-cow.scn --backend lockstep --trace
tmp=$(mktemp -d)
expect 0 'PASS sweep-mem:ls-usr-bin' -- "$BIN/mmurun" --backend golden --no-scenarios --no-seeds --only sweep-mem --records 40000 --out "$tmp/lab4"
expect 0 'OPT	1105' -- awk -F'\t' '$3 == 12' "$tmp/lab4/sweep.tsv"
rm -rf "$tmp"
rm -rf "$tmp"
tmp=$(mktemp -d)
printf 'name = bad\ncanonical = sign\nva_bits = 48\n' >"$tmp/bad.cfg"
expect 1 "bad.cfg: missing key 'pa_bits'" -- "$BIN/mmucfg" "$tmp/bad.cfg"
"$BIN/mmucfg" x86 | sed 's/^name .*/name = mine/' >"$tmp/mine.cfg"
expect 0 'name = mine'          -- "$BIN/mmucfg" "$tmp/mine.cfg"
rm -rf "$tmp"
# Sizes the host cannot hold (under a 4 GiB address-space limit): what
# could not be allocated and how much, exit 2, no temporary folder left.
tmp=$(mktemp -d)
lim() { (ulimit -v 4194304; TMPDIR=$tmp "$@"); }
expect 2 'host out of memory: the slot table of the swap area: 4294967296 x' -- \
	lim "$BIN/mmuos" run --swap 16T tests/scenarios/brk.scn
expect 2 'host out of memory: the chunk table of 70368744177664 bytes' -- \
	lim "$BIN/mmuos" run --mem 64T tests/scenarios/brk.scn
check "no temporary folder left after an allocation failure" \
	test -z "$(ls -A "$tmp")"
rm -rf "$tmp"
expect 2 "unknown option '--bogus'" -- "$BIN/mmuregress" --bogus
expect 2 'unknown configuration' -- "$BIN/mmuregress" --config nosuch
expect 0 'regress: 1 passed, 0 failed' -- "$BIN/mmuregress" --config csapp --seed 7 --ops 20000
expect 0 'golden=rtl .* PASS'     -- "$BIN/mmuregress" --config csapp --seed 7 --ops 20000
expect 0 'csapp *7 golden .* - PASS' -- "$BIN/mmuregress" --backend golden --config csapp --seed 7 --ops 20000
expect 2 "unknown back end 'bogus'" -- "$BIN/mmuregress" --backend bogus
# rtl: a clear refusal in a program linked without the RTL, a run with it
rtl_out=$("$BIN/mmuregress" --backend rtl --config csapp --seed 1 --ops 2000 2>&1)
if grep -q 'linked without' <<<"$rtl_out"; then
	expect 2 'linked without the Verilated RTL' -- "$BIN/mmuregress" --backend rtl --config csapp --seed 1 --ops 2000
else
	expect 0 'regress: 1 passed, 0 failed' -- "$BIN/mmuregress" --backend rtl --config csapp --seed 1 --ops 2000
fi
for s in 0/2 3/2 1 a/b 1/0 -1/2; do
	expect 2 'bad --shard' -- "$BIN/mmuregress" --shard "$s"
done
expect 2 'bad --seeds'          -- "$BIN/mmuregress" --seeds x
expect 2 'bad --backpressure'   -- "$BIN/mmuregress" --backpressure 101
expect 2 'need --backend lockstep' -- "$BIN/mmuregress" --backend golden --inject 5
expect 2 'need --backend lockstep' -- "$BIN/mmuregress" --backend golden --inject-rule no-wp
expect 2 'needs --logdir'       -- "$BIN/mmuregress" --wave
# functional coverage: the file, the goal and budget, merging (mmucover)
expect 2 'go together'          -- "$BIN/mmuregress" --cover-goal 50
expect 2 'bad --cover-goal'     -- "$BIN/mmuregress" --cover-goal 0 --budget 2
ctmp=$(mktemp -d)
expect 0 'functional coverage: [0-9]* of [0-9]* bins hit' -- "$BIN/mmuregress" --config csapp --seed 1 --ops 3000 --cover "$ctmp/a.tsv"
expect 0 'hole ' -- "$BIN/mmuregress" --config x86 --seed 2 --ops 3000 --cover "$ctmp/b.tsv"
expect 0 'regress: 1 passed, 0 failed' -- "$BIN/mmuregress" --config csapp --ops 3000 --cover-goal 5 --budget 3
expect 1 'coverage goal 100.0% not met after 1 seeds' -- "$BIN/mmuregress" --config csapp --ops 3000 --cover-goal 100 --budget 1
expect 0 'merged 2 files' -- "$BIN/mmucover" -o "$ctmp/m.tsv" "$ctmp/a.tsv" "$ctmp/b.tsv"
# counts add: the total of every count in the merge is the sum of both
total() { awk -F'\t' 'NR > 1 { n += $2 } END { print n }' "$1"; }
check 'mmucover: merged counts are the sums' test "$(total "$ctmp/m.tsv")" -eq $(($(total "$ctmp/a.tsv") + $(total "$ctmp/b.tsv")))
printf 'x\t1\n' >"$ctmp/bad.tsv"
expect 1 'bad.tsv:1: not a coverage file' -- "$BIN/mmucover" "$ctmp/bad.tsv"
expect 2 "unknown option '--frob'" -- "$BIN/mmucover" --frob
# failure shrinking: a broken rule (CR0.WP ignored in the DUT), ddmin, the
# stream file and its replay
expect 2 'bad --inject-rule'    -- "$BIN/mmuregress" --inject-rule bogus
expect 1 'shrunk from [0-9]* calls to 6 (status differs' -- "$BIN/mmuregress" --config x86 --seed 2 --ops 20000 --inject-rule no-wp --shrink --logdir "$ctmp"
expect 1 'replay .*x86-seed2.min.stream: 6 calls on x86: FAIL' -- "$BIN/mmuregress" --config x86 --seed 2 --inject-rule no-wp --replay "$ctmp/x86-seed2.min.stream"
expect 0 'x86-seed2.min.stream: 6 calls on x86: PASS' -- "$BIN/mmuregress" --config x86 --seed 2 --replay "$ctmp/x86-seed2.min.stream"
expect 2 'bad.tsv:1: not a stream file' -- "$BIN/mmuregress" --config x86 --replay "$ctmp/bad.tsv"
rm -rf "$ctmp"

# JUnit and per-test logs; shards partition the config x seed list.
tmp=$(mktemp -d)
if ! command -v python3 >/dev/null; then
	fail=$((fail + 1)); echo "FAIL: python3 is needed to check the JUnit XML"
fi
expect 0 'regress: 4 passed, 0 failed' -- "$BIN/mmuregress" --config csapp --config x86 --seeds 2 --ops 5000 --junit "$tmp/all.xml" --logdir "$tmp/logs/all"
check "junit well-formed" wellformed "$tmp/all.xml"
check "junit has 4 testcases" test "$(cases "$tmp/all.xml" | wc -l)" = 4
check "one log per test" test "$(ls "$tmp/logs/all" | wc -l)" = 4
check "log has header and result" grep -q -- '--- result: PASS' "$tmp/logs/all/x86-seed2.log"
expect 0 'regress: 2 passed, 0 failed' -- "$BIN/mmuregress" --config csapp --config x86 --seeds 2 --ops 5000 --shard 1/2 --junit "$tmp/s1.xml"
expect 0 'regress: 2 passed, 0 failed' -- "$BIN/mmuregress" --config csapp --config x86 --seeds 2 --ops 5000 --shard 2/2 --junit "$tmp/s2.xml"
check "shards partition the tests" test "$(cat <(cases "$tmp/s1.xml") <(cases "$tmp/s2.xml") | sort)" = "$(cases "$tmp/all.xml" | sort)"
check "shards are disjoint" test -z "$(comm -12 <(cases "$tmp/s1.xml" | sort) <(cases "$tmp/s2.xml" | sort))"

# A failing run (checker self-test: the DUT's access 100 answers wrongly):
# exit 1, the report, a JUnit failure, the log, and a re-run that reproduces.
expect 1 'lockstep mismatch at access 100 (call' -- "$BIN/mmuregress" --config csapp --seed 3 --ops 5000 --inject 100 --junit "$tmp/f.xml" --logdir "$tmp/logs/f"
out=$("$BIN/mmuregress" --config csapp --seed 3 --ops 5000 --inject 100 --logdir "$tmp/logs/f" 2>&1)
for pat in 'rdata differs' 'ref (golden):' 'dut (rtl+injected):' "log: $tmp/logs/f/csapp-seed3.log" \
	're-run: .*mmuregress --backend lockstep --config csapp --seed 3 --ops 5000 .*--inject 100' \
	'regress: 0 passed, 1 failed'; do
	check "failure report shows '$pat'" grep -q -- "$pat" <<<"$out"
done
check "failing junit well-formed" wellformed "$tmp/f.xml"
check "failing junit has a failure" grep -q '<failure message="lockstep mismatch at access 100' "$tmp/f.xml"
check "log holds the failure" grep -q 'rdata differs' "$tmp/logs/f/csapp-seed3.log"
rerun=$(sed -n 's/^ *re-run: //p' <<<"$out")
expect 1 'lockstep mismatch at access 100 (call' -- bash -c "$rerun"
rm -rf "$tmp"

# Usage errors, one convention in every tool: one line naming the option
# (and the valid range for a number), a hint to --help, exit status 2.
R=build/rel/bench
usage_err() {  # usage_err PATTERN -- command...: rc 2, 2 lines, the hint
	local pat=$1; shift 2
	local out rc
	out=$("$@" 2>&1); rc=$?
	local tool=${1##*/}
	if [ "$rc" = 2 ] && [ "$(wc -l <<<"$out")" = 2 ] &&
	   grep -q -- "$pat" <<<"$out" &&
	   grep -q "^Try '$tool --help'" <<<"$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $* -> rc=$rc (want 2), output: ${out:0:600}"
	fi
}
for t in mmucfg mmuos mmuregress mmurun mmucourse; do
	args=(); [ $t = mmuos ] || [ $t = mmucourse ] && args=(run x.scn); [ $t = mmucfg ] && args=(x86)
	usage_err "unknown option '--nope'" -- "$BIN/$t" "${args[@]}" --nope
done
usage_err "option '--set' needs a value" -- "$BIN/mmucfg" x86 --set
usage_err "option '--seeds' needs a value" -- "$BIN/mmuregress" --seeds
usage_err "option '--records' needs a value" -- "$BIN/mmurun" --records
usage_err "--mem needs a value" -- "$BIN/mmuos" run x.scn --mem
usage_err "bad --seeds '0': expected a whole number from 1 to 4294967295" -- "$BIN/mmuregress" --seeds 0
usage_err "bad --backpressure '101': expected a whole number from 0 to 100" -- "$BIN/mmuregress" --backpressure 101
usage_err "bad --seeds '513': expected a whole number from 0 to 512" -- "$BIN/mmurun" --seeds 513
usage_err "bad --mem-pct '0': expected a whole number from 1 to 1000" -- "$BIN/mmurun" --mem-pct 0
usage_err "bad --accesses '65': expected a whole number from 1 to 64" -- "$BIN/mmucourse" gen csapp --accesses 65
usage_err "option '--seed' needs a value" -- "$BIN/mmucourse" gen csapp --seed
for b in bench_golden bench_os bench_rtl bench_trace; do
	expect 0 "usage: $b" -- "$R/$b" --help
	usage_err "unknown option '--nope'" -- "$R/$b" --nope
done
usage_err "bad RECORDS '0': expected a whole number from 1" -- "$R/bench_trace" tests/traces/ls-usr-bin.lackey.gz 0
# --help on every program and script
for t in mmucfg mmuos mmuregress mmurun mmucourse; do
	expect 0 "usage: $t" -- "$BIN/$t" --help
done
for s in scripts/*.sh; do
	[ "$s" = scripts/testlib.sh ] && continue
	check "$s --help prints its description" test -n "$(bash "$s" --help 2>/dev/null)"
done
expect 0 'make fuzz' -- make --no-print-directory help
echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
