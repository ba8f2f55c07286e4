#!/bin/bash
# Failure reports, waves and shrinking on every tool that takes --backend
# (docs/verification.md): against a DUT with a broken rule (--inject-rule),
# mmuregress, mmurun, mmuos run, mmuos replay and mmucourse report the
# mismatch with both outcomes, where (seed or FILE:LINE), the step, the
# re-run command and, with --wave, an FST that fst2vcd reads, whose last
# time stamp is the cycle the report names; the re-run command reproduces
# the report; mmuos --shrink reduces a scenario and a trace to files that
# fail the same way with the rule broken and pass without it.
# Usage: scripts/test_failures.sh [BIN]   (default build/rel/bin)
case ${1:-} in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
set -u
BIN=$(cd "${1:-build/rel/bin}" && pwd)
ROOT=$(pwd)
pass=0 fail=0

. "$(dirname "$0")/testlib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

# The report of a run (its output in $1): a wave line whose file fst2vcd
# reads and ends at the time stamp the report names, and the cycle.
wave_ok() {  # wave_ok WHAT OUTPUT_FILE
	local what=$1 out=$2 line path time last
	line=$(grep -m1 'wave: .*(mismatch at cycle [0-9]*, time [0-9]* in the wave)' "$out")
	path=$(sed 's/^ *wave: \(.*\) (mismatch.*/\1/' <<<"$line")
	time=$(sed 's/.*, time \([0-9]*\) in the wave.*/\1/' <<<"$line")
	check "$what: the report names the wave file and the cycle" test -n "$line"
	check "$what: the wave file $path exists" test -s "$path"
	last=$(fst2vcd -f "$path" 2>/dev/null | sed -n 's/^#\([0-9]*\)$/\1/p' | tail -1)
	check "$what: fst2vcd reads $path, up to time $time (last $last)" test -n "$last" -a "$last" = "$time"
}

# Every part of the report, and the re-run command reproducing its first line.
report_ok() {  # report_ok WHAT OUTPUT_FILE WHERE-PATTERN
	local what=$1 out=$2 where=$3 cmd first again
	for pat in 'differs (ref #PF, dut ok)' 'ref (golden):' 'dut (rtl+injected):' "$where" '^ *step: [0-9]' '^ *re-run: '; do
		check "$what: the report has '$pat'" grep -q -- "$pat" "$out"
	done
	cmd=$(sed -n 's/^ *re-run: //p' "$out" | head -1)
	first=$(grep -m1 '^ *lockstep mismatch at' "$out" | sed 's/^ *//')
	again=$(eval "$cmd" 2>&1 | grep -m1 '^ *lockstep mismatch at' | sed 's/^ *//')
	check "$what: the re-run command reproduces '$first'" test -n "$first" -a "$first" = "$again"
}

# mmuregress: a seed
"$BIN/mmuregress" --config x86 --seed 2 --ops 20000 --inject-rule no-wp --wave --logdir "$tmp/seed" >seed.out 2>&1
check "mmuregress: exit 1 on the mismatch" test $? = 1
report_ok mmuregress seed.out 'seed: 2 (config x86)'
wave_ok mmuregress seed.out

# mmuos run: a scenario (FILE:LINE), and its shrinking
scn=$ROOT/tests/scenarios/mmap_anon.scn
"$BIN/mmuos" run "$scn" --backend lockstep --inject-rule no-invlpg --quiet --wave --shrink "$tmp/min.scn" >scn.out 2>&1
check "mmuos run: exit 1 on the mismatch" test $? = 1
report_ok "mmuos run" scn.out "scenario: $scn:36"
wave_ok "mmuos run" scn.out
expect 0 'shrunk from 35 lines (29 statements, failing at step 26) to 6 lines (6 statements, step 6)' -- cat scn.out
expect 1 'status differs (ref #PF, dut ok)' -- "$BIN/mmuos" run min.scn --backend lockstep --inject-rule no-invlpg --quiet
expect 0 'scenario min: 6 steps, 4 checks passed, 0 failed' -- "$BIN/mmuos" run min.scn --backend lockstep --quiet

# mmuos replay: a trace (FILE:LINE of the record), and its shrinking
for p in 0 1; do for i in $(seq 0 19); do printf ' S %x,8\n' $((0x10000000 + i * 4096)); done; done >syn.lackey
"$BIN/mmuos" replay syn.lackey --backend lockstep --inject-rule no-invlpg --wave --shrink "$tmp/min.lackey" >trace.out 2>&1
check "mmuos replay: exit 1 on the mismatch" test $? = 1
report_ok "mmuos replay" trace.out 'trace: syn.lackey:40'
wave_ok "mmuos replay" trace.out
expect 0 'shrunk from 40 records (failing at piece 40) to 2[0-9] records' -- cat trace.out
expect 1 'status differs (ref #PF, dut ok)' -- "$BIN/mmuos" replay min.lackey --backend lockstep --inject-rule no-invlpg
expect 0 'lockstep checks: PASS' -- "$BIN/mmuos" replay min.lackey --backend lockstep

# mmurun: the same scenario among its workloads, the report in the table's
# failures with the mmuos command that re-runs it alone
mkdir -p scn && cp "$scn" scn/
"$BIN/mmurun" --scenarios scn --no-seeds --no-traces --no-sweeps --wave --inject-rule no-invlpg --out "$tmp/run" -j 1 >run.out 2>&1
check "mmurun: exit 1 on the mismatch" test $? = 1
report_ok mmurun run.out "scenario: scn/mmap_anon.scn:36"
wave_ok mmurun run.out

# mmucourse: an exercise (FILE:LINE of the access)
printf 'config csapp\ntitle supervisor store to a read-only page\nptbr 0x700\ncr0 0x80010001\npte 0x0F ppn=0x0D valid=1 rw=0\nload 0x03D4 supervisor\nstore 0x03D4 data=0x5 supervisor\n' >wp.ex
"$BIN/mmucourse" run wp.ex --backend lockstep --quiet --wave --inject-rule no-wp >course.out 2>&1
check "mmucourse: exit 2 on the mismatch" test $? = 2
report_ok mmucourse course.out 'exercise: wp.ex:7'
wave_ok mmucourse course.out

# usage errors
expect 2 'needs --backend lockstep' -- "$BIN/mmuos" run "$scn" --inject-rule no-wp
expect 2 "bad --inject-rule 'bogus'" -- "$BIN/mmuos" run "$scn" --backend lockstep --inject-rule bogus
expect 2 'one scenario at a time' -- "$BIN/mmuos" run "$scn" "$scn" --shrink x.scn
expect 2 "not an option of 'replay'" -- "$BIN/mmuos" replay syn.lackey --max-steps 5
expect 2 'needs --backend lockstep' -- "$BIN/mmurun" --inject-rule no-wp --backend golden
expect 2 'needs --backend lockstep' -- "$BIN/mmucourse" run wp.ex --inject-rule no-wp

echo "failures: $pass passed, $fail failed"
[ "$fail" = 0 ]
