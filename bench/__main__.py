"""Run every benchmark in turn, each in its own process (each prints its own table and
sets up its own throw-away data)."""

import subprocess
import sys

BENCHES = ["rooms", "notifications"]

if __name__ == "__main__":
    failed = 0
    for name in BENCHES:
        print(f"== bench.{name}", flush=True)
        failed |= subprocess.run([sys.executable, "-m", f"bench.{name}"]).returncode
    sys.exit(failed)
