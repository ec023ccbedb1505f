"""Run every benchmark module of this package in turn (each prints its numbers)."""

import importlib
import pkgutil
import sys
from pathlib import Path

if __name__ == "__main__":
    for module in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module.startswith("_"):
            continue
        print(f"== bench.{module}", flush=True)
        importlib.import_module(f"bench.{module}").main(sys.argv[1:])
