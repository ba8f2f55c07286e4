#!/bin/bash
# Self-check of the coverage flow (scripts/coverage.sh) without the
# instrumented models: two hand-written Verilator coverage files, one per
# "shard", with line, branch and toggle points of rtl/tlb.sv under two
# parameterisations.  Checks the per-module figures of each file alone and
# of their merge (a point counts as hit when any shard hit it), the lcov
# file, the HTML report, and the tool's usage errors.  Prints what it
# checked; exit 1 on a failure.
set -u
pass=0 fail=0
. "$(dirname "$0")/testlib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# point PAGE FILE LINE COL COMMENT COUNT: one coverage point.
point() {
	printf "C '\001f\002%s\001l\002%s\001n\002%s\001page\002%s\001o\002%s\001h\002mmu.mmu_top.u_tlb' %s\n" \
		"$2" "$3" "$4" "$1" "$5" "$6"
}
mkdir -p "$tmp/a" "$tmp/b"
{
	echo "# SystemC::Coverage-3"
	point v_line/tlb__S4 rtl/tlb.sv 120 3 block 3
	point v_branch/tlb__S4 rtl/tlb.sv 121 5 if 0
	point v_branch/tlb__S4 rtl/tlb.sv 121 6 else 5
	point v_line/tlb__S4 rtl/tlb.sv 125 7 case 0
	point v_toggle/tlb__S4 rtl/tlb.sv 110 4 'valid_q[0]' 1
	point v_toggle/tlb__S4 rtl/tlb.sv 110 4 'valid_q[1]' 0
	point v_toggle/psc__L3 rtl/psc.sv 90 4 'rr_q' 0
} > "$tmp/a/merged.dat"
{
	echo "# SystemC::Coverage-3"
	point v_line/tlb__S16 rtl/tlb.sv 120 3 block 0
	point v_branch/tlb__S16 rtl/tlb.sv 121 5 if 2
	point v_toggle/tlb__S16 rtl/tlb.sv 110 4 'valid_q[1]' 4
} > "$tmp/b/merged.dat"

# row TSV MODULE: the module's figures, hit/total per kind.
row() { awk -F'\t' -v m="$2" '$1 == m { printf "line %s/%s branch %s/%s toggle %s/%s", $2, $3, $5, $6, $8, $9 }' "$1"; }

out=$(bash scripts/coverage.sh --summary "$tmp/a/merged.dat" --out "$tmp/sa" 2>&1)
check "one shard: tlb figures" test "$(row "$tmp/sa/summary.tsv" tlb)" = "line 2/4 branch 1/3 toggle 1/2"
check "one shard: psc toggles" test "$(row "$tmp/sa/summary.tsv" psc)" = "line 0/0 branch 0/0 toggle 0/1"
check "one shard: printed table" test "$(grep -c '^tlb  *50.0%  *2/4' <<<"$out")" = "1"

out=$(bash scripts/coverage.sh --merge --out "$tmp/m" "$tmp/a" "$tmp/b" 2>&1)
check "merge of two shards: exit status" test "$?" = "0"
check "merge: a point hit in either shard is hit" test "$(row "$tmp/m/summary.tsv" tlb)" = "line 3/4 branch 2/3 toggle 2/2"
check "merge: total row" test "$(awk -F'\t' '$1 == "total" && $2 == 3 && $3 == 4 && $8 == 2 && $9 == 3' "$tmp/m/summary.tsv" | wc -l)" = "1"
check "merge: lcov file names the source" test "$(grep -c '^SF:rtl/tlb.sv' "$tmp/m/coverage.info")" = "1"
check "merge: HTML report" test "$([ -s "$tmp/m/html/index.html" ] && echo 1)" = "1"
check "merge: annotated sources" test "$([ -s "$tmp/m/annotated/tlb.sv" ] && echo 1)" = "1"

expect 2 "unknown option '--bogus'" -- bash scripts/coverage.sh --bogus
expect 2 'nothing/merged.dat missing' -- bash scripts/coverage.sh --merge --out "$tmp/x" "$tmp/nothing"
expect 2 'not built (make VARIANT=cov rtl-cov-tools)' -- bash scripts/coverage.sh --bin "$tmp/nobin" --out "$tmp/y"
expect 0 'usage: scripts/coverage.sh' -- bash scripts/coverage.sh --help

echo "coverage flow: $pass passed, $fail failed"
[ "$fail" = 0 ]
