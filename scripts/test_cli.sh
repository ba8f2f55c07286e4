#!/bin/bash
# Command-line checks: the tools reject bad input with a clear message and a
# non-zero exit, and accept good input.  Prints what it checked.
set -u
BIN=${1:-build/rel/bin}
pass=0 fail=0

expect() {  # expect WANT_RC PATTERN -- command...
	local want=$1 pat=$2; shift 3
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" <<<"$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $* -> rc=$rc (want $want), output: $out"
	fi
}

expect 0 'name = x86'          -- "$BIN/mmucfg" x86
expect 0 'TLBT 6 | TLBI 2'      -- "$BIN/mmucfg" csapp --fields
expect 0 'MMU_L1_SETS'          -- "$BIN/mmucfg" fpga --verilog
expect 0 '-GTLB_WAYS=4'         -- "$BIN/mmucfg" x86 --verilator-flags
expect 1 'unknown configuration' -- "$BIN/mmucfg" nosuch
expect 1 'l1_sets.*alias'       -- "$BIN/mmucfg" x86 --set l1_sets=128
expect 1 'tlb_ways = 3 is not a power of two' -- "$BIN/mmucfg" x86 --set tlb_ways=3
expect 1 "unknown key 'bogus'"  -- "$BIN/mmucfg" x86 --set bogus=1
expect 2 'usage'                -- "$BIN/mmucfg" x86 --frobnicate
tmp=$(mktemp -d)
printf 'name = bad\ncanonical = sign\nva_bits = 48\n' >"$tmp/bad.cfg"
expect 1 "bad.cfg: missing key 'pa_bits'" -- "$BIN/mmucfg" "$tmp/bad.cfg"
"$BIN/mmucfg" x86 | sed 's/^name .*/name = mine/' >"$tmp/mine.cfg"
expect 0 'name = mine'          -- "$BIN/mmucfg" "$tmp/mine.cfg"
rm -rf "$tmp"
expect 2 'usage'                -- "$BIN/mmuregress" --bogus
expect 2 'unknown configuration' -- "$BIN/mmuregress" --config nosuch
expect 0 'regress: 1 passed, 0 failed' -- "$BIN/mmuregress" --config csapp --seed 7 --ops 20000

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
