"""The locked environment: requirements.lock agrees with pyproject.toml, and it is what runs."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

import pytest
from conftest import ROOT
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = ROOT / "requirements.lock"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
OWN = canonicalize_name(PROJECT["name"])


def locked() -> list[Requirement]:
    """The lock's pins (``name==version ; marker``), hashes and comments left out."""
    text = re.sub(r"\\\n", " ", LOCK.read_text())
    lines = (line.split(" --hash")[0].strip() for line in text.splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("#")]


def pins_here() -> dict[str, str]:
    """Name -> pinned version for this interpreter and platform."""
    environment = default_environment()
    pins = {}
    for req in locked():
        if req.marker is None or req.marker.evaluate(environment):
            (spec,) = req.specifier
            assert spec.operator == "==", f"{req} is not pinned to one version"
            assert canonicalize_name(req.name) not in pins, f"{req.name} pinned twice here"
            pins[canonicalize_name(req.name)] = spec.version
    return pins


def declared() -> list[Requirement]:
    """Every requirement pyproject.toml declares, with all its extras, but the package's own."""
    reqs = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in PROJECT["optional-dependencies"].values():
        reqs += [Requirement(r) for r in extra]
    return [r for r in reqs if canonicalize_name(r.name) != OWN]


def test_every_declared_requirement_is_pinned_within_its_range():
    """An edit of pyproject.toml without `make lock` fails here, not on someone's machine."""
    pins = pins_here()
    environment = default_environment()
    for req in declared():
        if req.marker is not None and not req.marker.evaluate(environment):
            continue
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not in the lock: `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"the lock pins {req.name}=={pins[name]}, outside pyproject.toml's {req.specifier}: "
            "`make lock`"
        )


def test_every_pin_carries_hashes():
    text = LOCK.read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    for entry in entries:
        if entry.strip() and not entry.startswith("#"):
            assert "--hash=sha256:" in entry, f"no hash for {entry.splitlines()[0]}"


@pytest.mark.parametrize("name", ["tensorflow-cpu", "tensorflow"])
def test_tensorflow_has_one_version_on_every_platform(name):
    versions = {str(r.specifier) for r in locked() if canonicalize_name(r.name) == name}
    assert len(versions) == 1, f"{name}: {versions}"


def test_the_running_environment_is_the_lock():
    """What `make html` and `make test` installed is exactly what the lock says."""
    wrong = {}
    for name, version in pins_here().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"locked vs installed (run `make html` to reinstall): {wrong}"
