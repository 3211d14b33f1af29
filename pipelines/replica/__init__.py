"""A faithful local replica of the IO Intelligence `GET /api/v1/models` endpoint.

The real API is unreachable from here, so demos and tests run against this replica instead. It
serves `catalogue.json` (or another catalogue file, or a generated one) exactly as
`openapi.yaml` describes, and can imitate the real API's failure modes on demand (see
`faults.py`).

Entry points: `server.add_arguments` / `server.run` (the `iomodels replica` command),
`app.create_app` (the ASGI app), `catalogue.FileCatalogueSource` and
`synthetic.SyntheticCatalogueSource` (what it serves). This module imports nothing heavy.
"""

from pathlib import Path

OPENAPI_DOCUMENT = Path(__file__).with_name("openapi.yaml")
"""The endpoint's OpenAPI document with its two unresolved references fixed."""
