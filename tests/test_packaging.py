"""Project layout promises: dependency lists in step, data documented and valid, paths from the package."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib

import pytest
import yaml
from frictionless import validate

from zoomcase.paths import REPO_ROOT, data_dir


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    wanted = {r.replace(" ", "") for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    conda = {
        d.replace(" ", "")
        for d in env["dependencies"]
        if isinstance(d, str) and _name(d) not in {"python", "pip"}
    }
    assert wanted == conda, wanted ^ conda


def test_named_packages_are_declared():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    assert {"jupyterlab", "pandas", "plotly", "ipywidgets", "papermill", "nbval"} <= names


@pytest.mark.parametrize("package", sorted(data_dir().glob("**/datapackage.json")), ids=str)
def test_datapackages_validate(package):
    report = validate(package)
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])


def test_corpus_datapackage_hashes_match_the_files():
    package = json.loads((data_dir() / "corpus" / "datapackage.json").read_text())
    texts = [r for r in package["resources"] if r["format"] == "txt"]
    assert len(texts) == 5
    for res in texts:
        digest = hashlib.sha256((data_dir() / "corpus" / res["path"]).read_bytes()).hexdigest()
        assert res["hash"] == f"sha256:{digest}"


def test_corpus_copies_match_the_shared_seeds():
    seeds = REPO_ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for seed in sorted(seeds.glob("*.txt")):
        assert (data_dir() / "corpus" / seed.name).read_bytes() == seed.read_bytes()


def test_market_data_is_never_committed():
    ignored = (REPO_ROOT / ".gitignore").read_text().splitlines()
    assert "/data/market/" in ignored
