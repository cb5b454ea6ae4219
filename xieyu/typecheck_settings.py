"""Settings for the type checker: the real settings in demo mode, so mypy needs no environment."""

import os

os.environ.setdefault("XIEYU_DEMO", "1")

from xieyu.settings import *  # noqa: E402, F403
