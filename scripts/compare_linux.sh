#!/bin/bash
# Compare the OS model with the Linux kernel of this machine.
#   scripts/compare_linux.sh [BIN_DIR]
# For every scenario marked "# linux-compare" in tests/scenarios/: run it with
# mmuos (golden back end), then run it natively with tests/linux/linux_run
# (built here, without sanitizers, from the scenario parser's sources), which
# checks every expectation against what Linux does (errnos, signals, values,
# file contents) and compares its /proc/self/maps lines inside the reserved
# region with mmuos's maps dump at every `maps` step.  A scenario that
# depends on the CPU, the kernel or the file system says so with
# "# linux-requires: pku" (protection keys: CPU flags pku and ospke),
# "no-pku", "ext4" (the files folder on ext4, whose write-back the OS
# models) or "map_droppable" (Linux 6.11+); where this machine does not
# match it is skipped, with the reason, never compared against the wrong
# kernel behaviour.  Logs go to build/linux-compare/.  Last line:
#   linux-compare: N passed, M failed
case ${1:-} in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
set -u
BIN=${1:-build/rel/bin}
MMUOS=$BIN/mmuos
out=build/linux-compare
mkdir -p "$out"
CC=${CC:-cc}

if [ ! -x "$MMUOS" ]; then
	echo "compare_linux: $MMUOS not built (make build)" >&2
	echo "linux-compare: 0 passed, 1 failed"
	exit 1
fi
if ! $CC -std=c11 -O2 -Wall -Wextra -Werror -Isw -o "$out/linux_run" tests/linux/*.c \
	sw/scenario/lex.c sw/scenario/expr.c sw/scenario/stmt.c \
	sw/scenario/parse.c sw/scenario/syms.c sw/scenario/eval.c; then
	echo "linux-compare: 0 passed, 1 failed"
	exit 1
fi

# What this machine offers for "# linux-requires:".
host_pku=no
if grep -qw pku /proc/cpuinfo && grep -qw ospke /proc/cpuinfo; then
	host_pku=yes
fi
host_fs=$(stat -f -c %t "${TMPDIR:-/tmp}")     # ef53: ext2/3/4's magic
[ "$host_fs" = ef53 ] && host_fs=ext4 || host_fs="$(stat -f -c %T "${TMPDIR:-/tmp}")"
kver=$(uname -r | sed 's/[^0-9.].*//')
host_droppable=no
[ "$(printf '%s\n' 6.11 "$kver" | sort -V | head -1)" = 6.11 ] && host_droppable=yes

pass=0 fail=0 files=0 skipped=0
for f in $(grep -l '^# linux-compare' tests/scenarios/*.scn); do
	name=$(basename "$f" .scn)
	req=$(sed -n 's/^# linux-requires: *//p' "$f" | head -1)
	case "$req:$host_pku" in
	pku:no)
		echo "  skip  $name: needs protection keys; this CPU/kernel has no pku/ospke flag in /proc/cpuinfo"
		skipped=$((skipped + 1)); continue ;;
	no-pku:yes)
		echo "  skip  $name: models a CPU without protection keys; this one has pku/ospke"
		skipped=$((skipped + 1)); continue ;;
	esac
	if [ "$req" = ext4 ] && [ "$host_fs" != ext4 ]; then
		echo "  skip  $name: the OS models ext4's write-back; the files folder here is on $host_fs"
		skipped=$((skipped + 1)); continue
	fi
	if [ "$req" = map_droppable ] && [ "$host_droppable" != yes ]; then
		echo "  skip  $name: MAP_DROPPABLE needs Linux 6.11+; this kernel is $(uname -r)"
		skipped=$((skipped + 1)); continue
	fi
	files=$((files + 1))
	if ! "$MMUOS" run --backend golden "$f" >"$out/$name.mmuos.log" 2>&1; then
		echo "  note: mmuos itself fails $name (see $out/$name.mmuos.log)"
	fi
	"$out/linux_run" "$f" --against "$out/$name.mmuos.log" >"$out/$name.linux.log" 2>&1
	rc=$?
	line=$(grep '^linux-compare ' "$out/$name.linux.log" | tail -1)
	p=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' <<<"$line")
	m=$(sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' <<<"$line")
	if [ -z "$p" ] || [ "$rc" -gt 1 ]; then
		echo "  ERROR $name: linux_run exited $rc (log $out/$name.linux.log)"
		sed 's/^/    | /' "$out/$name.linux.log" | head -10
		fail=$((fail + 1))
		continue
	fi
	pass=$((pass + p))
	fail=$((fail + m))
	if [ "$m" = 0 ]; then
		echo "  same  $name: $p comparisons"
	else
		echo "  DIFF  $name: $m of $((p + m)) comparisons differ (log $out/$name.linux.log)"
		grep -A12 'FAIL' "$out/$name.linux.log" | head -30 | sed 's/^/    | /'
	fi
done
echo "linux-compare: $files scenarios, $skipped skipped (CPU, kernel or file system), Linux $(uname -r), protection keys: $host_pku, files folder on $host_fs (the OS models ext4's write-back), MAP_DROPPABLE: $host_droppable"
echo "linux-compare: $pass passed, $fail failed"
[ "$fail" = 0 ]
