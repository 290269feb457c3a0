"""ml takes its configuration as an argument and never reads the environment itself."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from ml import config
from ml.config import ENVIRONMENT, MLConfig, configure, current, from_environ
from ml.parsing import HeuristicParser, get_parser

ML_ROOT = Path(__file__).resolve().parents[2] / "ml"
# Writes for third-party libraries that only read their settings from the environment (anny's and
# warp's cache folders, mediapipe's log level) are not configuration reads.
ALLOWED_ENVIRONMENT_WRITES = {"setdefault"}
COMMAND_LINE = ML_ROOT / "cli" / "__init__.py"  # the one place ml's command line reads os.environ


@pytest.fixture
def restored():
    saved = current()
    yield
    configure(saved)


def test_without_a_configuration_the_defaults_apply(restored):
    configure(MLConfig())
    assert current() == MLConfig(
        adgan_checkpoint="",
        vgg19_weights="",
        parser_model="",
        parser_labels="lip",
        max_image_pixels=40_000_000,
        body_cache_dir="",
    )


def test_from_environ_reads_every_field_from_its_variable():
    # given every variable set
    environ = {
        "ADGAN_CHECKPOINT": " /models/latest_net_netG.pth ",
        "ML_VGG19_WEIGHTS": "/models/vgg19.pth",
        "ML_PARSER_MODEL": "/models/parser.pt",
        "ML_PARSER_LABELS": "ATR",
        "ML_MAX_IMAGE_PIXELS": "1000000",
        "ML_BODY_CACHE_DIR": "/cache/anny",
        "UNRELATED": "x",
    }
    # when read
    read = from_environ(environ)
    # then each field has its value (trimmed; the label set lower-cased)
    assert read == MLConfig(
        adgan_checkpoint="/models/latest_net_netG.pth",
        vgg19_weights="/models/vgg19.pth",
        parser_model="/models/parser.pt",
        parser_labels="atr",
        max_image_pixels=1_000_000,
        body_cache_dir="/cache/anny",
    )
    assert set(ENVIRONMENT) == {f for f in MLConfig.__dataclass_fields__}
    assert from_environ({}) == MLConfig()
    assert from_environ({"ML_MAX_IMAGE_PIXELS": "  "}) == MLConfig()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"ML_MAX_IMAGE_PIXELS": "lots"}, "ML_MAX_IMAGE_PIXELS must be a whole number, not 'lots'"),
        ({"ML_MAX_IMAGE_PIXELS": "-5"}, "max_image_pixels must be positive, not -5"),
        ({"ML_PARSER_LABELS": "coco"}, "parser_labels must be one of lip, atr, cihp, not 'coco'"),
    ],
)
def test_a_value_that_cannot_be_used_is_refused_with_its_name(environ, message):
    with pytest.raises(ValueError, match=message):
        from_environ(environ)


def test_configuring_another_parser_forgets_the_process_parser(restored, tmp_path):
    # given the default parser built once
    configure(MLConfig())
    first = get_parser()
    assert isinstance(first, HeuristicParser) and get_parser() is first
    # when the same configuration is given again, the instance stays
    configure(MLConfig())
    assert get_parser() is first
    # when a parser model is configured, the next parser is built from it (here: a missing file)
    configure(replace(current(), parser_model=str(tmp_path / "missing.pt")))
    with pytest.raises(Exception, match=r"missing\.pt"):
        get_parser()
    # and back to the defaults, a new heuristic parser
    configure(MLConfig())
    assert isinstance(get_parser(), HeuristicParser) and get_parser() is not first


def test_the_adgan_renderer_follows_the_configured_checkpoint(restored, tmp_path):
    from ml.adgan.renderer import AdganRenderer

    configure(MLConfig())
    assert "set ADGAN_CHECKPOINT" in AdganRenderer.unavailable_reason()
    configure(MLConfig(adgan_checkpoint=str(tmp_path / "gone.pth")))
    assert AdganRenderer.unavailable_reason() == (
        f"The ADGAN renderer is off: ADGAN_CHECKPOINT points to {tmp_path / 'gone.pth'}, "
        "which does not exist."
    )


def test_the_pixel_limit_is_the_configured_one(restored):
    from ml.intake import max_pixels_default

    configure(MLConfig(max_image_pixels=1234))
    assert max_pixels_default() == 1234


def _environment_reads(path: Path, root: Path = ML_ROOT.parent) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
            base = node.value
            if isinstance(base, ast.Name) and base.id == "os":
                found.append(node)
    reads = []
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    for node in found:
        parent = parents.get(node)
        if isinstance(parent, ast.Attribute) and parent.attr in ALLOWED_ENVIRONMENT_WRITES:
            continue
        if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node and path == COMMAND_LINE:
            continue  # config.from_environ(os.environ) in the command line
        reads.append(f"{path.relative_to(root)}:{node.lineno}")
    return reads


def test_no_ml_module_reads_the_environment():
    # given every module of ml
    reads = [read for path in sorted(ML_ROOT.rglob("*.py")) for read in _environment_reads(path)]
    # then none reads os.environ / os.getenv (the command line hands it to from_environ)
    assert reads == []


def test_the_scan_sees_a_read(tmp_path):
    # given a module that reads a variable
    module = tmp_path / "reads.py"
    module.write_text("import os\nvalue = os.environ.get('X')\nos.environ.setdefault('Y', '1')\n")
    # then the scan reports the read, not the write
    assert _environment_reads(module, root=tmp_path) == ["reads.py:2"]


def test_config_module_has_no_django():
    assert "django" not in Path(config.__file__).read_text()
