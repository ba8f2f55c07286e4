# SPDX-License-Identifier: MIT
"""Single-point mutants of the RTL's SystemVerilog (scripts/mutate.py uses it).

A mutant is one small change to one rtl/*.sv file, found by scanning the
source with comments blanked out:

  op       a binary operator swapped (&& ||, == !=, < <=, > >=, + -, & |,
           ^ |, << >>)
  unary    a logical or bitwise negation dropped (!x -> x, ~x -> x)
  if-not   an if condition negated (if (c) -> if (!(c)))
  const    a constant changed (1'b0 <-> 1'b1, '0 <-> '1, a number's low
           bit flipped: 3'd1 -> 3'd0, 8 -> 9)
  stuck    the right-hand side of a blocking or continuous assignment
           stuck at zero ('0) unless it is a constant
  arm      the body of a case arm dropped (LABEL: begin ... end -> LABEL: ;)

Left alone: code the simulated model does not compile (`ifdef SYNTHESIS,
`else of `ifdef VERILATOR), declarations and parameters (module headers, ports,
localparam, typedef), index and part-select expressions inside [ ],
width casts, for-loop headers, the elaboration-time configuration checks
(config_error_*), and the assertions (MMU_ASSERT*, $error): mutating a
check says nothing about the checks outside the RTL.

Each mutant has a stable id, <file stem>-<8 hex digits> (a hash of the file,
the text of the line, the column and the change), that survives edits
elsewhere in the file, and a one-line description file:line:column kind 'before' ->
'after'.
"""
import hashlib
import re
from dataclasses import dataclass

# Not in the x86 model the mutants run in: the fmax harness and the FPGA
# board system (its UART link, memory and tops, and mmu_top bundled for
# them; tested by make board-test).
SKIP_FILES = {"mmu_fpga_top.sv", "mmu_board_top.sv", "mmu_board_ice40.sv",
              "mmu_bundled.sv", "board_link.sv", "board_mem.sv", "board_ram.sv",
              "uart_rx.sv", "uart_tx.sv"}

BINOP_SWAP = {"&&": "||", "||": "&&", "==": "!=", "!=": "==", "<": "<=", "<=": "<",
              ">": ">=", ">=": ">", "+": "-", "-": "+", "&": "|", "|": "&", "^": "|",
              "<<": ">>", ">>": "<<"}
# Longest first: the scanner takes the longest operator at a position.
OPS = sorted(list(BINOP_SWAP) + ["===", "!==", "<<<", ">>>", "+:", "-:", "++", "--",
                                 "->", "::", "~&", "~|", "~^", "^~"], key=len, reverse=True)
DECL_WORDS = re.compile(r"\b(localparam|parameter|input|output|inout|typedef|module|import|"
                        r"genvar)\b|\$(error|display|fatal)\b|`MMU_ASSERT|"
                        r"config_error_")
IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
NUMBER = re.compile(r"(\d+)?'[sS]?([bBdDhH])([0-9a-fA-F_xXzZ]+)|'[01]\b|\d+")


@dataclass
class Mutant:
    mid: str
    file: str
    line: int
    col: int     # from 1
    kind: str
    start: int   # offset in the file's text
    end: int
    before: str  # as shown (whitespace folded, long text cut)
    after: str   # the replacement of text[start:end]
    after_shown: str

    def describe(self):
        return f"{self.file}:{self.line}:{self.col} {self.kind} '{self.before}' -> '{self.after_shown}'"

    def apply(self, text):
        return text[:self.start] + self.after + text[self.end:]


def blank_comments(text):
    """The text with comments and strings replaced by spaces (offsets kept)."""
    out, i, n = list(text), 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(n, j + 1)
        else:
            i += 1
            continue
        for k in range(i, j):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


# Macros as the Verilated model sees them: code under an inactive branch
# (synthesis-only code) is not in the model, and no mutant of it could fail.
SIM_DEFINED = {"VERILATOR": True, "SYNTHESIS": False}


def blank_inactive(code):
    """code with the lines of `ifdef/`ifndef branches that the simulated
    model does not compile blanked (offsets kept)."""
    out, stack = [], []  # stack of (known, active) per open `ifdef
    for line in code.split("\n"):
        m = re.match(r"\s*`(ifdef|ifndef|else|endif)\b\s*(\w*)", line)
        if m:
            d, name = m.groups()
            if d in ("ifdef", "ifndef"):
                val = SIM_DEFINED.get(name)
                stack.append(None if val is None else (val if d == "ifdef" else not val))
            elif d == "else" and stack:
                stack[-1] = None if stack[-1] is None else not stack[-1]
            elif d == "endif" and stack:
                stack.pop()
            out.append(line)
            continue
        active = all(x is not False for x in stack)
        out.append(line if active else " " * len(line))
    return "\n".join(out)


def tokens(code):
    """(kind, text, start) for identifiers, numbers, operators and punctuation."""
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c.isspace():
            i += 1
            continue
        if c == "`":
            m = IDENT.match(code, i + 1)
            j = m.end() if m else i + 1
            yield ("macro", code[i:j], i)
            i = j
            continue
        m = NUMBER.match(code, i)
        if m and (c.isdigit() or c == "'"):
            yield ("num", m.group(0), i)
            i = m.end()
            continue
        m = IDENT.match(code, i)
        if m:
            yield ("id", m.group(0), i)
            i = m.end()
            continue
        for op in OPS:
            if code.startswith(op, i):
                yield ("op", op, i)
                i += len(op)
                break
        else:
            yield ("op", c, i)
            i += 1


def statement_bounds(code, pos):
    """The text from the ';' before pos to the ';' after it (a statement, roughly)."""
    a = code.rfind(";", 0, pos) + 1
    b = code.find(";", pos)
    return code[a:(len(code) if b < 0 else b)]


def matching(toks, i, open_, close):
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][1] == open_:
            depth += 1
        elif toks[j][1] == close:
            depth -= 1
            if depth == 0:
                return j
    return None


def _operand_end(tok):
    return tok[0] in ("id", "num", "macro") or tok[1] in (")", "]", "}")


def find_sites(fname, text):
    """Every mutation site of one file: a list of (kind, start, end, before, after)."""
    code = blank_inactive(blank_comments(text))
    toks = list(tokens(code))
    sites = []
    # Context per token: inside [ ], inside a for (...) header, paren depth.
    # A width cast's width, (W + 1)'(x), counts as an index expression.
    for k, (kind, t, pos) in enumerate(toks):
        if t == "(":
            j = matching(toks, k, "(", ")")
            if j is not None and code.startswith("'", toks[j][2] + 1):
                toks[k] = ("op", "[", pos)
                toks[j] = ("op", "]", toks[j][2])
    ctx, stack = [], []  # stack of (opener, keyword before it)
    for k, (kind, t, pos) in enumerate(toks):
        if t in ("(", "[", "{"):
            kw = toks[k - 1][1] if k else ""
            stack.append((t, kw))
        ctx.append((any(o == "[" for o, _ in stack), any(kw == "for" for o, kw in stack if o == "("),
                    sum(1 for o, _ in stack if o == "(")))
        if t in (")", "]", "}") and stack:
            stack.pop()
    skipped = {}

    def excluded(pos):
        if pos not in skipped:
            skipped[pos] = bool(DECL_WORDS.search(statement_bounds(code, pos)))
        return skipped[pos]

    for k, (kind, t, pos) in enumerate(toks):
        in_br, in_for, pdepth = ctx[k]
        if in_br or in_for or excluded(pos):
            continue
        prev = toks[k - 1] if k else ("op", "", 0)
        if kind == "op" and t in BINOP_SWAP:
            if t == "<=" and pdepth == 0:
                continue  # a nonblocking assignment
            if not _operand_end(prev):
                continue  # unary use (reduction &, |, ^; negative number)
            sites.append(("op", pos, pos + len(t), t, BINOP_SWAP[t]))
        elif kind == "op" and t in ("!", "~"):
            sites.append(("unary", pos, pos + 1, t, ""))
        elif kind == "id" and t == "if" and k + 1 < len(toks) and toks[k + 1][1] == "(":
            j = matching(toks, k + 1, "(", ")")
            if j is not None:
                a, b = toks[k + 1][2], toks[j][2] + 1
                inner = text[a + 1:b - 1]
                sites.append(("if-not", a, b, text[a:b], f"(!({inner}))"))
        elif kind == "num" and not code.startswith("'(", pos + len(t)):
            after = _const_flip(t)
            if after is not None:
                sites.append(("const", pos, pos + len(t), t, after))
    sites += _stuck_sites(code, text, toks, ctx, excluded)
    sites += _arm_sites(code, text, toks, excluded)
    return sites


def _const_flip(t):
    if t == "'0":
        return "'1"
    if t == "'1":
        return "'0"
    m = re.fullmatch(r"(\d+)?'([sS]?)([bBdDhH])([0-9a-fA-F_]+)", t)
    if m:
        width, s, base, digits = m.groups()
        radix = {"b": 2, "d": 10, "h": 16}[base.lower()]
        v = int(digits.replace("_", ""), radix) ^ 1
        body = {2: format(v, "b"), 10: str(v), 16: format(v, "x")}[radix]
        return f"{width or ''}'{s}{base}{body}"
    if t.isdigit():
        return str(int(t) ^ 1)
    return None


def mu_number(s):
    m = NUMBER.fullmatch(s.strip())
    return m is not None


def _stuck_sites(code, text, toks, ctx, excluded):
    """Blocking and continuous assignments (depth 0 '='): RHS stuck at '0."""
    sites = []
    for k, (kind, t, pos) in enumerate(toks):
        if t != "=" or ctx[k][0] or ctx[k][1] or ctx[k][2] or excluded(pos):
            continue
        end = code.find(";", pos)
        if end < 0:
            continue
        rhs = text[pos + 1:end]
        a = pos + 1 + (len(rhs) - len(rhs.lstrip()))
        b = pos + 1 + len(rhs.rstrip())
        before = text[a:b]
        if mu_number(before):
            continue  # a constant: the const mutants change it
        after = "'0"
        sites.append(("stuck", a, b, before, after))
    return sites


def _arm_sites(code, text, toks, excluded):
    """Case arms: 'LABEL: begin ... end' or 'LABEL: stmt;' -> 'LABEL: ;'."""
    sites = []
    k, n = 0, len(toks)
    while k < n:
        if toks[k][1] in ("case", "casez", "casex") and k + 1 < n and toks[k + 1][1] == "(":
            j = matching(toks, k + 1, "(", ")")
            k = j + 1
            while k < n and toks[k][1] != "endcase":
                # the label: up to ':' at paren depth 0
                depth, c = 0, k
                while c < n and not (toks[c][1] == ":" and depth == 0):
                    depth += toks[c][1] in ("(", "{", "[")
                    depth -= toks[c][1] in (")", "}", "]")
                    c += 1
                if c + 1 >= n:
                    break
                body = c + 1
                if toks[body][1] == "begin":
                    d, e = 0, body
                    while e < n:
                        d += toks[e][1] in ("begin", "case", "casez", "casex")
                        d -= toks[e][1] in ("end", "endcase")
                        if d == 0:
                            break
                        e += 1
                    a, b = toks[body][2], toks[e][2] + len(toks[e][1])
                elif toks[body][1] in ("if", "case", "unique", "priority"):
                    e = body  # a compound statement: left alone
                    while e < n and toks[e][1] != ";":
                        e += 1
                    a = b = None
                else:
                    e = body
                    while e < n and toks[e][1] != ";":
                        e += 1
                    a, b = toks[body][2], toks[e][2] + 1
                if a is not None and not excluded(a) and " ".join(code[a:b].split()) not in (";", "begin end"):
                    label = " ".join(x[1] for x in toks[k:c])
                    sites.append(("arm", a, b, f"{label}: {text[a:b]}", ";"))
                k = e + 1
        k += 1
    return sites


def mutants_of(fname, text):
    out, seen = [], {}
    lines = text.split("\n")
    for kind, a, b, before, after in find_sites(fname, text):
        line = text.count("\n", 0, a) + 1
        col = a - (text.rfind("\n", 0, a) + 1)
        key = f"{fname}|{lines[line - 1].strip()}|{col}|{kind}|{after}"
        h = hashlib.sha1(key.encode()).hexdigest()[:8]
        n = seen.get(h, 0)
        seen[h] = n + 1
        mid = f"{fname.rsplit('.', 1)[0]}-{h}" + (f"-{n}" if n else "")
        shown = " ".join(before.split())
        if len(shown) > 70:
            shown = shown[:67] + "..."
        after_shown = after
        if kind == "arm":
            after_shown = before.split(":", 1)[0] + ": ;"
        out.append(Mutant(mid, fname, line, col + 1, kind, a, b, shown, after, after_shown))
    return out
