"""The fuzz test's machine (tests/core/test_fuzz.py) for a long run: at least --commands
generated commands (default 100,000), in --workers processes, each with its own copies of
the prepared record. Prints the count of commands and any broken promise (internal error,
no answer, a refusal that changed the database).

    .venv/bin/python bench/fuzz.py                       # 100,000 commands
    .venv/bin/python bench/fuzz.py --commands 20000 --workers 2
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STEPS = 100  # commands per sequence (at most; hypothesis varies it)


def worker(args: tuple[int, int]) -> tuple[int, str | None]:
    """Runs sequences until `target` commands are spoken; (count, failure or None)."""
    target, seed = args
    os.environ.setdefault("FUZZ_STEPS", str(STEPS))
    from hypothesis import seed as hseed
    from hypothesis.errors import HypothesisWarning
    from hypothesis.stateful import run_state_machine_as_test

    from tests.core import test_fuzz

    warnings.simplefilter("ignore", HypothesisWarning)  # the 100 kB examples' repr
    test_fuzz.Prepared.commands = 0
    try:
        for batch in itertools.count():
            if test_fuzz.Prepared.commands >= target:
                break
            machine = hseed(seed * 1_000_000 + batch)(test_fuzz.CommandMachine)
            runs = max(1, (target - test_fuzz.Prepared.commands) // (STEPS // 2) + 1)
            run_state_machine_as_test(
                machine, settings=test_fuzz.machine_settings(min(runs, 50), STEPS))
            print(f"  worker {seed}: {test_fuzz.Prepared.commands} commands", flush=True)
    except Exception as exc:  # a broken promise: report it with the count so far
        return test_fuzz.Prepared.commands, f"{type(exc).__name__}: {exc}"[:2000]
    return test_fuzz.Prepared.commands, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commands", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    started = time.perf_counter()
    share = -(-options.commands // options.workers)
    with multiprocessing.get_context("spawn").Pool(options.workers) as pool:
        results = pool.map(worker, [(share, seed) for seed in range(options.workers)])
    total = sum(n for n, _ in results)
    failures = [f for _, f in results if f]
    elapsed = time.perf_counter() - started
    print(f"fuzz: {total} commands in {elapsed:.0f} s ({total / elapsed:.0f}/s), "
          f"{len(failures)} failures (goal: ≥ {options.commands}, none)")
    for failure in failures:
        print(failure)
    return 1 if failures or total < options.commands else 0


if __name__ == "__main__":
    raise SystemExit(main())
