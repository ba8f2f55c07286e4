# Helpers shared by the command-line test scripts (sourced, not run).
# Each check adds to $pass or $fail and prints a FAIL line with what it was.

expect() {  # expect WANT_RC PATTERN -- command...: exit status and output
	local want=$1 pat=$2; shift 3
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" <<<"$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $* -> rc=$rc (want $want), output: ${out:0:2000}"
	fi
}

check() {  # check WHAT command...: a condition, its output discarded
	local what=$1; shift
	if "$@" >/dev/null 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $what"
	fi
}

# JUnit XML: well-formed; "classname name" of each testcase, one a line;
# the number of failures.
wellformed() { python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' "$1"; }
cases() {
	python3 -c 'import xml.dom.minidom,sys
for c in xml.dom.minidom.parse(sys.argv[1]).getElementsByTagName("testcase"):
    print(c.getAttribute("classname"), c.getAttribute("name"))' "$1"
}
failures() {
	python3 -c 'import xml.dom.minidom,sys
print(len(xml.dom.minidom.parse(sys.argv[1]).getElementsByTagName("failure")))' "$1"
}
