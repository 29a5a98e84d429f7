#!/usr/bin/env python3
"""Fails when a source file includes across layers the wrong way (DESIGN.md "Layers").

CMake already keeps each target's include path to its own folder and its dependencies
(cmake/PartitaLayers.cmake); this catches what include paths cannot: relative includes
that climb out of a folder, and Qt headers, which are on every Qt target's path.
"""
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
QT_HEADER = re.compile(r"^(Q[A-Za-z0-9_]+|Qt[A-Za-z0-9_]*/.*|Qsci/.*|qt6keychain/.*)$")

# layer -> include prefixes it must not use
FORBIDDEN = {
    "engine": ("app/", "ui/", "models/"),
    "models": ("app/", "ui/"),
    "ui": ("app/", "engine/"),
}


def problems_in(path: str, layer: str, text: str):
    for match in INCLUDE.finditer(text):
        kind, target = match.group(1), match.group(2)
        if target.startswith("../") or "/../" in target:
            yield f"{path}: relative include climbs out of its folder: {target}"
        if kind == "<" and layer == "engine" and QT_HEADER.match(target):
            yield f"{path}: engine/ must stay Qt-free: <{target}>"
        if kind == "<" and layer == "models" and target.startswith(("QtWidgets", "QWidget", "Qsci/")):
            yield f"{path}: models/ must not use widgets: <{target}>"
        if kind == '"':
            for prefix in FORBIDDEN.get(layer, ()):
                if target.startswith(prefix):
                    yield f"{path}: {layer}/ may not include {target}"


def main() -> int:
    found = []
    for layer in ("engine", "models", "ui", "app"):
        base = os.path.join(ROOT, layer)
        for dirpath, _, files in os.walk(base):
            for fn in files:
                if fn.endswith((".h", ".hpp", ".cpp", ".cc")):
                    path = os.path.join(dirpath, fn)
                    with open(path, encoding="utf-8", errors="replace") as f:
                        found += problems_in(os.path.relpath(path, ROOT), layer, f.read())
    for p in found:
        print(p)
    print(f"layering: {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
