#!/bin/bash
# make synth BOARD=icebreaker|hx8k: the board system (rtl/mmu_board_ice40.sv)
# through Yosys synth_ice40 -abc9, nextpnr-ice40 over several placement
# seeds and icepack; prints utilisation by resource, fmax of each clock per
# seed against its constraint (median and spread), the critical path of
# the median seed (start, end, logic and routing shares), the bitstream and
# its iceprog command, and writes the same into constraints/<board>-report.md
# (the figures in docs come from there).  BOARD=fpga (make rtl-synth): the
# fmax harness of the fpga configuration on the HX8K (rtl/mmu_fpga_top.sv,
# synth_ice40, no PLL: the clock is constrained at SYNTH_MHZ, 48).
#   scripts/synth.sh BOARD OUT_DIR RTL_GEN [SEEDS...]   (default seeds 1..5)
# Environment: SYNTH_MHZ (PLL clock asked of icepll), SYNTH_DIV (system
# clock = PLL clock / SYNTH_DIV, 1 or 2), SYNTH_BAUD (115200), SYNTH_CNT_W
# (counter width, 16; 32 for fpga), SYNTH_JOBS (seeds placed and routed at
# once, 1 or 2).  The board's clock is set once, below: the PLL's dividers,
# the system clock, the UART's clocks per bit and nextpnr's constraints all
# follow from it.  Each clock is constrained at its own frequency (a
# pre-pack script gives nextpnr the PLL's and the divided clock's).  A
# netlist newer than every RTL source and built with the same settings is
# reused, and so is a seed's placement of the same netlist (its cells and
# nets, source line attributes aside: place and route takes minutes a seed).
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
	sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"
	exit 0
fi
set -eu
board=$1 out=$2 gen=$3
shift 3
seeds=${*:-1 2 3 4 5}
baud=${SYNTH_BAUD:-115200}
cnt_w=${SYNTH_CNT_W:-16}
jobs=${SYNTH_JOBS:-1}
case $jobs in 1|2) ;; *) echo "synth: SYNTH_JOBS must be 1 or 2, not '$jobs'" >&2; exit 2 ;; esac
harness=0
case $board in
icebreaker)
	# The PLL's lowest output is 16 MHz; the UP5K system places and routes
	# at about 12.6 MHz: it runs at the PLL's 18 MHz divided by 2.
	dev=up5k ydev=u pkg=sg48 pcf=constraints/icebreaker.pcf pad=1 spram=1 mem=131072
	mhz=${SYNTH_MHZ:-18} div=${SYNTH_DIV:-2} what="iCEBreaker (iCE40UP5K-SG48)" ;;
hx8k)
	# No SPRAM: the board's memory is 4 KiB of block RAM (bring-up and
	# timing; the OS needs more, docs/fpga.md).  The PLL's exact 24 MHz:
	# the system does not close 30 MHz (constraints/hx8k-report.md).
	dev=hx8k ydev=hx pkg=ct256 pcf=constraints/hx8k-breakout.pcf pad=0 spram=0 mem=4096
	mhz=${SYNTH_MHZ:-24} div=${SYNTH_DIV:-1} what="iCE40-HX8K breakout (iCE40HX8K-CT256)" ;;
fpga)
	# The fmax harness: the fpga configuration behind a serial scan, every
	# MMU path register to register (rtl/mmu_fpga_top.sv).
	dev=hx8k ydev=hx pkg=ct256 pcf=constraints/ice40-hx8k-breakout.pcf harness=1 cnt_w=${SYNTH_CNT_W:-32}
	mhz=${SYNTH_MHZ:-48} div=1 what="the fpga configuration's fmax harness on an iCE40-HX8K (CT256)" ;;
*)
	echo "synth: unknown BOARD '$board' (icebreaker, hx8k or fpga)" >&2; exit 2 ;;
esac
mkdir -p "$out"
rep=constraints/$board-report.md

# ---- the clock: icepll's dividers for the clock asked ------------------------
prepack=()
if [ "$harness" = 1 ]; then
	fpll=$mhz fsys=$mhz
	echo "== clock: $fsys MHz (constraint; the harness has no PLL)"
else
	icepll -i 12 -o "$mhz" > "$out/icepll.txt"
	field() { awk -v k="$1:" '$1 == k { print $2; exit }' "$out/icepll.txt"; }
	divr=$(field DIVR) divf=$(field DIVF) divq=$(field DIVQ) filt=$(field FILTER_RANGE)
	fpll=$(awk '/F_PLLOUT:.*achieved/ { print $2 }' "$out/icepll.txt")
	case $div in 1|2) ;; *) echo "synth: SYNTH_DIV must be 1 or 2, not '$div'" >&2; exit 2 ;; esac
	fsys=$(awk -v f="$fpll" -v d="$div" 'BEGIN { printf "%.3f", f / d }')
	cpb=$(awk -v f="$fsys" -v b="$baud" 'BEGIN { printf "%d", f * 1e6 / b + 0.5 }')
	baud_err=$(awk -v f="$fsys" -v b="$baud" -v c="$cpb" 'BEGIN { printf "%.2f", (f * 1e6 / c / b - 1) * 100 }')
	echo "== PLL: 12 MHz -> $fpll MHz (DIVR $divr DIVF $divf DIVQ $divq) / $div = system clock $fsys MHz," \
	     "UART $baud baud = $cpb clocks per bit ($baud_err %)"
	# The clocks nextpnr checks: the system's (net clk) at --freq and, when it is
	# divided, the PLL's output (net pll_clk: the divider alone) at its own.
	if [ "$div" != 1 ]; then
		printf 'ctx.addClock("pll_clk", %s)\nctx.addClock("clk", %s)\n' "$fpll" "$fsys" > "$out/clocks.py"
		prepack=(--pre-pack "$out/clocks.py")
	fi
fi

# ---- synthesis ------------------------------------------------------------------
if [ "$harness" = 1 ]; then
	top=mmu_fpga_top cfg=fpga params="-set CNT_W $cnt_w" abc= design="rtl/mmu_fpga_top.sv (configuration \`fpga\`, counters $cnt_w bits)"
else
	top=mmu_board_ice40 cfg=board abc=-abc9
	design="rtl/mmu_board_ice40.sv (configuration \`board\`, $((mem / 1024)) KiB of $( [ "$spram" = 1 ] && echo SPRAM || echo block RAM), counters $cnt_w bits)"
	params="-set PLL_PAD $pad -set DIVR $divr -set DIVF $divf -set DIVQ $divq \
  -set FILTER_RANGE $filt -set CLK_DIV $div -set CLKS_PER_BIT $cpb -set MEM_BYTES $mem \
  -set USE_SPRAM $spram -set CNT_W $cnt_w"
fi
fresh=1
for f in rtl/*.sv rtl/*.svh "$gen/$cfg/mmu_cfg.vh" "$gen/mmu_defs.vh"; do
	[ "$out/board.json" -nt "$f" ] || fresh=0
done
if [ "$fresh" = 1 ] && [ "$(cat "$out/params" 2>/dev/null)" = "$params" ]; then
	echo "== yosys: $out/board.json is up to date"
else
	echo "== yosys synth_ice40 ($board): $out/yosys.log"
	yosys -q -l "$out/yosys.log" -p "read_verilog -sv -Irtl -I$gen -I$gen/$cfg rtl/*.sv; \
	  chparam $params $top; \
	  synth_ice40 $abc -device $ydev -top $top -json $out/board.json; tee -q -o $out/stat.txt stat"
	echo "$params" > "$out/params"
fi
# The netlist's identity for the placements: its JSON without source
# locations (attributes, and the names Yosys derives from them).
net_id=$(sed -E 's/[A-Za-z0-9_\/.]+\.svh?:[0-9.:-]+//g' "$out/board.json" | md5sum | cut -d' ' -f1)

# ---- place and route, one run per seed --------------------------------------------
declare -A fmax pllmax
# The system clock's net: clk (the board's PLL or divider), the harness's
# pin clk_i through its global buffer (a regular expression).
clk=clk
[ "$harness" = 0 ] || clk="clk_i[^']*"
# last_fmax LOG CLOCK: the clock's fmax after routing (nextpnr's last report).
last_fmax() {
	grep -E "Max frequency for clock +'$2'" "$1" | tail -1 | sed -E 's/.*: ([0-9.]+) MHz.*/\1/'
}
# pnr SEED: place and route one seed (its log, then its placement).
pnr() {
	nextpnr-ice40 --$dev --package $pkg --json "$out/board.json" --pcf "$pcf" \
	  --asc "$out/seed$1.asc.tmp" --freq "$fsys" "${prepack[@]}" --seed "$1" \
	  --timing-allow-fail -q -l "$out/nextpnr-seed$1.log" &&
	mv "$out/seed$1.asc.tmp" "$out/seed$1.asc" && echo "$net_id" > "$out/seed$1.net"
}
running=0 failed=0
for s in $seeds; do
	if [ -s "$out/seed$s.asc" ] && [ "$(cat "$out/seed$s.net" 2>/dev/null)" = "$net_id" ]; then
		echo "== seed $s: $out/seed$s.asc is up to date"
		continue
	fi
	if [ "$running" -ge "$jobs" ]; then
		wait -n || failed=1
		running=$((running - 1))
	fi
	echo "== nextpnr-ice40 --$dev --package $pkg --freq $fsys ${prepack[*]} --seed $s"
	pnr "$s" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || failed=1
	running=$((running - 1))
done
if [ "$failed" = 1 ]; then
	echo "synth: nextpnr-ice40 failed (its log: $out/nextpnr-seed*.log)" >&2
	exit 1
fi
for s in $seeds; do
	fmax[$s]=$(last_fmax "$out/nextpnr-seed$s.log" "$clk")
	pllmax[$s]=$( [ "$div" = 1 ] || last_fmax "$out/nextpnr-seed$s.log" pll_clk)
	echo "   seed $s: clk ${fmax[$s]} MHz${pllmax[$s]:+, pll_clk ${pllmax[$s]} MHz}"
done
sorted=$(for s in $seeds; do echo "${fmax[$s]} $s"; done | sort -g)
n=$(wc -l <<<"$sorted")
med_line=$(sed -n "$(( (n + 1) / 2 ))p" <<<"$sorted")
med=${med_line% *} med_seed=${med_line#* }
lo=$(head -1 <<<"$sorted" | cut -d' ' -f1) hi=$(tail -1 <<<"$sorted" | cut -d' ' -f1)
best_seed=$(tail -1 <<<"$sorted" | cut -d' ' -f2)
verdict=$(awk -v m="$med" -v f="$fsys" 'BEGIN { print (m >= f) ? "meets" : "MISSES" }')
slack=$(awk -v m="$med" -v f="$fsys" 'BEGIN { printf "%.1f ns, %.0f %% of the period", 1000 / f - 1000 / m, 100 * (1 - f / m) }')
pll_line=
if [ "$div" != 1 ]; then
	pll_lo=$(for s in $seeds; do echo "${pllmax[$s]}"; done | sort -g | head -1)
	pll_line="The PLL clock (net pll_clk: the divider alone) against $fpll MHz: at least $pll_lo MHz on every seed."
fi

icepack "$out/seed$best_seed.asc" "$out/board.bin"

# ---- the figures ---------------------------------------------------------------------
log=$out/nextpnr-seed$med_seed.log
util=$(grep -E "^Info:[[:space:]]+(ICESTORM_LC|ICESTORM_RAM|ICESTORM_SPRAM|SB_IO|ICESTORM_PLL|SB_GB):" "$log" |
       sed -E 's/^Info:[[:space:]]+//' | awk -F: '{ last[$1] = $0 } END { for (k in last) print last[k] }' | sort)
# The last critical-path report (after routing): its first source, its
# last sink, and nextpnr's logic / routing split.
crit=$(awk "/Critical path report for clock +'$clk'/"' { blk = ""; on = 1 }
	    on { blk = blk $0 "\n" }
	    /ns logic, .* ns routing/ { on = 0; last = blk }
	    END { printf "%s", last }' "$log")
src=$(grep -m1 -E "Source " <<<"$crit" | sed -E 's/^Info: +[0-9.]+ +[0-9.]+ +Source //')
dst=$(grep -E "Sink " <<<"$crit" | tail -1 | sed -E 's/^Info: +Sink //')
split=$(grep -E "ns logic, .* ns routing" <<<"$crit" | sed -E 's/^Info: +//' |
	awk '{ l = $1; r = $4; printf "%.1f ns logic (%.0f %%), %.1f ns routing (%.0f %%)", l, 100 * l / (l + r), r, 100 * r / (l + r) }')
hops=$(grep -cE "Net .* budget" <<<"$crit" || true)
cells=$(grep -E "SB_LUT4|SB_DFF|SB_CARRY|SB_RAM40_4K|SB_SPRAM256KA|SB_PLL" "$out/stat.txt" |
	awk '{ n[$1] += $2 } END { for (k in n) printf "%s %d, ", k, n[k] }' | sed 's/, $//')

{
	echo "# $what: \`make $( [ "$harness" = 1 ] && echo rtl-synth || echo "synth BOARD=$board")\`"
	echo
	echo "Written by scripts/synth.sh on $(date -u +%Y-%m-%d) (yosys $(yosys -V | awk '{ print $2 }'), nextpnr-ice40 0.4): do not edit."
	echo
	echo "Design: $design."
	if [ "$harness" = 1 ]; then
	echo "Clock: constrained at $fsys MHz (\`--freq\`; the harness has no PLL)."
	else
	echo "Clock: 12 MHz oscillator, PLL to $fpll MHz (DIVR $divr, DIVF $divf, DIVQ $divq)$( [ "$div" = 1 ] || echo ", divided by $div"): system clock $fsys MHz; UART $baud baud = $cpb clocks per bit ($baud_err % off)."
	fi
	echo
	echo "| resource | used / available |"
	echo "|---|---|"
	while read -r line; do
		[ -n "$line" ] && echo "| ${line%%:*} | $(sed -E 's/^[^:]+: +//' <<<"$line") |"
	done <<<"$util"
	echo
	echo "Yosys cells: $cells."
	echo
	echo "| seed | fmax of the system clock (MHz) |"
	echo "|---|---|"
	for s in $seeds; do echo "| $s | ${fmax[$s]} |"; done
	echo
	echo "fmax over placement seeds ($n): median **$med MHz** (spread $lo .. $hi MHz) against the $fsys MHz system clock: $verdict it (slack at the median: $slack)."
	[ -z "$pll_line" ] || { echo; echo "$pll_line"; }
	echo
	echo "Critical path (median seed $med_seed, $hops nets):"
	echo
	echo "- start: \`$src\`"
	echo "- end: \`$dst\`"
	echo "- $split"
	echo
	echo "Bitstream: \`$out/board.bin\` (seed $best_seed, the fastest). Program: \`iceprog $out/board.bin\`."
} > "$rep"
echo "== $rep"
cat "$rep"
