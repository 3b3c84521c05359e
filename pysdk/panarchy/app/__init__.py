"""The web app's Python side: the built static files, a loopback server, a demo community.

- :data:`STATIC_DIR` — the built app (``index.html``, ``app.js``, ``app.css``), shipped as
  package data; ``frontend/`` holds its sources (``npm run ship`` rebuilds this copy, and a
  test checks it is not stale).
- :class:`AppServer` — serves those files, ``config.json`` and documents (``/ipfs/CID``, read
  from a document store, each read re-verified against its CID) on 127.0.0.1.
- :func:`seed_community` — a small community with clauses in force and a proposal in flight.
"""

from panarchy.app.community import Community, seed_community
from panarchy.app.server import STATIC_DIR, AppServer, app_config

__all__ = ["STATIC_DIR", "AppServer", "Community", "app_config", "seed_community"]
