"""A toy book for the tests of the build itself: package ``toypkg`` (``base`` <- ``derived``)
and three chapters, one importing each module and one importing neither (or those of
them a test needs: each chapter executed costs a kernel's start).

Every build that passes is also checked against what its kernels reported
(:mod:`fashion_lessons.sphinxext.kernel_imports`): every report was read and removed,
and no kernel said it runs over TCP without encryption."""

import os
import re
import subprocess
import sys
from pathlib import Path

CONF = """\
extensions = ["myst_nb", "fashion_lessons.sphinxext"]
nb_execution_mode = {mode!r}
nb_execution_cache_path = {cache!r}
fashion_lessons_tracked_packages = ["toypkg"]
exclude_patterns = ["_build"]
"""

#: The front matter that makes a MyST markdown file a notebook chapter.
FRONT_MATTER = """\
---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---
"""

CHAPTER = (
    FRONT_MATTER
    + """\
# {title}

Some prose.

```{{code-cell}} ipython3
{code}
```
"""
)

CHAPTERS = {
    "uses_base": "from toypkg import base\nprint('base', base.VALUE)",
    "uses_derived": "from toypkg.derived import DOUBLE\nprint('double', DOUBLE)",
    "uses_nothing": "print('no package here')",
}


def make(root: Path, mode: str, chapters=tuple(CHAPTERS)) -> Path:
    """Write the toy book under ``root`` (``lib/``, ``src/``) with ``chapters`` (names
    from :data:`CHAPTERS`), executed in ``mode`` ("force" or "cache", with its cache in
    ``root/cache``); return ``root``."""
    pkg = root / "lib" / "toypkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "base.py").write_text("VALUE = 1\n")
    (pkg / "derived.py").write_text("from toypkg.base import VALUE\n\nDOUBLE = 2 * VALUE\n")
    src = root / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(mode=mode, cache=str(root / "cache")))
    for name in chapters:
        (src / f"{name}.md").write_text(CHAPTER.format(title=name, code=CHAPTERS[name]))
    toc = "\n".join(chapters)
    (src / "index.md").write_text(f"# Toy\n\n```{{toctree}}\n{toc}\n```\n")
    return root


def run(root: Path, out: str = "html", **environment: str) -> subprocess.CompletedProcess:
    """Build the toy book into ``root/out`` with warnings as errors; return the process."""
    env = dict(os.environ, PYTHONPATH=str(root / "lib"), **environment)
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-N", "-W", str(root / "src"), str(root / out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def build(root: Path, out: str = "html", **environment: str) -> set[str]:
    """Build the toy book into ``root/out``; return the chapters that were executed
    (not those taken from the execution cache)."""
    result = run(root, out, **environment)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    ran = executed(result)
    if ran:
        # The kernels' reports of what they imported agreed with the scan (or the build
        # would have failed) and were all read and removed; ipykernel 7's warning at
        # every start was kept quiet (the kernels listen on 127.0.0.1).
        logs = root / out / ".doctrees" / "kernel-imports" / "logs"
        assert logs.is_dir() and not any(logs.iterdir()), output
        assert "without encryption" not in output
    return ran


def executed(result: subprocess.CompletedProcess) -> set[str]:
    """The chapters a build executed, from its log."""
    return set(re.findall(r"(\w+)\.md: Executed notebook", result.stdout + result.stderr))
