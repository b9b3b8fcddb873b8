"""The dependency scan is checked against what each chapter's kernel really imported.

That a passing build's kernels agree with the scan (the toy chapters import at two
depths: ``toypkg.derived`` imports ``toypkg.base``), leave no report behind and keep
quiet about TCP is checked on every toy build that executes a chapter
(``toybook.build``), here and in test_execution, test_dependencies and test_notebooks.
"""

import sys

import toybook
from toybook import CHAPTER, build, run

from fashion_lessons.sphinxext import dependencies, kernel_imports


def test_a_module_imported_under_a_computed_name_fails_the_build(tmp_path):
    book = toybook.make(tmp_path, mode="cache", chapters=["uses_nothing"])
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
