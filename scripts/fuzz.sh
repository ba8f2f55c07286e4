#!/bin/bash
# The libFuzzer harnesses of tests/fuzz (built by make in build/fuzz).
#   scripts/fuzz.sh run SECONDS NAME...     fuzz each harness SECONDS from
#                                           its seeds and build/fuzz/corpus
#   scripts/fuzz.sh replay SECONDS NAME...  every seed once, then SECONDS
#                                           of fuzzing each (make test)
# Seeds: tests/fuzz/NAME/ plus the inputs the project ships of that kind
# (scenarios, configurations, traces).  New inputs go to
# build/fuzz/corpus/NAME (never into tests/), crashes to
# build/fuzz/artifacts/.  Per harness the last line says:
#   fuzz NAME: RUNS runs in S s, coverage COV edges, FT features, CORP inputs
# Exit status 0 only when no harness found a crash, leak or timeout.
set -u
mode=${1:-}
secs=${2:-60}
shift 2 2>/dev/null || true
if [ "$mode" = -h ] || [ "$mode" = --help ] || [ -z "$mode" ]; then
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	[ -z "$mode" ] && exit 2 || exit 0
fi
case $mode in run|replay) ;; *)
	echo "fuzz.sh: unknown mode '$mode' (run or replay); see --help" >&2; exit 2;;
esac
case $secs in ''|*[!0-9]*)
	echo "fuzz.sh: bad SECONDS '$secs' (a whole number, 1 or more); see --help" >&2; exit 2;;
esac
B=build/fuzz
seeds() {  # the seed folders of a harness
	echo "tests/fuzz/$1"
	case $1 in
	scenario) echo tests/scenarios tests/scenarios/selftest ;;
	config) echo configs ;;
	esac
}
status=0
for name in "$@"; do
	bin=$B/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "fuzz.sh: $bin not built (make fuzz)" >&2
		status=1
		continue
	fi
	corpus=$B/corpus/$name
	mkdir -p "$corpus" "$B/artifacts" "$B/logs"
	log=$B/logs/$name.$mode.log
	# -timeout: one input may take this long; -rss_limit_mb: the harness
	# and the sanitizers together.
	common=(-timeout=25 -rss_limit_mb=3072 -print_final_stats=1
		-artifact_prefix="$B/artifacts/$name-")
	if [ "$mode" = replay ]; then
		# every seed once (no corpus growth), then a short run
		"$bin" "${common[@]}" -runs=0 $(seeds "$name") >"$log" 2>&1
		rc=$?
		nseed=$(grep -o 'INITED.*' "$log" | head -1)
		if [ $rc != 0 ]; then
			echo "fuzz $name: a seed fails (log $log):"; tail -30 "$log"
			status=1
			continue
		fi
		echo "fuzz $name: seeds replayed (${nseed:-?})"
	fi
	"$bin" "${common[@]}" -max_total_time="$secs" "$corpus" $(seeds "$name") \
		>"$log" 2>&1
	rc=$?
	runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
	echo "fuzz $name: ${runs:-?} runs in $secs s, coverage ${cov:-?} edges, ${ft:-?} features, ${corp:-?} inputs"
	if [ $rc != 0 ]; then
		echo "fuzz $name: FAILED (exit $rc, log $log):"
		grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20
		status=1
	fi
done
exit $status
