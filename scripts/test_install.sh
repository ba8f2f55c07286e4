#!/usr/bin/env bash
# test_install.sh DIR: check the tree `make install PREFIX=DIR/prefix` left
# and build examples/golden-driver out of tree against it, through
# pkg-config only (mk/install.mk: make install-test).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/testlib.sh"
T=$1 P=$1/prefix
pass=0 fail=0
export PKG_CONFIG_PATH=$P/lib/pkgconfig

echo "== install tree: find $P (build/install-test/find.txt)"
(cd "$T" && find prefix | sort) > "$T/find.txt"
echo "   $(grep -c '\.h$' "$T/find.txt") headers, $(grep -c '/lib/lib' "$T/find.txt") library files," \
     "$(grep -c '/bin/' "$T/find.txt") tools, $(grep -c '\.pc$' "$T/find.txt") pkg-config files"
for f in include/mmu/mmu.h include/mmu/dpi/mmu_dpi.svh include/mmu/dpi/mmu_defs.vh \
	 lib/libmmugolden.a lib/libmmugolden.so lib/libmmu.so.0 lib/libmmudpi.so lib/libmmurtl.a \
	 bin/mmuos bin/mmurun lib/pkgconfig/mmu-golden.pc lib/pkgconfig/mmu-rtl.pc; do
	check "installed: $f" test -e "$P/$f"
done
check "no installed header includes by a relative path" \
	bash -c "! grep -rn '#include \"\.\./' '$P/include'"
check "libmmugolden.so needs nothing but libc" \
	bash -c "! objdump -p '$P/lib/libmmugolden.so.0' | grep NEEDED | grep -v 'libc\.so'"
for pc in mmu-golden mmu mmu-dpi mmu-rtl; do
	check "pkg-config --static --libs $pc" pkg-config --static --libs "$pc"
done

echo "== every installed header compiles on its own (pkg-config --cflags)"
n=0
while read -r h; do
	pc=mmu; case $h in rtl/*) pc=mmu-rtl;; esac
	check "<mmu/$h> alone" bash -c "echo '#include <mmu/$h>' | \
	  cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -x c - \$(pkg-config --cflags $pc)"
	n=$((n + 1))
done < <(cd "$P/include/mmu" && find . -name '*.h' | sed 's|^\./||' | sort)
echo "   $n headers"

build() {  # build NAME PKG: copy the example out of tree and make it
	rm -rf "$T/$1" && cp -r "$here/examples/golden-driver" "$T/$1"
	make --no-print-directory -s -C "$T/$1" PKG="$2" >"$T/$1.log" 2>&1 ||
		{ cat "$T/$1.log"; return 1; }
}
show() { sed 's/^/   | /' "$1"; }

echo "== examples/golden-driver linked with pkg-config mmu-golden (no RTL)"
if build golden mmu-golden; then
	"$T/golden/golden-driver" golden lockstep >"$T/golden.out" 2>&1; rc=$?
	show "$T/golden.out"
	check "golden: linked against the installed libmmugolden.so" \
		bash -c "ldd '$T/golden/golden-driver' | grep -q '$P/lib/libmmugolden.so.0'"
	check "golden: refused lockstep exits 1" test "$rc" = 1
	check "golden: the manual's enabling sequence is accepted" \
		bash -c "grep -c ': ok$' '$T/golden.out' | grep -qx 4"
	check "golden: the load through the tables reads the data" \
		grep -q 'ok data=0x1122334455667788 pa=0x10040' "$T/golden.out"
	check "golden: the unmapped page faults with CR2 set" \
		grep -q '#PF.*cr2=0x7f0000402000' "$T/golden.out"
	check "golden: lockstep refused, saying the RTL is missing" \
		grep -q "lockstep: refused: back end 'lockstep' needs a DUT.*without the Verilated RTL" "$T/golden.out"
else
	fail=$((fail + 1)); echo "FAIL: building the example against mmu-golden"
fi

echo "== examples/golden-driver linked with pkg-config mmu-rtl (golden model and RTL)"
if build rtl mmu-rtl; then
	"$T/rtl/golden-driver" golden lockstep >"$T/rtl.out" 2>&1; rc=$?
	show "$T/rtl.out"
	check "rtl: lockstep runs and every access agrees" test "$rc" = 0
	check "rtl: lockstep compares golden with rtl" grep -q '^lockstep (golden=rtl):' "$T/rtl.out"
	check "rtl: both back ends print the same outcomes" bash -c \
		"diff <(sed -n '/^golden/,/^lockstep/p' '$T/rtl.out' | grep -v '^golden\|^lockstep' | sed 's/ cycles=.*//') \
		      <(sed -n '/^lockstep/,\$p' '$T/rtl.out' | grep -v '^lockstep')"
else
	fail=$((fail + 1)); echo "FAIL: building the example against mmu-rtl"
fi

echo "== examples/golden-driver linked statically (pkg-config --static --libs mmu)"
rm -rf "$T/static" && cp -r "$here/examples/golden-driver" "$T/static"
if make --no-print-directory -s -C "$T/static" PKG=mmu \
	LDLIBS="-Wl,-Bstatic \$(shell pkg-config --static --libs mmu) -Wl,-Bdynamic" >"$T/static.log" 2>&1; then
	"$T/static/golden-driver" golden >"$T/static.out" 2>&1
	check "static: no libmmu shared object needed" \
		bash -c "! ldd '$T/static/golden-driver' | grep -q libmmu"
	check "static: same output as the shared build" \
		bash -c "diff <(sed -n '/^golden/,/^lockstep/p' '$T/golden.out' | grep -v '^lockstep') '$T/static.out'"
else
	cat "$T/static.log"; fail=$((fail + 1)); echo "FAIL: static link"
fi

echo "test_install: $pass checks passed, $fail failed"
[ "$fail" = 0 ]
