"""The `--shift-catalogue` fault: the catalogue changes while a client paginates.

With page-number pagination, a model inserted at the front after page 1 was read pushes every
row one position back: page 2 then repeats the last row of page 1 and `pagination.total` grows.
A client that does not check for this silently duplicates (or, on deletion, loses) rows.
"""

from __future__ import annotations

import uuid

from pipelines.replica.catalogue import Catalogue, ListCatalogue, Model
from pipelines.replica.faults import ShiftMode
from pipelines.replica.template import valid_model

SHIFT_NAMESPACE = uuid.UUID("0c4b8f56-7d35-4f57-8d0e-2a6f1b9c3e44")
"""uuid5 namespace of inserted models: the K-th insertion has the same id in every run."""


def shifted_model(number: int) -> Model:
    """The `number`-th model inserted by the shift fault: a valid, ordinary-looking model."""
    return valid_model(
        str(uuid.uuid5(SHIFT_NAMESPACE, f"shift-{number}")),
        f"shift/model-{number}",
        description="A model that appeared while the catalogue was being paginated.",
        created_at="2025-11-01T00:00:00Z",
        tags=["New"],
        developer="Shift Labs",
        short_description="Inserted mid-pagination",
        trendiness=1,
        license="apache-2.0",
        max_tokens=8192,
        context_window=131072,
        input_token_price="0.10",
        output_token_price="0.30",
    )


class CatalogueShifter:
    """Tracks paginations and inserts models at the front of the catalogue.

    A pagination starts with a page-1 request; its first request for a later page inserts one
    model before that page is served. `once` does this for the first pagination only, `always`
    for every pagination.
    """

    def __init__(self, mode: ShiftMode | None) -> None:
        self._mode = mode
        self._pagination_open = False
        self._inserted: list[Model] = []  # newest first, as they are served
        self._dropped = 0  # swap mode: source models hidden from the front
        self._appended: list[Model] = []  # swap mode: models served behind the catalogue

    def observe(self, page: int) -> None:
        """Record a request for `page`, inserting a model if a pagination just moved on."""
        if self._mode is None:
            return
        if page == 1:
            self._pagination_open = True
            return
        if not self._pagination_open:
            return
        self._pagination_open = False
        if self._mode == "swap":
            # the first model leaves and a new one arrives at the end: the total stays the
            # same, every row moves one place forward, and a row crosses a page boundary
            if not self._appended:
                self._dropped += 1
                self._appended.append(shifted_model(1))
        elif self._mode == "always" or not self._inserted:
            self._inserted.insert(0, shifted_model(len(self._inserted) + 1))

    def inserted(self) -> Catalogue:
        """The models inserted so far, to be served in front of the catalogue."""
        return ListCatalogue(self._inserted)

    def trimmed(self, catalogue: Catalogue) -> Catalogue:
        """The catalogue without the models the swap mode took away from its front."""
        return _Tail(catalogue, self._dropped) if self._dropped else catalogue

    def appended(self) -> Catalogue:
        """The models the swap mode added behind the catalogue."""
        return ListCatalogue(self._appended)


class _Tail:
    """A catalogue without its first `skip` rows, without copying."""

    def __init__(self, catalogue: Catalogue, skip: int) -> None:
        self._catalogue, self._skip = catalogue, skip

    def __len__(self) -> int:
        return max(len(self._catalogue) - self._skip, 0)

    def name(self, index: int) -> str:
        return self._catalogue.name(index + self._skip)

    def model(self, index: int) -> Model:
        return self._catalogue.model(index + self._skip)

    def model_json(self, index: int) -> bytes:
        return self._catalogue.model_json(index + self._skip)
