#!/bin/bash
# Capture memory traces of real programs on this machine with valgrind's
# lackey tool, for mmurun (docs/running.md).
#   scripts/capture_traces.sh [OUTDIR] [RECORDS]
# OUTDIR defaults to build/traces, RECORDS (lines per trace) to 250000.
#
# Each trace is a window of a program's run: the first SKIP lines (the
# dynamic loader and start-up, the same in every program) are dropped, the
# next RECORDS kept; valgrind is stopped as soon as the window is full (it
# gets SIGPIPE), so a capture costs a few seconds whatever the program.
#   ls.lackey     ls -l /usr/bin
#   gzip.lackey   gzip -c of /usr/bin/bash (a real 1+ MB file)
#   sort.din      sort of 60000 generated lines, converted to Dinero's din
#                 format (I -> 2, L -> 0, S -> 1, M -> 0 then 1) so the din
#                 reader is exercised on a real program too
# Without valgrind it says so and exits 0: mmurun then uses the trace
# shipped in tests/traces/ only.  Existing traces are kept unless
# RECAPTURE=1 (captures are reproducible enough, and this keeps `make run`
# fast and its input stable between runs).
case ${1:-} in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
set -u
out=${1:-build/traces}
records=${2:-250000}

if ! command -v valgrind >/dev/null 2>&1; then
	echo "capture_traces: valgrind not installed; using tests/traces only" >&2
	exit 0
fi
mkdir -p "$out" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# capture NAME SKIP COMMAND...: the lackey window, to stdout
window() {
	local skip=$1; shift
	valgrind --tool=lackey --trace-mem=yes --log-fd=9 "$@" \
		9>&1 1>/dev/null 2>/dev/null </dev/null |
		tail -n +"$((skip + 1))" | head -n "$records"
}

capture() {  # capture FILE SKIP FILTER COMMAND...
	local file=$1 skip=$2 filter=$3; shift 3
	local dest=$out/$file
	if [ -s "$dest" ] && [ "${RECAPTURE:-0}" != 1 ]; then
		echo "capture_traces: $dest exists (RECAPTURE=1 to redo)"
		return 0
	fi
	local start=$SECONDS
	window "$skip" "$@" | $filter >"$tmp/$file"
	local n
	n=$(wc -l <"$tmp/$file")
	if [ "$n" -lt 1000 ]; then
		echo "capture_traces: $* gave only $n lines; skipped" >&2
		return 1
	fi
	mv "$tmp/$file" "$dest"
	echo "capture_traces: $dest: $n lines of '$*' ($((SECONDS - start)) s)"
}

# lackey -> din: I -> 2, L -> 0, S -> 1, M -> 0 and 1; valgrind lines dropped
to_din() {
	awk '$1 == "I" { split($2, a, ","); print "2 " a[1]; next }
	     $1 == "L" { split($2, a, ","); print "0 " a[1]; next }
	     $1 == "S" { split($2, a, ","); print "1 " a[1]; next }
	     $1 == "M" { split($2, a, ","); print "0 " a[1]; print "1 " a[1]; next }'
}

# a reproducible input for sort: 60000 lines of pseudo-random words
awk 'BEGIN { srand(42); for (i = 0; i < 60000; i++) {
	s = ""; n = 3 + int(rand() * 12)
	for (j = 0; j < n; j++) s = s sprintf("%c", 97 + int(rand() * 26))
	print s, int(rand() * 1000000) } }' >"$tmp/words.txt"

fail=0
capture ls.lackey 2000000 cat ls -l /usr/bin || fail=1
capture gzip.lackey 1000000 cat gzip -c /usr/bin/bash || fail=1
capture sort.din 3000000 to_din sort "$tmp/words.txt" || fail=1
exit $fail
