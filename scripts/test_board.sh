#!/bin/bash
# The simulated board (docs/fpga.md) in lockstep through the real protocol
# path: board_sim (the Verilated board top, UART bit timing included) behind
# a pseudo-terminal, the `board` back end speaking to it.
#   scripts/test_board.sh [BIN_DIR] [SCENARIO...]
# 1. board_sim --selftest: well-formed and malformed frames straight into
#    the model, every answer checked (errors answered, never hung);
# 2. the back end's refusals (no device, a configuration the board is not);
# 3. the scenario suite with --backend lockstep:board --config board --mem
#    128K (the board's memory); a scenario sized for another memory
#    ('option mem': swap and OOM pressure that would take minutes of UART
#    traffic at 128 KiB) or that fails on the golden model alone with 128
#    KiB (it needs more: a real ELF) is listed as skipped, with the reason;
# 4. one mmuregress seed on lockstep:board.
# Logs in build/board/.  Last line: "board: N passed, M failed".
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
	sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"
	exit 0
fi
set -u
BIN=${1:-build/rel/bin}
shift $(( $# > 0 ? 1 : 0 ))
dir=build/board
mkdir -p "$dir"
. scripts/testlib.sh
pass=0 fail=0

echo "== board_sim --selftest"
if "$BIN/board_sim" --selftest | tee "$dir/selftest.log"; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL: board_sim --selftest"; fi

start_sim() {  # start_sim LOG: board_sim in the background, MMU_BOARD_DEVICE set
	rm -f "$dir/pty"
	"$BIN/board_sim" --name-file "$dir/pty" > "$1" 2>&1 &
	sim=$!
	trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null' EXIT
	for _ in $(seq 100); do [ -s "$dir/pty" ] && break; sleep 0.1; done
	if [ ! -s "$dir/pty" ]; then
		echo "FAIL: board_sim did not start"; cat "$1"
		echo "board: $pass passed, $((fail + 1)) failed"; exit 1
	fi
	export MMU_BOARD_DEVICE
	MMU_BOARD_DEVICE=$(cat "$dir/pty")
}
start_sim "$dir/board_sim.log"
echo "== the simulated board on $MMU_BOARD_DEVICE"

MMUOS=$BIN/mmuos
scn=tests/scenarios/brk.scn
expect 2 'board: cannot open /nonexistent' -- env MMU_BOARD_DEVICE=/nonexistent "$MMUOS" run --backend board --config board "$scn"
expect 2 'MMU_BOARD_BAUD must be a positive' -- env MMU_BOARD_BAUD=fast "$MMUOS" run --backend board --config board "$scn"
expect 2 'baud rate 12345' -- env MMU_BOARD_BAUD=12345 "$MMUOS" run --backend board --config board "$scn"
expect 2 "configuration 'fpga' differs" -- "$MMUOS" run --backend board --config fpga "$scn"
expect 2 'bytes of memory asked, the board has 2^17' -- "$MMUOS" run --backend board --config board --mem 1M "$scn"
expect 2 "unknown back end 'lockstep:nope'" -- "$MMUOS" run --backend lockstep:nope "$scn"

echo "== scenarios on lockstep:board (128 KiB)"
start=$(date +%s)
files=("$@")
[ ${#files[@]} = 0 ] && files=(tests/scenarios/*.scn)
skipped=""
for f in "${files[@]}"; do
	name=$(basename "$f" .scn)
	log=$dir/$name.log
	if grep -q '^option mem' "$f"; then
		skipped="$skipped $name"
		echo "  skip $name: sized for $(sed -n 's/^option mem //p' "$f") of memory"
		continue
	fi
	if ! "$MMUOS" run --quiet --config board --mem 128K "$f" >"$log.golden" 2>&1; then
		skipped="$skipped $name"
		echo "  skip $name: on the golden model alone with 128 KiB: $(grep -m1 -E 'FAIL|cannot' "$log.golden" | cut -c1-90)"
		continue
	fi
	"$MMUOS" run --backend lockstep:board --config board --mem 128K "$f" >"$log" 2>&1
	rc=$?
	summary=$(grep '^scenario ' "$log" | tail -1)
	if [ "$rc" = 0 ] && grep -q 'end: lockstep golden=board: .* memory and counters ok' "$log"; then
		pass=$((pass + 1)); echo "  PASS ${summary#scenario } ($(grep -o '[0-9]* calls ([0-9]* accesses)' "$log"))"
	else
		fail=$((fail + 1)); echo "  FAIL $name (exit $rc, log $log): ${summary#scenario }"
		grep -E 'FAIL|cannot run|error|mismatch' "$log" | head -10 | sed 's/^/    | /'
	fi
done
echo "  skipped (sized for, or needing, more than the board's 128 KiB):${skipped:- none}"
echo "scenarios on lockstep:board: $(( $(date +%s) - start )) s"

kill $sim 2>/dev/null; wait $sim 2>/dev/null
grep -E "stopped|assertion" "$dir/board_sim.log"
if grep -q "assertion" "$dir/board_sim.log"; then fail=$((fail + 1)); echo "FAIL: an RTL assertion failed"; fi

# A random seed on a fresh simulated board; the bytes that crossed its UART
# give the protocol's throughput at the real board's 115200 baud.
echo "== mmuregress on lockstep:board"
start_sim "$dir/board_sim-regress.log"
out=$("$BIN/mmuregress" --backend lockstep:board --config board --seed 7 --ops 400 2>&1)
rc=$?
kill $sim 2>/dev/null; wait $sim 2>/dev/null; trap - EXIT
echo "$out" | grep -E "^board|^regress"
if [ "$rc" = 0 ] && grep -q "regress: 1 passed, 0 failed" <<<"$out"; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL: mmuregress seed 7 on lockstep:board"; echo "$out" | tail -20; fi
if grep -q "assertion" "$dir/board_sim-regress.log"; then fail=$((fail + 1)); echo "FAIL: an RTL assertion failed"; fi
# What each kind of frame cost on the simulated UART; an ACCESS's bytes at
# the real board's 115200 baud (10 bits a byte) give its throughput.
grep -E "^board_sim: +[A-Z_]+ +[0-9]+ frames" "$dir/board_sim-regress.log"
awk '/board_sim: +ACCESS / { printf "board: ACCESS frames average %.1f bytes: %.0f accesses/s at 115200 baud (measured bytes, seed 7)\n", $NF == "frame" ? $(NF-3) : 0, 11520 / $(NF-3) }' "$dir/board_sim-regress.log"
echo "board: $pass passed, $fail failed"
[ "$fail" = 0 ]
