"""Benchmarks of the book: training speed, build overhead, rebuilds and memory.

Run with ``make bench`` (or ``python -m fashion_lessons.benchmarks``). Every
comparison is measured side by side in one run, on this machine, and reported as
a ratio with the raw times behind it; the figures go to the terminal as a table
and to ``_build/benchmarks.json``. Nothing here asserts a time: machines differ.

Measured:

* ``training_time_ratio``: the walkthrough's training (float32 inputs,
  ``steps_per_execution=100``, XLA) over the seed tutorial's configuration (batch
  32, 10 epochs, a default ``fit`` on float64 inputs), each with its test
  accuracy; plus each speed-up alone and a ``tf.data`` pipeline. The
  configurations take turns over ``--repeats`` rounds (default 3), round ``r``
  with seed ``r``; each counts its fastest run and its mean test accuracy;
* ``build_overhead_ratio``: a clean build of the book (an empty execution cache)
  over running the same chapters' code as plain Python scripts;
* rebuilds, each with the chapters it executed: ``noop_rebuild_s`` (no change),
  ``prose_edit_rebuild_s`` (a sentence added to the walkthrough: re-read, not
  executed), ``code_edit_rebuild_s`` (a line added to one of its code cells),
  ``module_edit_rebuild_s`` (a line appended to ``fashion_lessons/graph.py``, in a copy
  of the package: only the backpropagation chapter executes) and
  ``fresh_clone_with_cache_s`` (a new output directory, as in a fresh clone, with the
  execution cache the clean build filled: nothing executes);
* ``peak_rss_mb``: the largest total resident memory of the build's processes.

The training benchmark is here; the build benchmarks are in
:mod:`fashion_lessons.buildbench`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from fashion_lessons.buildbench import REBUILDS, ROOT, bench_build, rebuild_key

# -- Training -----------------------------------------------------------------


def _train(config: str, seed: int = 0) -> dict:
    """Train the walkthrough's model 10 epochs in one configuration; time ``fit``."""
    import tensorflow as tf

    from fashion_lessons.data import load_fashion_mnist
    from fashion_lessons.models import build_mlp
    from fashion_lessons.training import scale_images, set_seed

    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    if config == "seed":  # the original tutorial: x / 255.0 gives float64
        x_train, x_test = x_train / 255.0, x_test / 255.0
    else:
        x_train, x_test = scale_images(x_train), scale_images(x_test)
    compile_kw = {
        "seed": {},
        "float32": {},
        "steps_per_execution": {"steps_per_execution": 100},
        "xla": {"jit_compile": True},
        "book": {"steps_per_execution": 100, "jit_compile": True},
        "book+tf.data": {"steps_per_execution": 100, "jit_compile": True},
    }[config]
    set_seed(seed)
    model = build_mlp()
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        **compile_kw,
    )
    data = {"x": x_train, "y": y_train, "batch_size": 32}
    if config == "book+tf.data":
        dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
        dataset = dataset.shuffle(len(x_train), seed=seed).batch(32).prefetch(tf.data.AUTOTUNE)
        data = {"x": dataset}
    start = time.perf_counter()
    model.fit(**data, epochs=10, verbose=0)
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    return {"seconds": seconds, "test_accuracy": float(accuracy)}


def bench_training(configs: list[str], repeats: int = 3) -> dict:
    """Each configuration in a fresh Python process, so none warms up another.

    The configurations take turns, ``repeats`` rounds of all of them, so that a
    slow spell of the machine falls on every configuration alike. Round ``r``
    trains every configuration with seed ``r``: the accuracies are compared
    seed by seed, and their mean over the rounds is less at the mercy of one
    lucky initialisation. Each configuration's time is its fastest run: other
    work on the machine can only slow a run down, so the minimum is the best
    estimate of what the configuration itself costs. Every run is kept.
    """
    runs: dict[str, list[dict]] = {config: [] for config in configs}
    for seed in range(repeats):
        for config in configs:
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "fashion_lessons.benchmarks",
                    "--train-one",
                    config,
                    "--seed",
                    str(seed),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs[config].append(json.loads(out.strip().splitlines()[-1]))
    return {
        config: {
            "seconds": min(r["seconds"] for r in results),
            "all_seconds": [r["seconds"] for r in results],
            "test_accuracy": sum(r["test_accuracy"] for r in results) / len(results),
            "all_test_accuracies": [r["test_accuracy"] for r in results],
        }
        for config, results in runs.items()
    }


# -- Report -------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fashion_lessons.benchmarks")
    parser.add_argument("--train-one", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--skip-build", action="store_true", help="only the training benchmark")
    parser.add_argument(
        "--repeats", type=int, default=3, help="rounds of the training configurations (default 3)"
    )
    parser.add_argument("--output", default=str(ROOT / "_build" / "benchmarks.json"))
    args = parser.parse_args(argv)
    if args.train_one:
        print(json.dumps(_train(args.train_one, args.seed)))
        return 0

    configs = ["seed", "float32", "steps_per_execution", "xla", "book", "book+tf.data"]
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, not {args.repeats}")
    training = bench_training(configs, args.repeats)
    report = {
        "training": training,
        "seed_training_s": training["seed"]["seconds"],
        "book_training_s": training["book"]["seconds"],
        "training_time_ratio": training["book"]["seconds"] / training["seed"]["seconds"],
        "seed_test_accuracy": training["seed"]["test_accuracy"],
        "book_test_accuracy": training["book"]["test_accuracy"],
    }
    if not args.skip_build:
        report.update(bench_build())

    print(
        f"{'training configuration':<24}{'seconds':>9}{'vs seed':>9}{'mean acc':>10}"
        f"   every run: seconds / test acc"
    )
    for config, result in training.items():
        ratio = result["seconds"] / training["seed"]["seconds"]
        every = "  ".join(
            f"{s:.1f}/{a:.4f}"
            for s, a in zip(result["all_seconds"], result["all_test_accuracies"], strict=True)
        )
        print(
            f"{config:<24}{result['seconds']:>9.1f}{ratio:>8.2f}x{result['test_accuracy']:>10.4f}"
            f"   {every}"
        )
    if not args.skip_build:
        print()
        rows = [
            ("clean book build", report["clean_build_s"], "s"),
            ("same chapters as scripts", report["scripts_s"], "s"),
            ("build overhead ratio", report["build_overhead_ratio"], "x"),
            ("peak memory of a clean build", report["peak_rss_mb"], " MB"),
        ]
        for name, value, unit in rows:
            print(f"{name:<32}{value:>10.2f}{unit}")
        print(f"\n{'rebuild':<32}{'seconds':>10}   chapters executed")
        for name in REBUILDS:
            executed = ", ".join(report["executed"][name]) or "none"
            print(f"{name.replace('_', ' '):<32}{report[rebuild_key(name)]:>10.2f}   {executed}")
        print(f"\n{'chapter':<40}{'as script':>10}{'in build':>10}")
        for stem, times in report["per_chapter"].items():
            in_build = times["in_build_s"]
            shown = f"{in_build:>9.1f}s" if in_build is not None else f"{'-':>10}"
            print(f"{stem:<40}{times['script_s']:>9.1f}s{shown}")
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
