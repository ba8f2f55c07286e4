#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mutation testing of the RTL: how many single-point mutants of rtl/*.sv the
regression's quick set notices (docs/verification.md, "Mutation testing").

usage: scripts/mutate.py [--mutants N] [--seed S] [-j J] [--only ID,...]
                         [--list] [--out DIR] [--opt FLAGS] [--keep]
                         [--timeout SECONDS] [--set quick|smoke]
                         [--expect ID=RESULT,...] [--equivalent FILE]
                         [--formal] [--no-baseline]
       scripts/mutate.py --rescore [--out DIR] [--update DIR2]...

Mutants (scripts/mutants.py: operator swaps, negations, constants, stuck
assignments, dropped case arms) are enumerated over rtl/*.sv and N of them
drawn with seed S (--mutants 0: all); the list is reproducible. Each is
Verilated alone in the x86 configuration (C++ at --opt, default -O1; the
other configurations keep build/rel's unmutated models), linked into
mmuregress, mmuos and the tests/rtl programs, and run through the stages
of the set, cheapest first, until one fails:
  quick: regress-s1-3k   mmuregress in lockstep, x86 seed 1, 3000 steps
         tests-rtl       tests/rtl: test_rtl_course, _ctl, _tlb, _walk, _l1
         regress-s1, -s2 x86 seeds 1 and 2, 100 000 steps (--quick on x86)
         tests-rtl-slow  tests/rtl: test_rtl_configs, test_rtl_axi
         scenarios       the scenario suite (tests/scenarios) in lockstep
  smoke: regress-s1-3k only (make test)
Results: killed (the stage and the check that failed), survived, invalid
(Verilator or the C++ compiler refused the mutant: not counted), timeout
(a stage ran past --timeout seconds, by default 4 times what the
unmutated RTL took plus 30 s: counted apart, not as killed). The unmutated
RTL runs the set first and must pass it (--no-baseline, with --timeout:
skipped, to re-check single mutants quickly). A survivor
listed in the equivalence file (default tests/rtl/mutants-equivalent.tsv:
id, change, reason) is "equivalent" and left out of the score:
  score = killed / (killed + survived + timeout - equivalent)
Written to DIR (default build/mutate): results.tsv, summary.txt and each
mutant's log. --formal: the hand-written mutants of formal/properties.tsv
(formal-<property>-<n>) instead of drawn ones: does simulation catch what
the proofs catch? (--keep: its build too, in DIR/m/ID). --list prints the drawn mutants and exits. --expect checks
results (make test): exit 1 when a mutant's result is not the one given.
--rescore: no run; DIR's results scored again with the equivalence file
as it is now (rows of each --update DIR2 replacing DIR's, mutants no longer
generated left out), kill reasons taken again from the logs.
Exit status: 0, 1 (an --expect failed, or the unmutated RTL failed the
set), 2 (bad usage or a missing build: make build first).
"""
import argparse
import concurrent.futures as cf
import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutants as mu  # noqa: E402

CFG = "x86"
REL = "build/rel"
# Stages, cheapest first: (name, what).  tests/rtl programs are named by
# their file in tests/rtl without test_ and .c.
RTL_FAST = ["rtl_course", "rtl_ctl", "rtl_tlb", "rtl_walk", "rtl_l1"]
RTL_SLOW = ["rtl_configs", "rtl_axi"]
STAGES = {
    "smoke": [("regress-s1-3k", ["regress", "1", "3000"])],
    "quick": [("regress-s1-3k", ["regress", "1", "3000"]),
              ("tests-rtl", ["tests"] + RTL_FAST),
              ("regress-s1", ["regress", "1", "100000"]),
              ("regress-s2", ["regress", "2", "100000"]),
              ("tests-rtl-slow", ["tests"] + RTL_SLOW),
              ("scenarios", ["scenarios"])],
}


def die(msg, code=2):
    print(f"mutate: {msg}", file=sys.stderr)
    sys.exit(code)


def sh(cmd, log, cwd=None, timeout=None):
    """Runs cmd (a list), appending its output to log; returns (rc, seconds)."""
    t0 = time.time()
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        try:
            rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=cwd,
                                timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = None
    return rc, time.time() - t0


def all_mutants():
    out = []
    for path in sorted(glob.glob("rtl/*.sv")):
        name = os.path.basename(path)
        if name in mu.SKIP_FILES:
            continue
        with open(path) as f:
            out += mu.mutants_of(name, f.read())
    return out


def formal_mutants():
    """The hand-written mutants of formal/properties.tsv (text substitutions
    that a proof must catch), as mutants of this flow: formal-<property>-<n>."""
    out, n = [], {}
    with open("formal/properties.tsv") as f:
        for row in f:
            cols = row.rstrip("\n").split("\t")
            if len(cols) < 7 or cols[0] != "mutant":
                continue
            prop, fname, before, after = cols[2], cols[4], cols[5], cols[6]
            with open(f"rtl/{fname}") as r:
                text = r.read()
            if text.count(before) != 1:
                continue  # scripts/formal.sh reports it
            a = text.index(before)
            n[prop] = n.get(prop, 0) + 1
            out.append(mu.Mutant(f"formal-{prop}-{n[prop]}", fname, text.count("\n", 0, a) + 1,
                                 a - text.rfind("\n", 0, a), "formal", a, a + len(before),
                                 " ".join(before.split()), after, " ".join(after.split())))
    return out


def read_equivalent(path):
    eq = {}
    if not os.path.exists(path):
        return eq
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 3 or not cols[2].strip():
                die(f"{path}:{n}: want 'id<TAB>change<TAB>reason'")
            eq[cols[0]] = cols[2]
    return eq


class Flow:
    """The pieces every mutant shares, and one mutant's build and run."""

    def __init__(self, args):
        self.a = args
        self.out = os.path.abspath(args.out)
        gen = f"{REL}/rtl"
        need = [f"{gen}/mmu_defs.vh", f"{gen}/{CFG}/mmu_cfg.vh", f"{gen}/{CFG}/gflags",
                f"{REL}/obj/sw/tools/mmuregress.o", f"{REL}/obj/sw/tools/mmuos.o",
                f"{REL}/lib/libmmurtl.a"]
        for p in need:
            if not os.path.exists(p):
                die(f"{p} missing (make build first)")
        with open(f"{gen}/{CFG}/gflags") as f:
            self.gflags = f.read().split()
        self.gen = os.path.abspath(gen)
        # The Verilator runtime is compiled in one model's directory (sim/sim.mk).
        # (the runtime with FST support: the board system's own is without)
        rt = sorted(glob.glob(f"{REL}/verilator/*/verilated_fst_c.o"))
        if not rt:
            die(f"{REL}/verilator/*/verilated_fst_c.o missing (make build first)")
        self.runtime = [os.path.abspath(p) for p in
                        sorted(glob.glob(f"{os.path.dirname(rt[0])}/verilated*.o"))]
        self.glue = self._glue()
        # Every other model of build/rel (the other configurations, the
        # traced ones) unmutated: what the mutant x86 model (untraced,
        # Vmmu_x86) does not replace.
        self.models = [CFG] + sorted(
            os.path.basename(os.path.dirname(p))
            for p in glob.glob(f"{REL}/verilator/*/Vmmu_*__ALL.o")
            if os.path.basename(p) == f"Vmmu_{os.path.basename(os.path.dirname(p))}__ALL.o"
            and os.path.basename(os.path.dirname(p)) != CFG
            # a machine model has its shim; the board system (board_top) has none
            and os.path.exists(os.path.join(os.path.dirname(p),
                                            f"vshim_{os.path.basename(os.path.dirname(p))}.o")))
        self.others = []
        for c in self.models[1:]:
            self.others += [os.path.abspath(f"{REL}/verilator/{c}/Vmmu_{c}__ALL.o"),
                            os.path.abspath(f"{REL}/verilator/{c}/vshim_{c}.o")]
        for p in self.others:
            if not os.path.exists(p):
                die(f"{p} missing (make build first)")
        self.stages = STAGES[args.set]
        self.link = self._link_lines()
        self.scenarios = sorted(glob.glob("tests/scenarios/*.scn"))
        self.stage_s = {}

    def _glue(self):
        """The Verilator glue's objects, as sim/sim.mk lists them (make
        rtl-glue-objs), made absolute; each must be built."""
        r = subprocess.run(["make", "-s", "--no-print-directory", "VARIANT=rel", "rtl-glue-objs"],
                           capture_output=True, text=True)
        glue = [os.path.abspath(w) for w in r.stdout.split()]
        if r.returncode != 0 or not glue:
            die(f"'make rtl-glue-objs' listed no objects (no sim/sim.mk?): {r.stderr.strip()}")
        for p in glue:
            if not os.path.exists(p):
                die(f"{p} missing (make build first)")
        return glue

    def _link_lines(self):
        """{program: the words after its object on make's own link line},
        libmmurtl.a written {rtl}: the mmuregress and mmuos tools and the
        tests/rtl programs the set runs."""
        progs = {}
        for name, stage in self.stages:
            if stage[0] == "tests":
                progs.update({f"tests/rtl/test_{t}": f"{REL}/tests/rtl/test_{t}" for t in stage[1:]})
        progs.update({t: f"{REL}/bin/{t}" for t in ("mmuregress", "mmuos")})
        lines = {}
        for prog, target in progs.items():
            obj = f"{REL}/obj/{'sw/tools/' + prog if '/' not in prog else prog}.o"
            r = subprocess.run(["make", "-n", "-s", "V=1", "VARIANT=rel", "-W", obj, target],
                               capture_output=True, text=True)
            for line in r.stdout.splitlines():
                words = line.split()
                if target in words and f"{REL}/lib/libmmurtl.a" in words and obj in words:
                    rest = words[words.index(target) + 1:]
                    lines[prog] = ["{rtl}" if w == f"{REL}/lib/libmmurtl.a" else
                                   os.path.abspath(w) if w.startswith("build/") else w for w in rest]
                    break
            else:
                die(f"cannot find the link line of {target} in 'make -n' (make build first)")
            for w in lines[prog]:
                if w.startswith("/") and w.endswith((".o", ".a")) and not os.path.exists(w):
                    die(f"{w} missing (make build first)")
        return lines

    def common(self):
        """The model list (every configuration: the others' models are the
        unmutated ones of build/rel), compiled once."""
        d = f"{self.out}/common"
        os.makedirs(d, exist_ok=True)
        src = f"{d}/vshim_list.c"
        with open(src, "w") as f:
            f.write('/* scripts/mutate.py: the Verilated configurations. */\n'
                    '#include "rtl_ports.h"\n')
            for c in self.models:
                f.write(f'extern const struct vshim_ops vshim_{c};\n')
            f.write('const struct vshim_ops *const vshim_models[] = {\n')
            for c in self.models:
                f.write(f'\t&vshim_{c},\n')
            f.write('\t0,\n};\n')
        rc, _ = sh(["cc", "-std=c11", "-O1", "-Isim", "-Isw", "-c", src, "-o", f"{d}/vshim_list.o"],
                   f"{d}/build.log")
        if rc != 0:
            die(f"cannot compile {src} ({d}/build.log)")
        self.vlist = f"{d}/vshim_list.o"

    def build(self, d, rtl_dir, log):
        """Verilates rtl_dir into d and links the set's programs there with
        it; True on success."""
        md = f"{d}/obj"
        os.makedirs(md, exist_ok=True)
        top = f"Vmmu_{CFG}"
        with open(f"{md}/vshim_cfg.h", "w") as f:
            f.write(f'#define VSHIM_TOP {top}\n#define VSHIM_NAME vshim_{CFG}\n'
                    f'#define VSHIM_CONFIG "{CFG}"\n'
                    f'#define VSHIM_GFLAGS "{" ".join(self.gflags)}"\n'
                    '#define VSHIM_TRACE 0\n#define VSHIM_COVERAGE 0\n')
        with open(f"{md}/vshim_{CFG}.cpp", "w") as f:
            f.write(f'#include "{os.path.abspath("sim/vshim.cpp")}"\n')
        srcs = sorted(glob.glob(f"{rtl_dir}/*.sv"))
        cmd = (["verilator", "--cc", "-O3", "--x-assign", "fast", "--x-initial", "fast",
                "--top-module", "mmu_top", f"-I{rtl_dir}", f"-I{self.gen}", f"-I{self.gen}/{CFG}"]
               + self.gflags + ["--prefix", top, "--Mdir", md, "-CFLAGS",
                                f"-I{os.path.abspath('sim')} -I{md}"] + srcs + [f"{md}/vshim_{CFG}.cpp"])
        if sh(cmd, log)[0] != 0:
            return False
        opt = f"OPT_FAST={self.a.opt} -fno-stack-protector"
        if sh(["make", "-s", "-C", md, "-f", f"{top}.mk", opt, f"OPT_SLOW={self.a.opt}",
               f"OPT_GLOBAL={self.a.opt}", "VM_PARALLEL_BUILDS=0", f"{top}__ALL.o",
               f"vshim_{CFG}.o"], log)[0] != 0:
            return False
        lib = f"{d}/libmmurtl.a"
        if sh(["ar", "rcs", lib, f"{md}/{top}__ALL.o", f"{md}/vshim_{CFG}.o", self.vlist]
              + self.others + self.glue + self.runtime, log)[0] != 0:
            return False
        for prog, words in self.link.items():
            cmd = (["g++", "-o", f"{d}/{os.path.basename(prog)}"]
                   + [lib if w == "{rtl}" else w for w in words])
            if sh(cmd, log)[0] != 0:
                return False
        return True

    def run_stage(self, d, stage, log, timeout):
        """(rc, reason): rc 0 passed, 1 failed, None timeout."""
        if stage[0] == "regress":
            cmds = [[f"{d}/mmuregress", "--backend", "lockstep", "--config", CFG, "--seed", stage[1],
                     "--ops", stage[2], "--quiet"]]
        elif stage[0] == "tests":
            cmds = [[f"{d}/test_{t}"] for t in stage[1:]]
        else:
            cmds = [[f"{d}/mmuos", "run", "--quiet", "--backend", "lockstep"] + self.scenarios]
        t0, rc = time.time(), 0
        for cmd in cmds:
            start = os.path.getsize(log) if os.path.exists(log) else 0
            left = None if timeout is None else max(1, timeout - (time.time() - t0))
            rc, _ = sh(cmd, log, timeout=left)
            if rc != 0:
                break
        self.stage_s[stage_key(stage)] = time.time() - t0
        if rc is None:
            return None, ""
        if rc == 0:
            return 0, ""
        return 1, command_failure(log, start)

    def mutant(self, m, timeout):
        """Builds and runs one mutant (m None: the unmutated RTL); returns a
        result dict.  timeout: seconds per stage (a dict by stage name), or
        None."""
        mid = m.mid if m else "unmutated"
        d = f"{self.out}/m/{mid}"
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(f"{d}/rtl")
        for p in glob.glob("rtl/*.sv") + glob.glob("rtl/*.svh"):
            shutil.copy(p, f"{d}/rtl/")
        if m:
            with open(f"rtl/{m.file}") as f:
                text = f.read()
            with open(f"{d}/rtl/{m.file}", "w") as f:
                f.write(m.apply(text))
        log = f"{self.out}/logs/{mid}.log"
        os.makedirs(os.path.dirname(log), exist_ok=True)
        if os.path.exists(log):
            os.remove(log)
        t0 = time.time()
        res = {"id": mid, "result": "survived", "stage": "-", "reason": "-"}
        if not self.build(d, f"{d}/rtl", log):
            res.update(result="invalid", reason=last_error(log))
        else:
            tb = time.time()
            res["build_s"] = tb - t0
            for name, stage in self.stages:
                limit = timeout[name] if timeout else None
                rc, why = self.run_stage(d, stage, log, limit)
                if not m:
                    res.setdefault("stage_s", {})[name] = self.stage_s[stage_key(stage)]
                if rc is None:
                    res.update(result="timeout", stage=name, reason=f"no end after {limit} s")
                    break
                if rc:
                    res.update(result="killed", stage=name, reason=why)
                    break
            res["run_s"] = time.time() - tb
        res.setdefault("build_s", time.time() - t0)
        res.setdefault("run_s", 0.0)
        if not self.a.keep:
            shutil.rmtree(d, ignore_errors=True)
        return res


def stage_key(stage):
    return " ".join(stage)


def command_failure(log, start):
    """'program: reason' for the command whose output starts at offset
    start of log (the last one: a stage stops at its first failure)."""
    with open(log) as f:
        f.seek(start)
        text = f.read()
    prog = os.path.basename(text.split("\n", 1)[0][2:].split(" ", 1)[0])
    return f"{prog}: {first_failure(text)}"


def first_failure(text):
    """A one-line reason from a failing command's output: the lockstep
    report's first line, else an assertion, a cmocka error, ..."""
    keys = ("lockstep mismatch", "assert", "$error", "FAIL", "error", "timeout")
    for k in keys:
        for line in text.splitlines():
            if k.lower() in line.lower() and not line.startswith("$ "):
                return " ".join(line.split())[:160]
    lines = [x for x in text.splitlines() if x.strip() and not x.startswith("$ ")]
    return " ".join(lines[-1].split())[:160] if lines else "exit status 1"


def last_error(log):
    with open(log) as f:
        lines = f.read().splitlines()
    for line in lines:
        if "%Error" in line or "error:" in line:
            return " ".join(line.split())[:160]
    return "build failed"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/mutate.py", add_help=False)
    p.add_argument("-h", "--help", action="store_true")
    p.add_argument("--mutants", type=int, default=40)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-j", type=int, default=1, dest="j")
    p.add_argument("--only", default="")
    p.add_argument("--list", action="store_true")
    p.add_argument("--out", default="build/mutate")
    p.add_argument("--opt", default="-O1")
    p.add_argument("--timeout", type=int, default=0)
    p.add_argument("--set", choices=sorted(STAGES), default="quick")
    p.add_argument("--expect", default="")
    p.add_argument("--equivalent", default="tests/rtl/mutants-equivalent.tsv")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--formal", action="store_true")
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--rescore", action="store_true")
    p.add_argument("--update", action="append", default=[])

    def error(msg):
        if "unrecognized arguments" in msg:
            msg = "unknown option " + msg.split(": ", 1)[1]
        print(f"mutate: {msg}", file=sys.stderr)
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    p.error = error
    a = p.parse_args(argv)
    if a.help:
        print(__doc__.strip())
        sys.exit(0)
    if a.mutants < 0 or a.j < 1 or a.timeout < 0:
        error("--mutants, -j and --timeout want numbers >= 0 (-j >= 1)")
    if a.no_baseline and not a.timeout:
        error("--no-baseline needs --timeout (the unmutated run sets the limits)")
    return a


def draw(a):
    every = all_mutants()
    if a.formal:
        every += formal_mutants()
    by_id = {m.mid: m for m in every}
    if a.only:
        chosen = []
        for mid in a.only.split(","):
            if mid not in by_id:
                die(f"no mutant '{mid}' in rtl/ (the RTL changed? --list shows the ids)")
            chosen.append(by_id[mid])
        return every, chosen
    ids = sorted(i for i in by_id if not i.startswith("formal-"))
    if a.formal:
        return every, [m for m in every if m.kind == "formal"]
    n = len(ids) if a.mutants == 0 else min(a.mutants, len(ids))
    return every, [by_id[i] for i in random.Random(a.seed).sample(ids, n)]


def main(argv):
    a = parse_args(argv)
    expect = {}
    for item in filter(None, a.expect.split(",")):
        mid, _, want = item.partition("=")
        if want not in ("killed", "survived", "invalid", "timeout"):
            die(f"bad --expect '{item}' (want ID=killed|survived|invalid|timeout)")
        expect[mid] = want
    if expect and not a.only:
        a.only = ",".join(expect)
    every, chosen = draw(a)
    if a.list:
        for m in chosen:
            print(f"{m.mid}\t{m.describe()}")
        print(f"mutate: {len(chosen)} of {len(every)} mutants (seed {a.seed})")
        return 0
    eq = read_equivalent(a.equivalent)
    if a.rescore:
        return rescore(a, eq)
    flow = Flow(a)
    os.makedirs(flow.out, exist_ok=True)
    flow.common()
    print(f"mutate: {len(chosen)} of {len(every)} mutants of rtl/ (seed {a.seed}), "
          f"set '{a.set}', {a.j} at a time, C++ {a.opt}")
    if a.no_baseline:
        base = {"build_s": 0.0, "run_s": 0.0, "stage_s": {name: 0 for name, _ in flow.stages}}
        print("  unmutated RTL: not run (--no-baseline)")
    else:
        base = flow.mutant(None, None)
        print(f"  unmutated RTL: {base['result']} (build {base['build_s']:.0f} s, "
              f"set {base['run_s']:.0f} s)", flush=True)
        if base["result"] != "survived":
            die(f"the unmutated RTL does not pass the set: {base['reason']} "
                f"({flow.out}/logs/unmutated.log)", 1)
    # Each stage may take 4 times (plus 30 s) what it took the unmutated RTL.
    timeout = {name: a.timeout or int(4 * secs + 30) for name, secs in base["stage_s"].items()}
    print("  time limit per stage: " + ", ".join(f"{k} {v} s" for k, v in timeout.items()))
    results = run_all(flow, chosen, timeout, a.j, eq)
    if len(results) < len(chosen):
        print(f"mutate: stopped: {len(results)} of {len(chosen)} mutants run")
        chosen = [m for m in chosen if m.mid in results]
    return report(flow.out, chosen, results, eq, expect, base, timeout)


def run_all(flow, chosen, timeout, j, eq):
    """Results by id.  SIGINT or SIGTERM: the mutants being run finish, the
    others are left out (the report covers those run)."""
    results, stop = {}, []

    def on_signal(signum, frame):
        if not stop:
            print("mutate: stopping after the mutants being run", flush=True)
        stop.append(signum)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    def one(m):
        return None if stop else flow.mutant(m, timeout)
    with cf.ThreadPoolExecutor(max_workers=j) as ex:
        futs = {ex.submit(one, m): m for m in chosen}
        done = 0
        for fut in cf.as_completed(futs):
            m = futs[fut]
            r = fut.result()
            if r is None:
                continue
            if r["result"] == "survived" and m.mid in eq:
                r["result"] = "equivalent"
            results[m.mid] = r
            done += 1
            what = r["result"] + (f" by {r['stage']}: {r['reason']}" if r["result"] == "killed" else
                                  f" ({r['reason']})" if r["result"] in ("invalid", "timeout") else "")
            print(f"  [{done}/{len(chosen)}] {m.mid} {m.describe()}: {what}", flush=True)
    return results


COLS = ["id", "file_line_col", "kind", "before", "after", "result", "stage", "reason", "build_s",
        "run_s"]


def report(out, chosen, results, eq, expect, base, timeout):
    rows = []
    for m in chosen:
        r = results[m.mid]
        rows.append({"id": m.mid, "file_line_col": f"{m.file}:{m.line}:{m.col}", "kind": m.kind,
                     "before": m.before, "after": m.after_shown, "result": r["result"],
                     "stage": r["stage"], "reason": r["reason"], "build_s": f"{r['build_s']:.1f}",
                     "run_s": f"{r['run_s']:.1f}"})
    head = ["time limit per stage: " + ", ".join(f"{k} {v} s" for k, v in timeout.items()),
            f"unmutated RTL: build {base['build_s']:.0f} s, set {base['run_s']:.0f} s"]
    write_report(out, rows, eq, head)
    bad = 0
    for mid, want in expect.items():
        got = results[mid]["result"]
        got = "survived" if got == "equivalent" else got
        ok = got == want
        bad += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {mid}: {got} (expected {want})")
    if expect:
        print(f"mutate: {len(expect) - bad} of {len(expect)} expected results")
    return 1 if bad else 0


def write_report(out, rows, eq, head):
    """results.tsv and summary.txt from rows (dicts of COLS); survivors
    listed in the equivalence file become equivalent, with its reason."""
    n = {k: 0 for k in ("killed", "survived", "equivalent", "invalid", "timeout")}
    with open(f"{out}/results.tsv", "w") as f:
        f.write("\t".join(COLS) + "\n")
        for r in rows:
            if r["result"] in ("survived", "equivalent"):
                r["result"] = "equivalent" if r["id"] in eq else "survived"
                r["reason"] = eq.get(r["id"], "-")
            n[r["result"]] += 1
            f.write("\t".join(r[c] for c in COLS) + "\n")
    scored = n["killed"] + n["survived"] + n["timeout"]
    lines = [f"mutants: {len(rows)}; killed {n['killed']}, survived {n['survived']}, "
             f"equivalent {n['equivalent']}, invalid {n['invalid']}, timeout {n['timeout']}"] + head
    if scored:
        lines.append(f"score: {n['killed']}/{scored} = {100.0 * n['killed'] / scored:.1f} % of the "
                     f"non-equivalent valid mutants killed (timeouts counted as not killed)")
    lines.append("survivors (not judged equivalent):")
    lines += [f"  {r['id']}\t{r['file_line_col']} {r['kind']} '{r['before']}' -> '{r['after']}'"
              for r in rows if r["result"] == "survived"]
    with open(f"{out}/summary.txt", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"mutate: results in {out}/results.tsv, {out}/summary.txt, logs in {out}/logs/")


def read_results(d):
    path = f"{d}/results.tsv"
    if not os.path.exists(path):
        die(f"{path} missing (a run writes it)")
    rows = {}
    with open(path) as f:
        cols = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(cols, line.rstrip("\n").split("\t")))
            r.setdefault("file_line_col", r.get("file_line", "-"))
            r["log"] = f"{d}/logs/{r['id']}.log"
            rows[r["id"]] = r
    return rows


def rescore(a, eq):
    """--rescore: the run in --out scored again with the equivalence file as
    it is now; the rows of each --update DIR (a re-run of some of the
    mutants, e.g. the survivors after new checks) replace the old ones, and
    mutants the generator no longer makes are left out and listed."""
    rows = read_results(a.out)
    for d in a.update:
        for mid, r in read_results(d).items():
            if mid in rows:
                rows[mid] = r
    current = {m.mid for m in all_mutants()}
    dropped = [mid for mid in rows if mid not in current]
    kept = []
    for mid, r in rows.items():
        if mid in dropped:
            continue
        if r["result"] == "killed" and os.path.exists(r["log"]):
            with open(r["log"]) as f:
                text = f.read()
            r["reason"] = command_failure(r["log"], text.rfind("\n$ ") + 1)
        kept.append(r)
    head = [f"rescored: {a.out}" + "".join(f", updated from {d}" for d in a.update)]
    if dropped:
        head.append(f"left out, no longer generated (RTL or generator changed): {', '.join(dropped)}")
    write_report(a.out, kept, eq, head)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
