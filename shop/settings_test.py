"""The test suite's settings: the project's own with ``SHOP_TESTING`` on (files under ``var/test/``,
a SQLite file and a broker folder per run, the local-memory cache). pytest-django loads this module
(``pyproject.toml``); worker processes a test starts get ``SHOP_TESTING=1`` in their environment."""

import os

os.environ.setdefault("SHOP_TESTING", "1")

from shop.settings import *  # noqa: F403
