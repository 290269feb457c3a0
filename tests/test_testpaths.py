"""pytest's ``testpaths`` reach every test file of the checkout (a folder left out is never run)."""

import tomllib

from tests.support.paths import REPO_ROOT

# Folders of the checkout that hold no tests of ours.
NOT_OURS = {".venv", "node_modules", ".git", "var"}


def test_every_test_file_is_under_a_testpath():
    # given the testpaths pytest collects from
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    testpaths = [REPO_ROOT / path for path in config["testpaths"]]
    # when every test file of the checkout is listed
    test_files = [
        path for path in REPO_ROOT.rglob("test_*.py") if not NOT_OURS & set(path.relative_to(REPO_ROOT).parts)
    ]
    # then each is under one of them
    assert len(test_files) > 100
    outside = [p for p in test_files if not any(p.is_relative_to(testpath) for testpath in testpaths)]
    assert [str(p.relative_to(REPO_ROOT)) for p in outside] == []


def test_a_bare_run_is_quick_and_make_test_and_ci_run_everything():
    # given pytest's default options, the Makefile and the CI script
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    makefile = (REPO_ROOT / "Makefile").read_text()
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    # then a bare pytest leaves the slow tests out ...
    assert "-m 'not slow'" in config["addopts"]
    # ... and `make test` (CI's first pass) and CI's PostgreSQL pass bring every test back
    assert 'ALL_TESTS := -m "slow or not slow"' in makefile
    assert "@$(BIN)/pytest $(ALL_TESTS);" in makefile
    assert "make test\n" in ci
    assert '.venv/bin/pytest -m "slow or not slow"' in ci
