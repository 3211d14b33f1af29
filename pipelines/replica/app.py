"""The replica's web application: `GET /api/v1/models` as the OpenAPI document describes it.

Query validation is FastAPI's own, which is what the real API runs (its OpenAPI document is
FastAPI-generated), so 422 bodies have the real shape. FastAPI's own docs and OpenAPI routes are
off: the replica's contract is `openapi.yaml` next to this file, not what FastAPI would derive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query
from fastapi.responses import JSONResponse, Response

from pipelines.replica.catalogue import Catalogue, CatalogueSource, ChainedCatalogue, ListCatalogue
from pipelines.replica.faults import Faults
from pipelines.replica.injection import FaultInjectionMiddleware
from pipelines.replica.malformed import malformed_rows
from pipelines.replica.pagination import page_window
from pipelines.replica.rendering import model_list_json
from pipelines.replica.shapes import live_model_list, with_drift
from pipelines.replica.shift import CatalogueShifter

MODELS_PATH = "/api/v1/models"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
JSON = "application/json"


def matching_rows(catalogue: Catalogue, q: str | None) -> Sequence[int]:
    """Positions of the rows whose name contains `q`, case-insensitively (all rows if no q).

    A `range` when unfiltered, so a page of a 100,000-row catalogue is a slice, not a copy.
    """
    if not q:
        return range(len(catalogue))
    needle = q.lower()
    return [index for index in range(len(catalogue)) if needle in catalogue.name(index).lower()]


def first_rows(catalogue: Catalogue, count: int | None) -> Catalogue:
    """The first `count` rows: what a keyed client of an access tier sees (--keyed-models)."""
    return ListCatalogue([catalogue.model(i) for i in range(min(count or 0, len(catalogue)))])


def create_app(source: CatalogueSource, faults: Faults) -> FastAPI:
    """The replica app serving `source` with `faults` injected."""
    app = FastAPI(
        title="IO Intelligence (local replica)",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    shifter = CatalogueShifter(faults.shift_catalogue)
    bad_rows: Catalogue = ListCatalogue(malformed_rows() if faults.bad_rows else [])

    def served_catalogue() -> Catalogue:
        return ChainedCatalogue(
            [shifter.inserted(), shifter.trimmed(source.current()), bad_rows, shifter.appended()]
        )

    def shaped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [with_drift(row) for row in rows] if faults.drift else rows

    @app.get(MODELS_PATH)
    async def get_models_list(
        page: Annotated[int, Query(ge=1)] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
        q: Annotated[str | None, Query()] = None,
        # Accepted and ignored, as for a guest of the real API.
        x_guest_session_id: Annotated[str | None, Header(alias="X-Guest-Session-ID")] = None,
        authorization: Annotated[str | None, Header()] = None,
    ) -> Response:
        """Get paginated list of available models."""
        keyed = authorization is not None and faults.keyed_models is not None
        if faults.live_shape:
            catalogue = served_catalogue()
            if keyed:
                catalogue = first_rows(catalogue, faults.keyed_models)
            rows = [catalogue.model(index) for index in matching_rows(catalogue, q)]
            return JSONResponse(live_model_list(shaped(rows), faults.perf_seed))
        shifter.observe(page)
        catalogue = served_catalogue()
        if keyed:
            catalogue = first_rows(catalogue, faults.keyed_models)
        positions = matching_rows(catalogue, q)
        window = page_window(
            len(positions),
            page,
            page_size,
            endless=faults.endless,
            repeat_page=faults.repeat_page,
        )
        page_positions = positions[window.start : window.stop]
        if faults.drift:
            rows = [catalogue.model(index) for index in page_positions]
            return JSONResponse({"data": shaped(rows), "pagination": window.pagination()})
        texts = [catalogue.model_json(index) for index in page_positions]
        return Response(model_list_json(texts, window.pagination()), media_type=JSON)

    app.add_middleware(FaultInjectionMiddleware, faults=faults)
    return app
