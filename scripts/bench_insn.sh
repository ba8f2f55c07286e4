#!/bin/bash
# Instructions per access and per simulated cycle (callgrind), the figures
# that the machine's load does not move:
#   scripts/bench_insn.sh OUT_TSV DIR [DIR2 ...]
# For each built checkout DIR (make build done there; `.` is this one)
# bench/insn/insn_probe.c, taken from this checkout so that every side runs
# the same program, is compiled and linked against DIR's libraries
# (build/rel/lib), then run under valgrind --tool=callgrind, counting only
# the measured accesses (probe_measure) or the trace's replay
# (trace_replay):
#   golden, rtl, lockstep on the x86 hit stream (4 pages, INSN_N accesses)
#   and miss stream (4096 pages, INSN_N / 10 accesses), after the same
#   stream once as a warm-up; golden and lockstep replaying the first
#   INSN_RECORDS records of tests/traces/ls-usr-bin.lackey.gz (bench_trace's
#   replay).
# Rows (bench/bench.h's TSV, bench "insn", config "x86") go to OUT_TSV, one
# file per DIR: OUT_TSV with DIR's index before .tsv when several.
# Used by scripts/bench_compare.sh (INSN=1).
set -u
case ${1:-} in -h|--help|'') awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
out=$1
shift
N=${INSN_N:-100000}
RECORDS=${INSN_RECORDS:-30000}
TRACE=tests/traces/ls-usr-bin.lackey.gz
here=$(pwd)
command -v valgrind >/dev/null || { echo "bench_insn: valgrind is not installed" >&2; exit 1; }

# run_one TSV PROBE DIR LABEL TOGGLE ARGS...: one callgrind run, its rows
run_one() {
	local tsv=$1 probe=$2 dir=$3 label=$4 toggle=$5 cg ir line acc cyc
	shift 5
	cg=$(mktemp)
	line=$(cd "$dir" && valgrind --tool=callgrind --callgrind-out-file="$cg" \
		--collect-atstart=no --toggle-collect="$toggle" "$probe" "$@" 2>/dev/null |
		grep '^insn_probe:') || { echo "bench_insn: $label failed in $dir" >&2; rm -f "$cg"; return 1; }
	ir=$(awk '/^summary:/ { print $2 }' "$cg")
	rm -f "$cg"
	acc=$(sed -n 's/.*: \([0-9]*\) accesses, .*/\1/p' <<<"$line")
	cyc=$(sed -n 's/.* \([0-9]*\) cycles$/\1/p' <<<"$line")
	echo "bench_insn: $label: $ir instructions, $acc accesses, $cyc cycles" >&2
	printf 'insn\tx86\t%s: instructions/access\t%s\tinstructions\n' "$label" \
		"$(awk -v i="$ir" -v a="$acc" 'BEGIN { printf "%.1f", i / a }')" >>"$tsv"
	if [ "${cyc:-0}" -gt 0 ]; then
		printf 'insn\tx86\t%s: instructions/simulated cycle\t%s\tinstructions\n' "$label" \
			"$(awk -v i="$ir" -v c="$cyc" 'BEGIN { printf "%.1f", i / c }')" >>"$tsv"
	fi
}

k=0
ndirs=$#
for dir in "$@"; do
	k=$((k + 1))
	dir=$(cd "$dir" && pwd)
	tsv=$out
	[ "$ndirs" -gt 1 ] && tsv=${out%.tsv}-$k.tsv
	lib=$dir/build/rel/lib
	probe=$dir/build/rel/insn_probe
	[ -f "$lib/libmmurtl.a" ] || { echo "bench_insn: $dir is not built (make build)" >&2; exit 1; }
	# the probe uses only interfaces every revision since issue 15 has; its
	# libraries in any order (a group)
	${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g -I"$dir/sw" -I"$dir" \
		-o "$probe.o" -c "$here/bench/insn/insn_probe.c" ||
		{ echo "bench_insn: the probe does not compile against $dir" >&2; exit 1; }
	${CXX:-g++} -o "$probe" "$probe.o" -Wl,--start-group "$lib"/libmmu*.a -Wl,--end-group \
		-lz -pthread -latomic || { echo "bench_insn: the probe does not link against $dir" >&2; exit 1; }
	mkdir -p "$(dirname "$tsv")"
	echo -e "bench\tconfig\tfigure\tvalue\tunit" >"$tsv"
	for b in golden rtl lockstep; do
		run_one "$tsv" "$probe" "$dir" "$b, TLB-hit stream, 4 pages" probe_measure "$b" 4 "$N"
		run_one "$tsv" "$probe" "$dir" "$b, TLB-miss stream, 4096 pages" probe_measure "$b" 4096 $((N / 10))
	done
	for b in golden lockstep; do
		run_one "$tsv" "$probe" "$dir" "$b, trace replay ($RECORDS records)" trace_replay \
			"$b" trace "$TRACE" "$RECORDS"
	done
done
