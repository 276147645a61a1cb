#!/usr/bin/env python3
"""Which pipe rows of a Markdown file GitHub's renderer draws as a table, and which not.

Used to check the table corpus (tests/corpus) against the reference implementation,
cmark-gfm, through the `cmarkgfm` bindings:

    python3 -m venv .cache/gfm-venv && .cache/gfm-venv/bin/pip install cmarkgfm
    .cache/gfm-venv/bin/python scripts/gfm-tables.py tests/corpus/*/*.md

For each file it prints the line ranges (1-based) of every rendered table, and of every
run of lines holding a `|` that is neither in a rendered table nor in code: pipe rows a
reader meant as a table and GFM shows as text (lines in lists, quotes and HTML blocks
are left out). Front matter (`---` or `+++` fenced at
the top) is skipped: GitHub does not render it as Markdown either.
"""
import re
import sys

import cmarkgfm
from cmarkgfm.cmark import Options

SOURCEPOS = re.compile(r'<(table|pre|code)[^>]*data-sourcepos="(\d+):\d+-(\d+):\d+"')


def front_matter_end(lines):
    if lines and lines[0].strip() in ("---", "+++"):
        fence = lines[0].strip()
        for i in range(1, len(lines)):
            if lines[i].strip() == fence:
                return i + 1
    return 0


def report(path):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    skip = front_matter_end(lines)
    # Render what follows the front matter, blanking its lines so numbers stay put.
    body = "\n" * skip + "\n".join(lines[skip:])
    html = cmarkgfm.github_flavored_markdown_to_html(body, options=Options.CMARK_OPT_SOURCEPOS)
    tables, code = [], set()
    for kind, a, b in SOURCEPOS.findall(html):
        a, b = int(a), int(b)
        if kind == "table":
            tables.append((a, b))
        elif kind == "pre":
            code.update(range(a, b + 1))
    in_table = {n for a, b in tables for n in range(a, b + 1)}
    runs, current = [], []
    for n, line in enumerate(lines, start=1):
        stray = (
            n > skip
            and "|" in line
            and n not in in_table
            and n not in code
            and not line.lstrip().startswith(("`", ">", "<", "- ", "* ", "+ "))
        )
        if stray:
            current.append(n)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    out = [f"table {a}-{b}" for a, b in tables]
    out += [f"NOT RENDERED {r[0]}-{r[-1]}" for r in runs if len(r) >= 2]
    print(f"{path}: " + ("; ".join(out) if out else "no table"))


if __name__ == "__main__":
    for p in sys.argv[1:]:
        report(p)
