"""Settings for the worker processes of the crash test: small batches (many commits to be killed between)
and a short lease (the restarted worker need not wait a minute)."""

from xieyu.settings import *  # noqa: F403

NOTICES_FANOUT_BATCH = 500
NOTICES_FANOUT_LEASE_SECONDS = 3
