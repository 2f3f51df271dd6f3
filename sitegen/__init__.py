"""sitegen: a static site generator for the Shandong park alliance's bilingual site and industry map."""

import time

__version__ = "0.2.0"

IMPORTED_AT = time.monotonic()
"""When sitegen was first imported: where the system does not say when a process started, the
nearest to it (`sitegen serve` says how long its user waited for the preview)."""
