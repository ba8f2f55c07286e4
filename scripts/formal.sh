#!/bin/bash
# Bounded model checking of the RTL's properties (formal/README.md).
#   scripts/formal.sh [--quick] [--only PROPERTY] [--out DIR] [--gen DIR]
# For each `prove` row of formal/properties.tsv: Yosys 0.23 reads rtl/*.sv
# and the harness formal/<harness>.sv (read_verilog -formal -sv), keeps that
# one assertion, writes SMT-LIB2, and yosys-smtbmc (z3) checks it from reset
# to the row's depth.  Each `mutant` row then applies its text substitution
# to a copy of one RTL file and the same property must FAIL on it: a proof
# that cannot fail (vacuous assumptions, an assertion that never fires)
# shows up as a surviving mutant.  --quick: the properties marked quick and
# their mutants only (make test).
# Last line: "formal: N proved, M mutants killed, K failed"; exit 1 on any
# failure, 2 on bad usage.  Per-check results: DIR/summary.tsv.
set -u
quick=0 only="" out=build/formal gen=build/rel/rtl
usage() { echo "usage: scripts/formal.sh [--quick] [--only PROPERTY] [--out DIR] [--gen DIR]"; }
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--only) [ $# -ge 2 ] || { echo "formal: --only needs a value" >&2; exit 2; }; only=$2; shift ;;
	--out) [ $# -ge 2 ] || { echo "formal: --out needs a value" >&2; exit 2; }; out=$2; shift ;;
	--gen) [ $# -ge 2 ] || { echo "formal: --gen needs a value" >&2; exit 2; }; gen=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "formal: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done
manifest=formal/properties.tsv
for f in "$manifest" "$gen/mmu_defs.vh" "$gen/x86/mmu_cfg.vh"; do
	[ -f "$f" ] || { echo "formal: $f missing (make VARIANT=rel rtl-lint builds the headers)" >&2; exit 2; }
done
for t in yosys yosys-smtbmc z3; do
	command -v $t >/dev/null || { echo "formal: $t not installed (make deps)" >&2; exit 2; }
done
mkdir -p "$out"
summary=$out/summary.tsv
printf 'kind\tharness\tproperty\tdepth\tresult\tstep\tseconds\tcpu_seconds\tmutation\n' > "$summary"
proved=0 killed=0 failed=0

# smt2 HARNESS PROPERTY RTLDIR FILE: the harness with only PROPERTY asserted.
# The generated headers of the x86 configuration supply the entry format
# (ptw); every parameter that matters is set by the harness.
# A harness may ask for more passes after prep with a line
# "// formal-prep: COMMANDS" (l1_cache_fpv: memory_map, which yosys-smtbmc
# needs for its one-word line buffer and which makes that proof faster).
smt2() {
	local h=$1 p=$2 rtl=$3 f=$4 extra
	extra=$(sed -n 's|^// formal-prep: ||p' "formal/$h.sv")
	yosys -q -l "$f.yosys.log" -p "read_verilog -formal -sv -DSYNTHESIS -I$rtl -I$gen -I$gen/x86 \
	  $rtl/*.sv formal/$h.sv; prep -top $h; ${extra:+$extra;} \
	  select -assert-count 1 $h/$p; \
	  chformal -assert -remove $h/t:\$assert $h/$p %d; chformal -cover -remove; \
	  async2sync; chformal -assume -early; opt_clean; setundef -anyseq; opt -keepdc -fast; \
	  dffunmap; write_smt2 -wires $f" > /dev/null 2>&1
}

# bmc FILE DEPTH: runs yosys-smtbmc; sets $status (PASSED, FAILED, ERROR),
# $step (the step of a failure) and $secs.
# $cpu: the solver's processor time (what the figures in docs quote: on a
# shared machine the elapsed time also counts the wait for a core).
bmc() {
	local f=$1 d=$2 TIMEFORMAT='%R %U %S' wall usr sys
	{ time yosys-smtbmc -s z3 --unroll --presat --noprogress -t "$d" "$f" > "$f.bmc.log" 2>&1; } 2> "$f.time"
	read -r wall usr sys < "$f.time"
	secs=$(awk -v a="$wall" 'BEGIN { printf "%.1f", a }')
	cpu=$(awk -v a="$usr" -v b="$sys" 'BEGIN { printf "%.1f", a + b }')
	status=$(sed -n 's/.*Status: \([A-Z]*\).*/\1/p' "$f.bmc.log" | tail -1)
	[ -n "$status" ] || status=ERROR
	step=$(sed -n 's/.*Checking assertions in step \([0-9]*\).*/\1/p' "$f.bmc.log" | tail -1)
	if grep -q "Assumptions are unsatisfiable" "$f.bmc.log"; then status=VACUOUS; fi
}

# --quick: the properties marked quick, and their mutants.
quick_props=" $(awk -F'\t' '$1 == "prove" && $5 == "quick" { printf "%s/%s ", $2, $3 }' "$manifest")"

n=0
while IFS=$'\t' read -r kind h p d q_or_file from to; do
	case $kind in ''|'#'*) continue ;; esac
	[ -z "$only" ] || [ "$p" = "$only" ] || continue
	n=$((n + 1))
	work=$out/$h
	mkdir -p "$work"
	if [ "$kind" = prove ]; then
		[ $quick = 0 ] || [ "$q_or_file" = quick ] || continue
		f=$work/$p.smt2
		if ! smt2 "$h" "$p" rtl "$f"; then
			echo "  ERROR  $h $p: yosys failed ($f.yosys.log)"; failed=$((failed + 1)); continue
		fi
		bmc "$f" "$d"
		if [ "$status" = PASSED ]; then
			proved=$((proved + 1))
			printf '  proved  %-16s %-22s depth %3s  %6s s (cpu %s s)\n' "$h" "$p" "$d" "$secs" "$cpu"
		else
			failed=$((failed + 1))
			printf '  FAIL    %-16s %-22s depth %3s  %s at step %s (%s)\n' "$h" "$p" "$d" "$status" "$step" "$f.bmc.log"
		fi
		printf 'prove\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t-\n' "$h" "$p" "$d" "$status" "${step:-}" "$secs" "$cpu" >> "$summary"
	elif [ "$kind" = mutant ]; then
		[ $quick = 0 ] || [[ $quick_props == *" $h/$p "* ]] || continue
		mdir=$work/mut-$p-$n
		rm -rf "$mdir" && mkdir -p "$mdir/rtl" && cp rtl/*.sv rtl/*.svh "$mdir/rtl/"
		hits=$(grep -cF -- "$from" "rtl/$q_or_file")
		if [ "$hits" != 1 ]; then
			echo "  ERROR  mutant of $p: '$from' occurs $hits times in rtl/$q_or_file (must be once)"
			failed=$((failed + 1)); continue
		fi
		FROM=$from TO=$to perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$mdir/rtl/$q_or_file"
		f=$mdir/$p.smt2
		if ! smt2 "$h" "$p" "$mdir/rtl" "$f"; then
			echo "  ERROR  mutant of $h $p: yosys failed ($f.yosys.log)"; failed=$((failed + 1)); continue
		fi
		bmc "$f" "$d"
		if [ "$status" = FAILED ]; then
			killed=$((killed + 1))
			printf '  killed  %-16s %-22s step  %3s  %6s s (cpu %s s)  %s: %s -> %s\n' "$h" "$p" "$step" "$secs" "$cpu" "$q_or_file" "$from" "$to"
		else
			failed=$((failed + 1))
			printf '  SURVIVED %-15s %-22s %s  %s: %s -> %s (%s)\n' "$h" "$p" "$status" "$q_or_file" "$from" "$to" "$f.bmc.log"
		fi
		printf 'mutant\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s: %s -> %s\n' "$h" "$p" "$d" "$status" "${step:-}" "$secs" "$cpu" \
			"$q_or_file" "$from" "$to" >> "$summary"
	else
		echo "formal: $manifest: unknown row kind '$kind'" >&2; exit 2
	fi
done < "$manifest"

if [ -n "$only" ] && [ $n = 0 ]; then
	echo "formal: no property '$only' in $manifest" >&2; exit 2
fi
echo "formal: $proved proved, $killed mutants killed, $failed failed"
[ $failed = 0 ]
