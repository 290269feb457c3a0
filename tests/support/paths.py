"""Where the checkout is, for tests that read its files or run commands in it (wherever they live)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
