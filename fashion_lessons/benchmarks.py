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
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


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


# -- Building -----------------------------------------------------------------


class PeakMemory:
    """Sample the total resident memory of a process and its descendants."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    def _run(self):
        while not self._stop.wait(0.25):
            total = 0
            for pid in self._tree():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            self.peak_kb = max(self.peak_kb, total)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def _sphinx(srcdir: Path, outdir: Path, env: dict | None = None, memory: bool = False) -> dict:
    """Run one build with the ``conf.py`` beside ``srcdir``; return its ``seconds``, the
    chapters it ``executed`` and (when asked) its ``peak_mb`` of memory."""
    confdir = srcdir.parent if (srcdir.parent / "conf.py").is_file() else ROOT
    cmd = [sys.executable, "-m", "sphinx", "-c", str(confdir), "-N", "-W", "--keep-going"]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        # In the configuration's folder: ``python -m`` puts the current folder first on
        # sys.path, so from anywhere else the build would scan (and its dependency
        # tracking watch) whatever package that folder holds, not the copy beside conf.py.
        process = subprocess.Popen(
            [*cmd, str(srcdir), str(outdir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=confdir,
        )
        sampler = PeakMemory(process.pid) if memory else None
        status = process.wait()
        seconds = time.perf_counter() - start
        peak_mb = sampler.stop() if sampler else 0.0
        log.seek(0)
        text = log.read()
    if status != 0:
        raise RuntimeError(
            f"sphinx-build failed on {srcdir}:\n" + "\n".join(text.splitlines()[-30:])
        )
    executed = sorted(set(re.findall(r"([\w-]+)\.md: Executed notebook", text)))
    return {"seconds": seconds, "executed": executed, "peak_mb": peak_mb}


def edit_first_code_cell(text: str, line: str) -> str:
    """A chapter's text with ``line`` added at the top of its first code cell's code
    (after the cell's options, such as ``:tags:``)."""
    lines = text.splitlines(keepends=True)
    fence = next(i for i, ln in enumerate(lines) if ln.startswith("```{code-cell}"))
    at = fence + 1
    while lines[at].startswith(":"):
        at += 1
    return "".join([*lines[:at], line + "\n", *lines[at:]])


def chapter_script(chapter: Path) -> str:
    """A chapter's code cells as one Python script (magics dropped)."""
    from fashion_lessons.sphinxext.dependencies import notebook_code

    lines = notebook_code(chapter.read_text(encoding="utf-8"), chapter.suffix).splitlines()
    return "\n".join(ln for ln in lines if not ln.lstrip().startswith(("%", "!"))) + "\n"


def _notebook_seconds(outdir: Path) -> dict[str, float]:
    """Each chapter's execution time inside the build, from myst-nb's records."""
    import pickle

    with open(outdir / ".doctrees" / "environment.pickle", "rb") as f:
        env = pickle.load(f)
    return {
        docname: data["exec_data"]["runtime"]
        for docname, data in env.nb_metadata.items()
        if data.get("exec_data")
    }


def bench_build() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "docs"
        shutil.copytree(DOCS, src)
        chapters = sorted(p for p in src.glob("*.md") if "kernelspec:" in p.read_text())
        # The scripts are cut before the build so that they run the very text it ran.
        scripts = {chapter.stem: chapter_script(chapter) for chapter in chapters}
        # A copy of the package to edit, beside a copy of conf.py (Sphinx puts the
        # configuration's folder first on sys.path), found first by the build and its
        # kernels; and an execution cache of the benchmark's own, empty at first.
        package = tmp
        shutil.copy(ROOT / "conf.py", tmp / "conf.py")
        shutil.copytree(
            ROOT / "fashion_lessons",
            package / "fashion_lessons",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        build_env = dict(
            os.environ,
            FASHION_LESSONS_CACHE=str(tmp / "cache"),
            PYTHONPATH=os.pathsep.join(filter(None, [str(package), os.environ.get("PYTHONPATH")])),
        )
        outdir = tmp / "_build" / "html"
        builds = {"clean": _sphinx(src, outdir, build_env, memory=True)}
        in_build = _notebook_seconds(outdir)
        builds["noop"] = _sphinx(src, outdir, build_env)
        walkthrough = src / "fashion-mnist-walkthrough.md"
        text = walkthrough.read_text()
        walkthrough.write_text(text + "\nOne more sentence, added by the benchmark.\n")
        builds["prose_edit"] = _sphinx(src, outdir, build_env)
        walkthrough.write_text(edit_first_code_cell(text, "# edited by the benchmark"))
        builds["code_edit"] = _sphinx(src, outdir, build_env)
        graph = package / "fashion_lessons" / "graph.py"
        graph.write_text(graph.read_text() + "\n_X = 1\n")
        builds["module_edit"] = _sphinx(src, outdir, build_env)
        builds["fresh_clone_with_cache"] = _sphinx(src, tmp / "clone" / "html", build_env)

        # The same package the build imported, whatever the current directory.
        env = dict(
            os.environ,
            MPLBACKEND="Agg",
            TF_CPP_MIN_LOG_LEVEL="3",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        per_chapter = {}
        for stem, code in scripts.items():
            script = tmp / f"{stem}.py"
            script.write_text(code)
            start = time.perf_counter()
            run = subprocess.run(
                [sys.executable, str(script)], cwd=tmp, env=env, capture_output=True, text=True
            )
            if run.returncode != 0:
                raise RuntimeError(
                    f"docs/{stem}.md failed when run as a plain script (the build ran it "
                    f"fine, so look for something only a notebook provides):\n"
                    + "\n".join(run.stderr.splitlines()[-15:])
                )
            per_chapter[stem] = {
                "script_s": time.perf_counter() - start,
                "in_build_s": in_build.get(stem),
            }
    scripts_s = sum(c["script_s"] for c in per_chapter.values())
    clean_s = builds["clean"]["seconds"]
    return {
        "chapters": len(per_chapter),
        "clean_build_s": clean_s,
        "scripts_s": scripts_s,
        "build_overhead_ratio": clean_s / scripts_s,
        **{rebuild_key(name): builds[name]["seconds"] for name in REBUILDS},
        "executed": {name: build["executed"] for name, build in builds.items()},
        "peak_rss_mb": builds["clean"]["peak_mb"],
        "per_chapter": per_chapter,
    }


#: The builds after the clean one, in the order bench_build runs them.
REBUILDS = ("noop", "prose_edit", "code_edit", "module_edit", "fresh_clone_with_cache")


def rebuild_key(name: str) -> str:
    """The report's key for a rebuild's seconds (``noop_rebuild_s``, say)."""
    return f"{name}_s" if name.startswith("fresh_clone") else f"{name}_rebuild_s"


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
