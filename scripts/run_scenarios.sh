#!/bin/bash
# Run the scenario suite (tests/scenarios/*.scn) with mmuos on one back end.
#   [J=N] scripts/run_scenarios.sh [golden|lockstep|rtl|systemc] [BIN_DIR]
# J scenarios run at a time (default: the machine's cores); what is printed
# is the same for any J, in the suite's order, but for the time taken.
# Each scenario's full output goes to build/scenarios/<backend>/NAME.log; a
# failing one shows its FAIL lines here.  First the runner's own checks
# (tests/scenarios/selftest: failures reported with exit 1, malformed files
# with file:line:col and exit 2, usage errors with exit 2).  Last line:
#   scenarios: N passed, M failed
# Exit status 0 only when everything passed.
case ${1:-} in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
set -u
backend=${1:-golden}
BIN=${2:-build/rel/bin}
MMUOS=$BIN/mmuos
logdir=build/scenarios/$backend
J=${J:-$(nproc 2>/dev/null || echo 1)}
case $J in ''|*[!0-9]*|0) echo "run_scenarios: bad J '$J' (want a number of processes >= 1)" >&2; exit 2;; esac

if [ ! -x "$MMUOS" ]; then
	echo "run_scenarios: $MMUOS not built (make build)" >&2
	echo "scenarios: 0 passed, 1 failed"
	exit 1
fi
mkdir -p "$logdir"
# the back end must exist in this build (rtl: once sim/ is wired in)
probe=$("$MMUOS" run --quiet --backend "$backend" /dev/null 2>&1)
if [ $? != 0 ]; then
	echo "run_scenarios: $probe" >&2
	echo "scenarios: 0 passed, 1 failed"
	exit 1
fi

# ---- the runner's own behaviour ------------------------------------------
cli_pass=0 cli_fail=0
expect() {  # expect WANT_RC PATTERN -- command...
	local want=$1 pat=$2; shift 3
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" <<<"$out"; then
		cli_pass=$((cli_pass + 1))
	else
		cli_fail=$((cli_fail + 1))
		echo "  FAIL: $* -> rc=$rc (want $want, /$pat/)"
		sed 's/^/    | /' <<<"$out" | head -20
	fi
}
st=tests/scenarios/selftest
expect 0 'usage: mmuos run'                 -- "$MMUOS" --help
expect 2 'usage: mmuos run'                 -- "$MMUOS"
expect 2 "unknown command 'frob'"           -- "$MMUOS" frob
expect 2 "unknown option '--bogus'"         -- "$MMUOS" run --bogus x.scn
expect 2 'no scenario file given'           -- "$MMUOS" run
expect 2 '--mem needs a value'              -- "$MMUOS" run x.scn --mem
expect 2 "bad --mem 'lots'"                 -- "$MMUOS" run x.scn --mem lots
expect 2 "bad --swap '-1'"                  -- "$MMUOS" run x.scn --swap -1
expect 2 "unknown back end 'nope'"          -- "$MMUOS" run x.scn --backend nope
expect 2 'unknown configuration'            -- "$MMUOS" run x.scn --config nosuch
expect 2 "unknown key 'bogus'"              -- "$MMUOS" run x.scn --set bogus=1
expect 2 "bad --set 'tlb_ways'"             -- "$MMUOS" run x.scn --set tlb_ways
expect 2 'nosuch.scn: cannot open'          -- "$MMUOS" run "$st/nosuch.scn"
expect 2 'malformed.scn:3:23: unknown symbol .PROT_WRTE. (did you mean PROT_WRITE?)' -- "$MMUOS" run "$st/malformed.scn"
expect 2 'malformed.scn:4:6: expected an access size'     -- "$MMUOS" parse "$st/malformed.scn"
expect 2 "malformed.scn:5:9: variable '\$nope' is used before" -- "$MMUOS" parse "$st/malformed.scn"
expect 2 'malformed.scn:6:22: unknown errno .EINVL. (did you mean EINVAL?)' -- "$MMUOS" parse "$st/malformed.scn"
expect 2 'malformed.scn:7: the repeat block opened here is not closed' -- "$MMUOS" parse "$st/malformed.scn"
expect 2 "badcounter.scn:3:15: unknown counter 'swap_outz' (did you mean swap_outs?)" -- "$MMUOS" parse "$st/badcounter.scn"
expect 2 "badcounter.scn:4:14: unknown counter 'mmu_tlb_mises' (did you mean mmu_tlb_misses?)" -- "$MMUOS" parse "$st/badcounter.scn"
expect 1 "5: munmap 0x100000001 4096 = -EINVAL FAIL (unexpected: the line expects nothing; add 'expect -EINVAL')" -- "$MMUOS" run "$st/unexpected.scn"
expect 1 "6: load 8 0x100000000 = SIGSEGV FAIL (unexpected: the line expects nothing; add 'expect SIGSEGV'; got SIGSEGV (SEGV_MAPERR)" -- "$MMUOS" run "$st/unexpected.scn"
expect 1 'scenario unexpected: 7 steps, 1 checks passed, 2 failed' -- "$MMUOS" run "$st/unexpected.scn"
expect 0 'parse: 1 file ok'                 -- "$MMUOS" parse tests/scenarios/mmap_anon.scn
expect 1 'scenario fails: 10 steps, [01] checks passed, 8 failed' -- "$MMUOS" run --backend "$backend" "$st/fails.scn"
expect 1 '5: $a = mmap 0x100000000 4096 PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS = 0x100000000 FAIL (expected 0x100001000)' -- "$MMUOS" run "$st/fails.scn"
expect 1 '7: load 8 0x100001000 = SIGSEGV FAIL (expected 0x0; got SIGSEGV (SEGV_MAPERR) at 0x100001000, error code U)' -- "$MMUOS" run "$st/fails.scn"
expect 1 '    + got:  100000000-100001000 rw-p'  -- "$MMUOS" run "$st/fails.scn"
expect 1 '^scenario fails: .* 8 failed$'   -- "$MMUOS" run --quiet "$st/fails.scn"
expect 1 'scenarios: 1 passed, 1 failed'    -- "$MMUOS" run --quiet tests/scenarios/mmap_anon.scn "$st/fails.scn"
expect 1 '4: load FAIL (division by zero)' -- "$MMUOS" run "$st/runtime_error.scn"
expect 1 'scenario runtime_error: 3 steps, 0 checks passed, 1 failed' -- "$MMUOS" run "$st/runtime_error.scn"
expect 2 'cannot run: os: configuration csapp' -- "$MMUOS" run --config csapp tests/scenarios/mmap_anon.scn
# limits: each named where it was hit; 'none' and bad values
expect 0 '--max-steps N' -- "$MMUOS" --help
expect 1 'limits.scn:5:3: step budget exceeded (--max-steps 100000)' -- "$MMUOS" run --max-steps 100000 "$st/limits.scn"
expect 1 'limits.scn:5:3: step budget exceeded (--max-steps 10000000)' -- "$MMUOS" run --quiet "$st/limits.scn"
# Under load the budget may run out on any line: the line is not part of the check.
expect 1 'limits.scn:[0-9]*:[0-9]*: time budget exceeded (--max-time 0.01)' -- "$MMUOS" run --max-steps none --max-time 0.01 "$st/limits.scn"
expect 1 "escape.scn:5:12: host path '../escape.scn' is outside the files folder (--allow-path allows it)" -- "$MMUOS" run "$st/escape.scn"
expect 0 "5: \$fd = open ../escape.scn O_RDONLY = -ENOENT" -- "$MMUOS" run --files "$st" --allow-path tests/scenarios "$st/escape.scn"
expect 1 'bigfile.scn:2:17: file size cap exceeded (--max-file-size 64M)' -- "$MMUOS" run "$st/bigfile.scn"
expect 1 'bigfile.scn:2:17: file size cap exceeded (--max-file-size 1M)' -- "$MMUOS" run --max-file-size 1M "$st/bigfile.scn"
expect 2 'malformed.scn: parse memory cap exceeded (--max-parse-mem 1K)' -- "$MMUOS" parse --max-parse-mem 1K "$st/malformed.scn"
expect 2 "bad --max-steps '0': expected a number of steps" -- "$MMUOS" run --max-steps 0 x.scn
expect 2 "bad --max-time 'soon'"            -- "$MMUOS" run --max-time soon x.scn
expect 2 "bad --max-file-size '-1'"         -- "$MMUOS" run --max-file-size -1 x.scn
expect 2 '--allow-path needs a value'       -- "$MMUOS" run x.scn --allow-path
expect 2 "unknown option '--max-fun'"       -- "$MMUOS" run --max-fun 1 x.scn
tmp=$(mktemp -d)
expect 0 'scenario mmap_file: .* 0 failed'  -- "$MMUOS" run --files "$tmp" tests/scenarios/mmap_file.scn
if [ -f "$tmp/data" ]; then cli_pass=$((cli_pass + 1)); else cli_fail=$((cli_fail + 1)); echo "  FAIL: --files kept no file"; fi
rm -rf "$tmp"
echo "mmuos-cli: $cli_pass passed, $cli_fail failed"

# ---- the suite -------------------------------------------------------------
pass=0 fail=0
start=$(date +%s)
rcdir=$(mktemp -d)
trap 'rm -rf "$rcdir"' EXIT
run_one() {  # run_one FILE NAME: its log, its exit status in $rcdir/NAME
	"$MMUOS" run --backend "$backend" "$1" >"$logdir/$2.log" 2>&1
	echo $? >"$rcdir/$2"
}
running=0
for f in tests/scenarios/*.scn; do
	if [ "$J" = 1 ]; then run_one "$f" "$(basename "$f" .scn)"; continue; fi
	run_one "$f" "$(basename "$f" .scn)" &
	running=$((running + 1))
	if [ "$running" -ge "$J" ]; then wait -n; running=$((running - 1)); fi
done
wait
for f in tests/scenarios/*.scn; do
	name=$(basename "$f" .scn)
	log=$logdir/$name.log
	rc=$(cat "$rcdir/$name" 2>/dev/null || echo lost)
	summary=$(grep '^scenario ' "$log" | tail -1)
	if [ "$rc" = 0 ]; then
		pass=$((pass + 1))
		echo "  PASS ${summary#scenario }"
	else
		fail=$((fail + 1))
		echo "  FAIL $name (exit $rc, log $log): ${summary#scenario }"
		grep -E 'FAIL|cannot run|error' "$log" | head -10 | sed 's/^/    | /'
	fi
done
echo "scenarios on $backend: $(( $(date +%s) - start )) s, $J at a time, logs in $logdir"
[ "$cli_fail" = 0 ] || fail=$((fail + 1))
echo "scenarios: $pass passed, $fail failed"
[ "$fail" = 0 ]
