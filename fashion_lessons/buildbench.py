"""Benchmarks of building the book: overhead against plain scripts, rebuilds, memory.

:func:`bench_build` builds the book from nothing with an execution cache of its own,
runs the same chapters' code as plain Python scripts, then times each kind of
rebuild (:data:`REBUILDS`) and the peak memory; :mod:`fashion_lessons.benchmarks`
reports the figures with the training benchmark's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["REBUILDS", "PeakMemory", "bench_build", "chapter_script", "edit_first_code_cell"]

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


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
