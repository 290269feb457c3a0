"""``python -m ml``: one sub-command per module in :data:`COMMANDS`.

Each command module exposes ``add_parser(subparsers)`` which registers its parser and sets
``func`` (``args -> int`` exit status). Errors from :mod:`ml.errors` become one sentence on
stderr and exit status 2. The command line is where ``ml`` is configured from the environment
(:func:`ml.config.from_environ`: ``ADGAN_CHECKPOINT``, ``ML_PARSER_MODEL``, ...).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable

from ml import config
from ml.errors import MLError

COMMANDS = ("pose", "parse", "tryon", "evaluate", "review", "measure")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ml", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"ml.cli.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"ml.cli.{name}":
                continue
            raise
        module.add_parser(subparsers)
    return parser


def run_command(command: Callable[[], int | None]) -> int:
    """Run ``command``; an :mod:`ml.errors` error or a missing file becomes one line on stderr, status 2."""
    try:
        return int(command() or 0)
    except MLError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"error: no such file: {error.filename}", file=sys.stderr)
        return 2


def configure_from_environment() -> int:
    """Configure ``ml`` from this process's environment; 0, or 2 with a sentence for a bad value."""
    try:
        config.configure(config.from_environ(os.environ))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return configure_from_environment() or run_command(lambda: args.func(args))
