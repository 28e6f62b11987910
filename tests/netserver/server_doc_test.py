#!/usr/bin/env python3
"""docs/server.md stays true: its TOML example lists every option of `alphammo-server --help`
with the default --help shows (except those without a fixed default), and it names --content
and --map.

Usage: server_doc_test.py SERVER_BINARY DOCS_SERVER_MD
"""
import re
import subprocess
import sys

# Options that are no TOML settings with a default: help, the config file itself, a certificate
# and key (none by default), a flag, and the content directory (depends on where the server runs).
NOT_IN_EXAMPLE = {"help", "config", "cert", "key", "no-record", "content"}


def help_defaults(binary):
    text = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30).stdout
    defaults = {}
    # "  --tick-rate UINT:UINT in [1 - 1000]=20", "  --map TEXT=maps/default.tmj Map file"
    for match in re.finditer(r"^\s+(?:-\w,)?--([a-z0-9-]+)(.*)$", text, re.M):
        value = re.search(r"=(\S+)", match.group(2))
        defaults[match.group(1)] = value.group(1) if value else None
    return defaults


def toml_example(doc):
    blocks = re.findall(r"```toml\n(.*?)```", doc, re.S)
    if len(blocks) != 1:
        sys.exit(f"expected one ```toml block in docs/server.md, found {len(blocks)}")
    example = {}
    for line in blocks[0].splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        example[key] = value.strip('"')
    return example


def same(a, b):
    if b is None:
        return False
    try:
        return float(a) == float(b)
    except ValueError:
        return a == b


def main():
    binary, doc_path = sys.argv[1], sys.argv[2]
    with open(doc_path, encoding="utf-8") as f:
        doc = f.read()
    defaults = help_defaults(binary)
    example = toml_example(doc)
    problems = []
    for key, value in example.items():
        if key not in defaults:
            problems.append(f"{key}: not an option of alphammo-server")
        elif not same(value, defaults[key]):
            problems.append(f"{key} = {value} in the example, but the default is {defaults[key]}")
    for key in defaults:
        if key not in example and key not in NOT_IN_EXAMPLE:
            problems.append(f"{key}: missing from the example")
    for flag in ("--content", "--map"):
        if flag not in doc:
            problems.append(f"docs/server.md never mentions {flag}")
    for p in problems:
        print("docs/server.md:", p)
    if problems:
        sys.exit(1)
    print(f"docs/server.md: {len(example)} settings agree with --help")


if __name__ == "__main__":
    main()
