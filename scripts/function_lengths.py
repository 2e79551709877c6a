#!/usr/bin/env python3
"""Lists functions in src/ longer than a limit (default 80 lines), longest first.

A function is a top-level or class-level brace block whose opening line looks like a definition
(a parameter list before the brace, not a namespace, class, struct, enum or an initializer).
Lambdas inside a function count toward it. Declarative tables (a brace-initialised variable)
are not functions. Usage: scripts/function_lengths.py [--limit N] [--check] [paths...]
With --check it exits 1 when any function (outside the allow list below) exceeds the limit.
"""
import argparse
import pathlib
import re
import sys

# Declarative tables kept as one block on purpose: each adds one flow's catalog entries (name,
# kind, phrase, creator instruction), one statement per feature, in the schema's order, which is
# the feature vector's column order; splitting them would only hide that order.
ALLOW = {
    "src/features/feature_schema.cc:add_density",
    "src/features/feature_schema.cc:add_overlay",
    "src/features/feature_schema.cc:add_emotion",
}

DEF_RE = re.compile(r"\)\s*(const)?\s*(noexcept)?\s*(override)?\s*(->\s*[\w:<>,\s*&]+)?\s*(try)?\s*\{?\s*$")
NOT_FUNC = re.compile(r"^\s*(namespace|class|struct|enum|union|extern)\b|=\s*\{?\s*$|^\s*(if|for|while|switch|catch)\b")


def strip(line, state):
    """Removes comments, strings and char literals; state tracks block comments."""
    out, i = [], 0
    while i < len(line):
        if state["block"]:
            j = line.find("*/", i)
            if j < 0:
                return "".join(out)
            state["block"], i = False, j + 2
            continue
        c = line[i]
        if line.startswith("//", i):
            break
        if line.startswith("/*", i):
            state["block"], i = True, i + 2
            continue
        if line.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', line[i:])
            if m:
                end = line.find(")" + m.group(1) + '"', i)
                if end < 0:
                    state["raw"] = ")" + m.group(1) + '"'
                    return "".join(out) + '""'
                i = end + len(m.group(1)) + 2
                out.append('""')
                continue
        if c in "\"'":
            j = i + 1
            while j < len(line) and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def functions(path):
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    state = {"block": False, "raw": None}
    depth, stack, header = 0, [], []
    for n, raw in enumerate(lines, 1):
        if state["raw"]:
            k = raw.find(state["raw"])
            if k < 0:
                continue
            raw, state["raw"] = raw[k + len(state["raw"]):], None
        line = strip(raw, state)
        if line.strip() and depth == len([s for s in stack if s[0] == "scope"]):
            header.append(line)
            header = header[-4:]
        for ch in line:
            if ch == "{":
                text = " ".join(h.strip() for h in header)
                in_function = any(s[0] == "func" for s in stack)
                is_func = (not in_function and "(" in text and not NOT_FUNC.search(text.split("{")[0] + "{")
                           and not re.search(r"\b(namespace|class|struct|enum)\b[^()]*$", text.split("(")[0])
                           and DEF_RE.search(text.split("{")[0].rstrip() + " {"))
                name = None
                if is_func:
                    m = re.search(r"([\w:~<>]+)\s*\([^()]*(\([^()]*\)[^()]*)*\)[^()]*$", text.split("{")[0])
                    name = m.group(1) if m else text[:60]
                stack.append(("func" if is_func else ("scope" if not in_function else "block"), n, name))
                depth += 1
                header = []
            elif ch == "}":
                if stack:
                    kind, start, name = stack.pop()
                    if kind == "func":
                        yield name, start, n
                depth = max(0, depth - 1)
                header = []
            elif ch == ";":
                header = []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=80)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("paths", nargs="*", default=["src"])
    a = ap.parse_args()
    long = []
    for root in a.paths:
        base = pathlib.Path(root)
        for p in [base] if base.is_file() else sorted(base.rglob("*")):
            if p.suffix not in (".cc", ".h"):
                continue
            for name, start, end in functions(p):
                length = end - start + 1
                if length > a.limit:
                    long.append((length, f"{p}:{start}", name))
    long.sort(reverse=True)
    for length, where, name in long:
        allowed = " (allowed)" if f"{where.split(':')[0]}:{name}" in ALLOW else ""
        print(f"{length:5d}  {where}  {name}{allowed}")
    bad = [x for x in long if f"{x[1].split(':')[0]}:{x[2]}" not in ALLOW]
    print(f"{len(bad)} function(s) longer than {a.limit} lines", file=sys.stderr)
    return 1 if a.check and bad else 0


if __name__ == "__main__":
    sys.exit(main())
