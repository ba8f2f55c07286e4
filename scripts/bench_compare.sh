#!/bin/bash
# Two checkouts' benchmarks side by side, in one run:
#   scripts/bench_compare.sh REV_A REV_B [ROUNDS]
# Each revision is checked out with `git worktree` into
# build/bench-compare/<rev> (kept for the next comparison) and built there
# (make build); then every benchmark both have runs ROUNDS times (default
# 2), A and B interleaved (A B, then B A, ...), so that the machine's load
# falls on both alike.  Each run writes its figures as TSV (bench/bench.h);
# the table gives, per figure, A's and B's mean over the rounds and B/A.
# The runs' output and TSV files are in build/bench-compare/run/.
# INSN=1 (environment): then callgrind's instruction counts of both
# (scripts/bench_insn.sh, bench "insn"), in the same table.
set -u
case ${1:-} in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
A=${1:-} B=${2:-} ROUNDS=${3:-2}
if [ -z "$A" ] || [ -z "$B" ]; then
	echo "usage: make bench-compare A=<rev> B=<rev> [ROUNDS=N]" >&2
	exit 2
fi
case $ROUNDS in ''|*[!0-9]*|0) echo "bench-compare: bad ROUNDS '$ROUNDS'" >&2; exit 2;; esac
# each revision resolved once, here: HEAD may move while this runs
shaA=$(git rev-parse --verify --quiet "$A^{commit}") ||
	{ echo "bench-compare: unknown revision '$A'" >&2; exit 2; }
shaB=$(git rev-parse --verify --quiet "$B^{commit}") ||
	{ echo "bench-compare: unknown revision '$B'" >&2; exit 2; }
top=$(pwd)/build/bench-compare
out=$top/run
rm -rf "$out"
mkdir -p "$out"

checkout() {  # checkout REV SHA: its worktree's path on stdout, built
	local rev=$1 sha=$2 dir
	dir=$top/${sha:0:12}
	if [ ! -d "$dir" ]; then
		git worktree add --detach "$dir" "$sha" >&2 || return 1
	fi
	echo "bench-compare: building $rev (${sha:0:12}) in $dir" >&2
	# a make of its own: not the A= and B= of `make bench-compare`
	env -u MAKEFLAGS -u MAKEOVERRIDES -u MFLAGS -u MAKELEVEL \
		make -C "$dir" --no-print-directory -j2 build >"$out/build-${sha:0:12}.log" 2>&1 ||
		{ echo "bench-compare: the build of $rev failed: $out/build-${sha:0:12}.log" >&2; return 1; }
	echo "$dir"
}
dirA=$(checkout "$A" "$shaA") || exit 1
dirB=$(checkout "$B" "$shaB") || exit 1

benches=$(comm -12 <(ls "$dirA/build/rel/bench" 2>/dev/null | sort) \
		   <(ls "$dirB/build/rel/bench" 2>/dev/null | sort))
[ -n "$benches" ] || { echo "bench-compare: no benchmark in both" >&2; exit 1; }
for r in $(seq "$ROUNDS"); do
	order="A B"
	[ $((r % 2)) = 0 ] && order="B A"
	for b in $benches; do
		for side in $order; do
			dir=$dirA; [ "$side" = B ] && dir=$dirB
			echo "bench-compare: round $r/$ROUNDS, $b, $side" >&2
			(cd "$dir" && BENCH_TSV_DIR="$out/$side/$r" "build/rel/bench/$b" \
				>"$out/$side-$r-$b.out" 2>&1) ||
				echo "bench-compare: $side's $b failed (see $out/$side-$r-$b.out)" >&2
		done
	done
done
if [ "${INSN:-}" = 1 ]; then
	for side in A B; do
		dir=$dirA; [ "$side" = B ] && dir=$dirB
		echo "bench-compare: callgrind instruction counts, $side" >&2
		bash scripts/bench_insn.sh "$out/$side/insn/insn.tsv" "$dir" ||
			echo "bench-compare: $side's instruction counts failed" >&2
	done
fi
for side in A B; do
	if ! ls "$out/$side"/*/*.tsv >/dev/null 2>&1; then
		rev=$A; [ "$side" = B ] && rev=$B
		echo "bench-compare: $rev's benchmarks write no TSV (older than bench/bench.h); their output is in $out/$side-*.out" >&2
		exit 1
	fi
done

echo "bench-compare: A = $A (${shaA:0:12}), B = $B (${shaB:0:12}), mean of $ROUNDS interleaved rounds; load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' '
	FNR == 1 { side = FILENAME ~ "/A/" ? "A" : "B"; next }
	{
		k = $1 "\t" $2 "\t" $3
		if (!(k in seen)) { seen[k] = 1; order[++n] = k; unit[k] = $5 }
		sum[side, k] += $4; cnt[side, k]++
	}
	END {
		printf "%-12s %-7s %-96s %12s %12s %7s\n", "bench", "config", "figure", "A", "B", "B/A"
		for (i = 1; i <= n; i++) {
			k = order[i]; split(k, f, "\t")
			a = cnt["A", k] ? sum["A", k] / cnt["A", k] : ""
			b = cnt["B", k] ? sum["B", k] / cnt["B", k] : ""
			r = (a != "" && b != "" && a != 0) ? sprintf("%.3f", b / a) : "-"
			printf "%-12s %-7s %-96.96s %12s %12s %7s\n", f[1], f[2], f[3],
			       a == "" ? "-" : sprintf("%.4g", a), b == "" ? "-" : sprintf("%.4g", b), r
		}
	}' $(ls "$out"/A/*/*.tsv "$out"/B/*/*.tsv | sort) | tee "$out/compare.txt"
