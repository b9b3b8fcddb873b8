"""The dependency scan is checked against what each chapter's kernel really imported."""

import sys

import pytest
import toybook
from toybook import CHAPTER, build, executed, run

from fashion_lessons.sphinxext import dependencies, kernel_imports


@pytest.fixture
def book(tmp_path):
    """The toy book (tests/toybook.py), with an execution cache of its own, empty."""
    return toybook.make(tmp_path, mode="cache")


def test_a_module_imported_under_a_computed_name_fails_the_build(book):
    hidden = "import importlib\nmodule = importlib.import_module('toypkg.' + 'base')"
    chapter = book / "src" / "uses_nothing.md"
    chapter.write_text(CHAPTER.format(title="uses_nothing", code=hidden))
    result = run(book)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "uses_nothing.md" in output
    assert "kernel imported toypkg.base" in output
    assert "`import toypkg.base`" in output
    # Imported by name, the same module is found by the scan and the build passes.
    chapter.write_text(CHAPTER.format(title="uses_nothing", code="import toypkg.base"))
    assert build(book) == {"uses_nothing"}


def test_every_module_the_kernels_imported_was_scanned(book):
    # The toy chapters import at two depths (toypkg.derived imports toypkg.base): the
    # kernel's report and the scan agree, so the build passes and nothing is reported.
    result = run(book)
    assert result.returncode == 0, result.stderr
    assert executed(result) == {"uses_base", "uses_derived", "uses_nothing"}
    # ... and their kernels kept quiet about TCP on 127.0.0.1 (ipykernel 7 warns at start).
    assert "without encryption" not in result.stdout + result.stderr
    logs = book / "html" / ".doctrees" / "kernel-imports" / "logs"
    assert not any(logs.iterdir())  # every chapter's report was read and removed
    assert build(book) == set()


def test_unseen_modules_are_the_tracked_ones_outside_the_scan(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    init, module = package / "__init__.py", package / "mod.py"
    init.write_text("")
    module.write_text("")
    sys.path.insert(0, str(tmp_path))
    try:
        dependencies.module_file.cache_clear()
        imported = {"pkg", "pkg.mod", "json", "numpy"}
        assert kernel_imports.unseen_modules(imported, {init, module}, ("pkg",)) == []
        assert kernel_imports.unseen_modules(imported, {init}, ("pkg",)) == [("pkg.mod", module)]
    finally:
        sys.path.remove(str(tmp_path))
        dependencies.module_file.cache_clear()


def test_where_kernels_report_is_not_an_input_of_the_execution_cache():
    assert kernel_imports.VARIABLE in dependencies.NOT_INPUTS
    assert kernel_imports.VARIABLE.startswith(dependencies.KERNEL_VARIABLES)
