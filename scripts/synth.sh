#!/bin/bash
# make synth BOARD=icebreaker|hx8k: the board system (rtl/mmu_board_ice40.sv)
# through Yosys synth_ice40, nextpnr-ice40 over several placement seeds and
# icepack; prints utilisation by resource, fmax per seed against the PLL
# clock (median and spread), the critical path of the median seed, the
# bitstream and its iceprog command, and writes the same into
# constraints/<board>-report.md (the figures in docs come from there).
#   scripts/synth.sh BOARD OUT_DIR RTL_GEN [SEEDS...]
# Environment: SYNTH_MHZ (PLL clock asked of icepll), SYNTH_BAUD (115200),
# SYNTH_CNT_W (counter width, 16).  A netlist newer than every RTL source
# and built with the same settings, and a seed's placement newer than the
# netlist, are reused (place and route takes minutes a seed).
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
	sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"
	exit 0
fi
set -eu
board=$1 out=$2 gen=$3
shift 3
seeds=${*:-1 2 3}
baud=${SYNTH_BAUD:-115200}
cnt_w=${SYNTH_CNT_W:-16}
case $board in
icebreaker)
	dev=up5k pkg=sg48 pcf=constraints/icebreaker.pcf pad=1 spram=1 mem=131072
	mhz=${SYNTH_MHZ:-18} what="iCEBreaker (iCE40UP5K-SG48)" ;;
hx8k)
	# No SPRAM: the board's memory is 4 KiB of block RAM (bring-up and
	# timing; the OS needs more, docs/fpga.md).
	dev=hx8k pkg=ct256 pcf=constraints/hx8k-breakout.pcf pad=0 spram=0 mem=4096
	mhz=${SYNTH_MHZ:-30} what="iCE40-HX8K breakout (iCE40HX8K-CT256)" ;;
*)
	echo "synth: unknown BOARD '$board' (icebreaker or hx8k)" >&2; exit 2 ;;
esac
mkdir -p "$out"
rep=constraints/$board-report.md

# ---- the PLL: icepll's dividers for the clock asked --------------------------
icepll -i 12 -o "$mhz" > "$out/icepll.txt"
field() { awk -v k="$1:" '$1 == k { print $2; exit }' "$out/icepll.txt"; }
divr=$(field DIVR) divf=$(field DIVF) divq=$(field DIVQ) filt=$(field FILTER_RANGE)
fpll=$(awk '/F_PLLOUT:.*achieved/ { print $2 }' "$out/icepll.txt")
cpb=$(awk -v f="$fpll" -v b="$baud" 'BEGIN { printf "%d", f * 1e6 / b + 0.5 }')
echo "== PLL: 12 MHz -> $fpll MHz (DIVR $divr DIVF $divf DIVQ $divq), UART $baud baud = $cpb clocks per bit"

# ---- synthesis ------------------------------------------------------------------
params="-set PLL_PAD $pad -set DIVR $divr -set DIVF $divf -set DIVQ $divq \
  -set FILTER_RANGE $filt -set CLKS_PER_BIT $cpb -set MEM_BYTES $mem \
  -set USE_SPRAM $spram -set CNT_W $cnt_w"
fresh=1
for f in rtl/*.sv rtl/*.svh "$gen/board/mmu_cfg.vh" "$gen/mmu_defs.vh"; do
	[ "$out/board.json" -nt "$f" ] || fresh=0
done
if [ "$fresh" = 1 ] && [ "$(cat "$out/params" 2>/dev/null)" = "$params" ]; then
	echo "== yosys: $out/board.json is up to date"
else
	echo "== yosys synth_ice40 ($board): $out/yosys.log"
	rm -f "$out"/seed*.asc
	yosys -q -l "$out/yosys.log" -p "read_verilog -sv -Irtl -I$gen -I$gen/board rtl/*.sv; \
	  chparam $params mmu_board_ice40; \
	  synth_ice40 -top mmu_board_ice40 -json $out/board.json; tee -q -o $out/stat.txt stat"
	echo "$params" > "$out/params"
fi

# ---- place and route, one run per seed --------------------------------------------
declare -A fmax
for s in $seeds; do
	if [ -s "$out/seed$s.asc" ] && [ "$out/seed$s.asc" -nt "$out/board.json" ]; then
		echo "== seed $s: $out/seed$s.asc is up to date"
	else
		echo "== nextpnr-ice40 --$dev --package $pkg --freq $fpll --seed $s"
		nextpnr-ice40 --$dev --package $pkg --json "$out/board.json" --pcf "$pcf" \
		  --asc "$out/seed$s.asc.tmp" --freq "$fpll" --seed "$s" --timing-allow-fail \
		  -q -l "$out/nextpnr-seed$s.log"
		mv "$out/seed$s.asc.tmp" "$out/seed$s.asc"
	fi
	fmax[$s]=$(grep -E "Max frequency for clock" "$out/nextpnr-seed$s.log" | tail -1 |
		   sed -E 's/.*: ([0-9.]+) MHz.*/\1/')
	echo "   seed $s: ${fmax[$s]} MHz"
done
sorted=$(for s in $seeds; do echo "${fmax[$s]} $s"; done | sort -g)
n=$(wc -l <<<"$sorted")
med_line=$(sed -n "$(( (n + 1) / 2 ))p" <<<"$sorted")
med=${med_line% *} med_seed=${med_line#* }
lo=$(head -1 <<<"$sorted" | cut -d' ' -f1) hi=$(tail -1 <<<"$sorted" | cut -d' ' -f1)
best_seed=$(tail -1 <<<"$sorted" | cut -d' ' -f2)
verdict=$(awk -v m="$med" -v f="$fpll" 'BEGIN { print (m >= f) ? "meets" : "MISSES" }')
slack=$(awk -v m="$med" -v f="$fpll" 'BEGIN { printf "%.1f", 1000 / f - 1000 / m }')

icepack "$out/seed$best_seed.asc" "$out/board.bin"

# ---- the figures ---------------------------------------------------------------------
log=$out/nextpnr-seed$med_seed.log
util=$(grep -E "^Info:[[:space:]]+(ICESTORM_LC|ICESTORM_RAM|ICESTORM_SPRAM|SB_IO|ICESTORM_PLL|SB_GB):" "$log" |
       sed -E 's/^Info:[[:space:]]+//' | awk -F: '{ last[$1] = $0 } END { for (k in last) print last[k] }' | sort)
# The last critical-path report (after routing): its first source, its
# last sink, and nextpnr's logic / routing split.
crit=$(awk '/Critical path report for clock/ { blk = ""; on = 1 }
	    on { blk = blk $0 "\n" }
	    /ns logic, .* ns routing/ { on = 0; last = blk }
	    END { printf "%s", last }' "$log")
src=$(grep -m1 -E "Source " <<<"$crit" | sed -E 's/^Info: +[0-9.]+ +[0-9.]+ +Source //')
dst=$(grep -E "Sink " <<<"$crit" | tail -1 | sed -E 's/^Info: +Sink //')
split=$(grep -E "ns logic, .* ns routing" <<<"$crit" | sed -E 's/^Info: +//')
cells=$(grep -E "SB_LUT4|SB_DFF|SB_CARRY|SB_RAM40_4K|SB_SPRAM256KA|SB_PLL" "$out/stat.txt" |
	awk '{ n[$1] += $2 } END { for (k in n) printf "%s %d, ", k, n[k] }' | sed 's/, $//')

{
	echo "# $what: \`make synth BOARD=$board\`"
	echo
	echo "Written by scripts/synth.sh on $(date -u +%Y-%m-%d) (yosys $(yosys -V | awk '{ print $2 }'), nextpnr-ice40 0.4): do not edit."
	echo
	echo "Design: rtl/mmu_board_ice40.sv (configuration \`board\`, $((mem / 1024)) KiB of $( [ "$spram" = 1 ] && echo SPRAM || echo block RAM), counters $cnt_w bits)."
	echo "Clock: 12 MHz oscillator, PLL to $fpll MHz (DIVR $divr, DIVF $divf, DIVQ $divq); UART $baud baud = $cpb clocks per bit."
	echo
	echo "| resource | used / available |"
	echo "|---|---|"
	while read -r line; do
		[ -n "$line" ] && echo "| ${line%%:*} | $(sed -E 's/^[^:]+: +//' <<<"$line") |"
	done <<<"$util"
	echo
	echo "Yosys cells: $cells."
	echo
	echo "| seed | fmax (MHz) |"
	echo "|---|---|"
	for s in $seeds; do echo "| $s | ${fmax[$s]} |"; done
	echo
	echo "fmax over $n seeds: median **$med MHz** (spread $lo .. $hi MHz) against the $fpll MHz PLL clock: $verdict it (slack $slack ns at the median)."
	echo
	echo "Critical path (median seed $med_seed): from \`$src\` to \`$dst\`; $split."
	echo
	echo "Bitstream: \`$out/board.bin\` (seed $best_seed, the fastest). Program: \`iceprog $out/board.bin\`."
} > "$rep"
echo "== $rep"
cat "$rep"
