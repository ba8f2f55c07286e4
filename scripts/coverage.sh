#!/bin/bash
# RTL code coverage of the regression (docs/verification.md, "RTL code
# coverage").
#   scripts/coverage.sh [--out DIR] [--bin DIR] [--shard I/N]
#   scripts/coverage.sh --merge [--out DIR] RUN_DIR...
#   scripts/coverage.sh --summary DAT [--out DIR]
# The first form runs, on the coverage-instrumented models of build/cov
# (make VARIANT=cov rtl-cov-tools builds them; make coverage does both):
# mmuregress --quick in lockstep (its seeds of x86, csapp and fpga; --shard
# passes a slice of them), every tests/rtl binary, and the scenario suite in
# lockstep.  Each RTL machine writes a coverage_*.dat (RTL_COVERAGE_DIR);
# verilator_coverage merges them into DIR/merged.dat, writes the lcov file
# DIR/coverage.info, genhtml the report DIR/html/index.html, the sources
# annotated with every point's count (uncovered ones marked %000000) go to
# DIR/annotated/, and the per-module figures to DIR/summary.tsv and the
# screen.
# --merge combines the merged.dat of earlier runs (shards on other
# machines) into DIR and reports on the union.  --summary only prints and
# writes the figures of one .dat file.
# Default DIR: build/coverage.  Exit 1 when a step fails, 2 on bad usage.
set -u
out=build/coverage bin=build/cov/bin shard="" mode=run
usage() {
	echo "usage: scripts/coverage.sh [--out DIR] [--bin DIR] [--shard I/N]"
	echo "       scripts/coverage.sh --merge [--out DIR] RUN_DIR..."
	echo "       scripts/coverage.sh --summary DAT [--out DIR]"
}
need() { [ $# -ge 2 ] || { echo "coverage: $1 needs a value" >&2; exit 2; }; }
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) need "$@"; out=$2; shift ;;
	--bin) need "$@"; bin=$2; shift ;;
	--shard) need "$@"; shard=$2; shift ;;
	--merge) mode=merge ;;
	--summary) need "$@"; mode=summary; args+=("$2"); shift ;;
	-h|--help) usage; exit 0 ;;
	-*) echo "coverage: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	*) args+=("$1") ;;
	esac
	shift
done

# summary DAT TSV: per RTL module (one module per file), the points of each
# kind hit at least once, over all instances and configurations (a point is
# its file, line, column and comment: instances and parameterisations of a
# module count once):
#   line    Verilator's line coverage: every statement block (v_line) and
#           every if/else arm (v_branch)
#   branch  the if/else arms (v_branch) and the case items
#   toggle  each bit of each signal seen going 0->1 and back (v_toggle)
summary() {
	awk -v tsv="$2" '
	/^C / {
		# C, then the keys (key \002 value, separated by \001) in quotes, then the count
		cnt = $0; sub(/.* /, "", cnt)
		rec = substr($0, 4, length($0) - 4 - length(cnt) - 2)
		n = split(rec, kv, "\001")
		page = ""; com = ""; file = ""; line = ""; col = ""
		for (i = 1; i <= n; i++) {
			k = kv[i]; v = k; sub(/\002.*/, "", k); sub(/^[^\002]*\002/, "", v)
			if (k == "page") page = v; else if (k == "o") com = v
			else if (k == "f") file = v; else if (k == "l") line = v
			else if (k == "n") col = v
		}
		# page: v_line/<module>[__<parameters>], v_branch/..., v_toggle/...
		kind = page; sub(/\/.*/, "", kind); sub(/^v_/, "", kind)
		mod = page; sub(/^[^\/]*\//, "", mod); sub(/__.*/, "", mod)
		if (mod == "" || kind == "") next
		key = file ":" line ":" col ":" com
		if (kind == "line" || kind == "branch") add(mod, "line", key, cnt)
		if (kind == "branch" || (kind == "line" && com == "case")) add(mod, "branch", key, cnt)
		if (kind == "toggle") add(mod, "toggle", key, cnt)
	}
	function add(m, k, key, c) {
		mods[m] = 1
		if (!((m, k, key) in seen)) { seen[m, k, key] = 1; tot[m, k]++ }
		if (c > 0 && !((m, k, key) in hit)) { hit[m, k, key] = 1; cov[m, k]++ }
	}
	function pct(m, k) { return tot[m, k] ? sprintf("%.1f", 100 * cov[m, k] / tot[m, k]) : "-" }
	END {
		printf "module\tline_hit\tline_total\tline_pct\tbranch_hit\tbranch_total\tbranch_pct\ttoggle_hit\ttoggle_total\ttoggle_pct\n" > tsv
		printf "%-14s %18s %18s %20s\n", "module", "line", "branch", "toggle"
		nm = 0; for (m in mods) names[++nm] = m
		for (i = 2; i <= nm; i++) for (j = i; j > 1 && names[j] < names[j-1]; j--) { t = names[j]; names[j] = names[j-1]; names[j-1] = t }
		for (i = 1; i <= nm; i++) {
			m = names[i]
			printf "%s\t%d\t%d\t%s\t%d\t%d\t%s\t%d\t%d\t%s\n", m, cov[m,"line"], tot[m,"line"], pct(m,"line"),
				cov[m,"branch"], tot[m,"branch"], pct(m,"branch"), cov[m,"toggle"], tot[m,"toggle"], pct(m,"toggle") > tsv
			printf "%-14s %6s%% %5d/%-5d %6s%% %5d/%-5d %6s%% %6d/%-6d\n", m, pct(m,"line"), cov[m,"line"], tot[m,"line"],
				pct(m,"branch"), cov[m,"branch"], tot[m,"branch"], pct(m,"toggle"), cov[m,"toggle"], tot[m,"toggle"]
			L += cov[m,"line"]; LT += tot[m,"line"]; B += cov[m,"branch"]; BT += tot[m,"branch"]
			T += cov[m,"toggle"]; TT += tot[m,"toggle"]
		}
		printf "%s\t%d\t%d\t%s\t%d\t%d\t%s\t%d\t%d\t%s\n", "total", L, LT, LT ? sprintf("%.1f", 100*L/LT) : "-",
			B, BT, BT ? sprintf("%.1f", 100*B/BT) : "-", T, TT, TT ? sprintf("%.1f", 100*T/TT) : "-" > tsv
		printf "%-14s %6s%% %5d/%-5d %6s%% %5d/%-5d %6s%% %6d/%-6d\n", "total", LT ? sprintf("%.1f", 100*L/LT) : "-", L, LT,
			BT ? sprintf("%.1f", 100*B/BT) : "-", B, BT, TT ? sprintf("%.1f", 100*T/TT) : "-", T, TT
	}' "$1"
}

# report: DIR/merged.dat -> coverage.info, html/, summary.tsv.
report() {
	verilator_coverage --write-info "$out/coverage.info" "$out/merged.dat" > "$out/info.log" 2>&1 ||
		{ echo "coverage: verilator_coverage --write-info failed ($out/info.log)" >&2; return 1; }
	rm -rf "$out/html" "$out/annotated"
	verilator_coverage --annotate "$out/annotated" "$out/merged.dat" > "$out/annotate.log" 2>&1 ||
		{ echo "coverage: verilator_coverage --annotate failed ($out/annotate.log)" >&2; return 1; }
	genhtml --quiet --branch-coverage --output-directory "$out/html" \
		--title "MMU RTL coverage" "$out/coverage.info" > "$out/genhtml.log" 2>&1 ||
		{ echo "coverage: genhtml failed ($out/genhtml.log)" >&2; return 1; }
	echo "== per RTL module: points hit / points (all configurations, all instances)"
	summary "$out/merged.dat" "$out/summary.tsv"
	echo "coverage: $out/summary.tsv, $out/coverage.info, $out/html/index.html, $out/annotated/"
}

merge_dats() {  # merge_dats FILE... -> $out/merged.dat
	[ $# -gt 0 ] || { echo "coverage: no .dat file to merge" >&2; return 1; }
	verilator_coverage --write "$out/merged.dat" "$@" > "$out/merge.log" 2>&1 ||
		{ echo "coverage: verilator_coverage --write failed ($out/merge.log)" >&2; return 1; }
	echo "coverage: merged $# file(s) into $out/merged.dat"
}

for t in verilator_coverage genhtml; do
	command -v $t >/dev/null || { echo "coverage: $t not installed (make deps)" >&2; exit 2; }
done
mkdir -p "$out"
case $mode in
summary)
	[ ${#args[@]} = 1 ] && [ -f "${args[0]}" ] || { echo "coverage: --summary needs one .dat file" >&2; exit 2; }
	summary "${args[0]}" "$out/summary.tsv"
	exit $? ;;
merge)
	[ ${#args[@]} -gt 0 ] || { echo "coverage: --merge needs run directories" >&2; usage >&2; exit 2; }
	dats=()
	for d in "${args[@]}"; do
		[ -f "$d/merged.dat" ] || { echo "coverage: $d/merged.dat missing" >&2; exit 2; }
		dats+=("$d/merged.dat")
	done
	merge_dats "${dats[@]}" && report
	exit $? ;;
esac
[ ${#args[@]} = 0 ] || { echo "coverage: unexpected argument '${args[0]}'" >&2; usage >&2; exit 2; }
for t in mmuregress mmuos; do
	[ -x "$bin/$t" ] || { echo "coverage: $bin/$t not built (make VARIANT=cov rtl-cov-tools)" >&2; exit 2; }
done
rtl_tests=$(ls "$(dirname "$bin")"/tests/rtl/test_* 2>/dev/null | grep -v '\.d$')

dat=$out/dat
rm -rf "$dat" && mkdir -p "$dat"
export RTL_COVERAGE_DIR=$dat
rc=0
echo "== mmuregress --quick --backend lockstep${shard:+ --shard $shard} (coverage models)"
"$bin/mmuregress" --quick --backend lockstep --quiet ${shard:+--shard "$shard"} > "$out/regress.log" 2>&1 || rc=1
tail -1 "$out/regress.log"
if [ -z "$shard" ]; then
	echo "== tests/rtl"
	for t in $rtl_tests; do
		"$t" > "$out/$(basename "$t").log" 2>&1 || { echo "  FAIL $t ($out/$(basename "$t").log)"; rc=1; }
	done
	echo "   $(echo $rtl_tests | wc -w) test programs"
	echo "== scenario suite (lockstep)"
	bash scripts/run_scenarios.sh lockstep "$bin" > "$out/scenarios.log" 2>&1 || rc=1
	tail -1 "$out/scenarios.log"
fi
merge_dats "$dat"/*.dat && report || rc=1
[ $rc = 0 ] || echo "coverage: a run failed (logs in $out): the figures cover what ran"
exit $rc
