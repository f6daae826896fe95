"""Demo content: two believable shops (Finnish and Polish) and vocabulary for bulk data.

Pure data, no Django imports; `tiski.demo.seed` turns it into database rows.
"""

from __future__ import annotations

from tiski.demo.schema import DemoStore
from tiski.demo.tunturikettu import FI_STORE
from tiski.demo.ziarno import PL_STORE

STORES: tuple[DemoStore, ...] = (FI_STORE, PL_STORE)
