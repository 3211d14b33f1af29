"""Pages the replica builds from rows rendered once are byte for byte what Starlette renders."""

from __future__ import annotations

import pytest
from fastapi.responses import JSONResponse

from pipelines.replica import rendering
from pipelines.replica.catalogue import BUNDLED_CATALOGUE, Catalogue, ListCatalogue
from pipelines.replica.catalogue import read_catalogue_file as read
from pipelines.replica.longtail import LongTailCatalogue
from pipelines.replica.pagination import page_window
from pipelines.replica.shift import _Tail
from pipelines.replica.synthetic import SyntheticCatalogue


def starlette_page(catalogue: Catalogue, page: int, page_size: int) -> bytes:
    window = page_window(len(catalogue), page, page_size)
    rows = [catalogue.model(i) for i in range(window.start, window.stop)]
    return bytes(JSONResponse({"data": rows, "pagination": window.pagination()}).body)


def rendered_page(catalogue: Catalogue, page: int, page_size: int) -> bytes:
    window = page_window(len(catalogue), page, page_size)
    texts = [catalogue.model_json(i) for i in range(window.start, window.stop)]
    return rendering.model_list_json(texts, window.pagination())


CATALOGUES = {
    "bundled": lambda: ListCatalogue(read(BUNDLED_CATALOGUE)),
    "synthetic": lambda: SyntheticCatalogue(1_000),
    "longtail": lambda: LongTailCatalogue(1_000),
    "a tail of synthetic": lambda: _Tail(SyntheticCatalogue(1_000), 7),
}


@pytest.mark.parametrize("name", sorted(CATALOGUES))
@pytest.mark.parametrize(("page", "page_size"), [(1, 100), (3, 7), (1, 1), (999, 100)])
def test_a_rendered_page_is_the_bytes_starlette_sends(name: str, page: int, page_size: int) -> None:
    catalogue = CATALOGUES[name]()
    expected = starlette_page(catalogue, page, page_size)
    assert rendered_page(catalogue, page, page_size) == expected
    # the second time comes from the cache, and is the same
    assert rendered_page(catalogue, page, page_size) == expected


def test_non_ascii_text_is_sent_as_utf8_not_escaped() -> None:
    row = {"name": "Zhipu/GLM-4.5 «vision»", "description": "多语言"}
    assert rendering.to_json(row) == bytes(JSONResponse(row).body)
    assert "«".encode() in rendering.to_json(row)


def test_rows_past_the_cache_limit_are_rendered_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rendering, "RENDERED_ROWS_LIMIT", 10)
    catalogue = SyntheticCatalogue(20)
    calls: list[int] = []

    def model(index: int) -> dict[str, object]:
        calls.append(index)
        return catalogue.model(index)

    rows = rendering.RenderedRows(len(catalogue), model)
    for _ in range(2):
        assert rows.text(3) == rendering.to_json(catalogue.model(3))
        assert rows.text(15) == rendering.to_json(catalogue.model(15))
    assert calls == [3, 15, 15]
