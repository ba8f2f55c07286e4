#!/bin/bash
# Self-check of the mutation flow (scripts/mutate.py, make test): the
# tool's usage errors, the generator (a reproducible draw, a known mutant's
# description, every id of the equivalence file still generated), then a
# slice run on the smoke set: MUTATE_KILL (mutants that must be killed) and
# MUTATE_SURVIVE (a known-equivalent mutant that must survive), so that a
# flow that kills everything or nothing fails.  Prints what it checked; exit
# 1 on a failure.
set -u
pass=0 fail=0
. "$(dirname "$0")/testlib.sh"
M="python3 scripts/mutate.py"
eqf=tests/rtl/mutants-equivalent.tsv
# ptw: the reserved-bit check negated; mmu_perm: every user access refused.
MUTATE_KILL=${MUTATE_KILL:-ptw-b5634034,mmu_perm-1247bf61}
# tlb: the entry word's default when nothing is written (never stored).
MUTATE_SURVIVE=${MUTATE_SURVIVE:-tlb-322bcd4c}

expect 0 'usage: scripts/mutate.py'      -- $M --help
expect 2 "unknown option --bogus"        -- $M --bogus
expect 2 "want ID=killed"                -- $M --expect x=dead
expect 2 "no mutant 'nosuch-1'"          -- $M --only nosuch-1 --list
expect 2 "want numbers"                  -- $M --mutants -3 --list
expect 0 "mutate: 5 of [0-9]* mutants (seed 7)" -- $M --list --mutants 5 --seed 7
check "the same seed draws the same mutants" \
	cmp <($M --list --mutants 20 --seed 7) <($M --list --mutants 20 --seed 7)
check "another seed draws other mutants" \
	bash -c "! cmp -s <($M --list --mutants 20 --seed 7) <($M --list --mutants 20 --seed 8)"
expect 0 "tlb-322bcd4c	tlb.sv:[0-9]*:[0-9]* const ''0' -> ''1'" -- $M --list --only tlb-322bcd4c
# Every mutant the equivalence file names is still generated (else the
# RTL changed under it: judge it again).
ids=$(awk -F'\t' '!/^#/ && NF { printf "%s%s", s, $1; s="," }' "$eqf")
expect 0 "mutants (seed" -- $M --list --only "$ids"

out=build/mutate-test
mkdir -p "$out"
want="$(echo "$MUTATE_KILL" | sed 's/,/=killed,/g; s/$/=killed/'),$MUTATE_SURVIVE=survived"
$M --set smoke --out "$out" -j "${J:-2}" --expect "$want" > "$out/run.log" 2>&1
rc=$?
grep -E '^  (\[|unmutated|ok|FAIL)|^score|^mutants:' "$out/run.log"
check "the slice: each mutant as expected (exit $rc, $out/run.log)" test "$rc" = 0
check "the slice's report counts 2 killed and 1 equivalent" \
	grep -q "killed 2, survived 0, equivalent 1, invalid 0, timeout 0" "$out/summary.txt"
echo "test_mutate: $pass passed, $fail failed (mutant results: $out/results.tsv)"
[ "$fail" = 0 ]
