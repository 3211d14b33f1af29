"""The generated catalogues: one realistic in size and shape, one unlike it (the long tail)."""

from __future__ import annotations

import uuid

from pipelines.replica.longtail import LongTailCatalogue
from pipelines.replica.synthetic import SyntheticCatalogue

N = 500


def test_the_realistic_catalogue_has_real_length_full_rows() -> None:
    catalogue = SyntheticCatalogue(N)
    models = [catalogue.model(i) for i in range(N)]
    ids = [uuid.UUID(m["model_id"]) for m in models]
    assert all(i.version == 4 for i in ids) and len(set(ids)) == N  # random, not uuid5
    assert all(200 <= len(m["description"]) <= 700 for m in models)
    assert all(3 <= len(m["metadata"]["tags"]) <= 6 for m in models)
    assert all(v is not None for m in models for v in m["metadata"].values())
    assert [m["name"] for m in models] == [catalogue.name(i) for i in range(N)]
    assert catalogue.model(7) == SyntheticCatalogue(N).model(7)  # the same in every process


def test_the_long_tail_is_unlike_it() -> None:
    catalogue = LongTailCatalogue(N)
    models = [catalogue.model(i) for i in range(N)]
    developers = {m["metadata"]["developer"] for m in models}
    assert len(developers) >= N // 2
    assert any(not name.isascii() for name in (m["name"] for m in models))
    assert sum(m["metadata"]["tags"] is None for m in models) > N // 3
    prices = [float(p) for m in models if (p := m["metadata"]["input_token_price"])]
    assert min(prices) < 0.01 and max(prices) > 10
    assert len({m["model_id"] for m in models}) == N
    assert [m["name"] for m in models] == [catalogue.name(i) for i in range(N)]
