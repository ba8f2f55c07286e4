#!/bin/sh
# Install the Debian packages the project uses, only those missing.
# Idempotent: a machine that has them all is left untouched (no network).
# Runs `apt-get update` once before the first install; uses sudo when not root.
case ${1:-} in -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0;; esac
set -eu
PKGS="build-essential pkg-config python3 verilator libsystemc-dev libcmocka-dev yosys \
nextpnr-ice40 fpga-icestorm iverilog gtkwave valgrind clang llvm libclang-rt-14-dev z3 lcov"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: all $(echo $PKGS | wc -w) packages present"
	exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
echo "deps: installing:$missing"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
