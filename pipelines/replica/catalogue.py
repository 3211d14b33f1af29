"""Catalogues the replica serves, and where they come from.

A `Catalogue` is an immutable, indexable snapshot of model rows. It is deliberately not a list:
the synthetic catalogue has up to 100,000 rows generated on demand, so the app asks for a row
count, the names (for the `q` filter) and only the rows of the requested page.

A `CatalogueSource` hands out the current snapshot. The file source re-reads its JSON file when
the file changes, so tests and the demo can swap the catalogue under a running server.
"""

from __future__ import annotations

import bisect
import json
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from pipelines.replica.rendering import to_json

Model = dict[str, Any]
"""One model row exactly as the API serves it (a `ModelData` object of the spec)."""

BUNDLED_CATALOGUE = Path(__file__).with_name("catalogue.json")
"""The default catalogue: a realistic snapshot of the io.net model list."""

BUNDLED_CATALOGUE_NEXT = Path(__file__).with_name("catalogue_next.json")
"""A later snapshot of the bundled catalogue (prices changed, models added/removed/retired)."""


class Catalogue(Protocol):
    """An immutable snapshot of model rows, addressed by position."""

    def __len__(self) -> int: ...

    def name(self, index: int) -> str:
        """The model name at `index` (cheap: used to filter every row by `q`)."""
        ...

    def model(self, index: int) -> Model:
        """The full row at `index`; callers must not mutate it."""
        ...

    def model_json(self, index: int) -> bytes:
        """The row at `index` as the response's JSON text (`rendering.to_json`)."""
        ...


class CatalogueSource(Protocol):
    """Something that knows the catalogue as it is right now."""

    def current(self) -> Catalogue: ...


class ListCatalogue:
    """A catalogue held in memory as a list of rows."""

    def __init__(self, models: Sequence[Model]) -> None:
        self._models = list(models)

    def __len__(self) -> int:
        return len(self._models)

    def name(self, index: int) -> str:
        return model_name(self._models[index])

    def model(self, index: int) -> Model:
        return self._models[index]

    def model_json(self, index: int) -> bytes:
        # Rendered per request: a file catalogue is small, and tests may swap it at any time.
        return to_json(self._models[index])


class ChainedCatalogue:
    """Several catalogues served as one, in order, without copying their rows.

    Used to put models inserted by the shift fault in front of the catalogue and malformed rows
    behind it.
    """

    def __init__(self, parts: Sequence[Catalogue]) -> None:
        self._parts = [part for part in parts if len(part) > 0]
        # _starts[i] is the index of the first row of _parts[i] in the chained catalogue.
        self._starts: list[int] = []
        total = 0
        for part in self._parts:
            self._starts.append(total)
            total += len(part)
        self._length = total

    def __len__(self) -> int:
        return self._length

    def _locate(self, index: int) -> tuple[Catalogue, int]:
        if not 0 <= index < self._length:
            raise IndexError(index)
        part_number = bisect.bisect_right(self._starts, index) - 1
        return self._parts[part_number], index - self._starts[part_number]

    def name(self, index: int) -> str:
        part, offset = self._locate(index)
        return part.name(offset)

    def model(self, index: int) -> Model:
        part, offset = self._locate(index)
        return part.model(offset)

    def model_json(self, index: int) -> bytes:
        part, offset = self._locate(index)
        return part.model_json(offset)


def model_name(model: Model) -> str:
    """The name of a row, tolerating malformed rows (a name that is missing or not a string)."""
    name = model.get("name")
    return name if isinstance(name, str) else ""


class CatalogueFileError(ValueError):
    """The catalogue file cannot be read or is not a JSON list of objects."""


def read_catalogue_file(path: Path) -> list[Model]:
    """Read a catalogue file: a JSON list of model objects."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueFileError(f"cannot read catalogue {path}: {error.strerror}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueFileError(f"catalogue {path} is not valid JSON: {error}") from error
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise CatalogueFileError(f"catalogue {path} must be a JSON list of objects")
    return data


class FileCatalogueSource:
    """Serves a catalogue file, re-reading it whenever it changes on disk.

    A change is detected by (inode, size, mtime): a write-then-rename replaces the inode, an
    in-place rewrite changes size or mtime. If a changed file cannot be parsed (a writer caught
    mid-write), the previous snapshot keeps being served and the file is tried again on the next
    request, so a client never sees a half-written catalogue.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._file_key = self._stat_key()
        # Fail at start-up, not at the first request, when the file is unusable.
        self._catalogue = ListCatalogue(read_catalogue_file(path))

    def _stat_key(self) -> tuple[int, int, int]:
        try:
            stat = os.stat(self.path)
        except OSError as error:
            raise CatalogueFileError(
                f"cannot read catalogue {self.path}: {error.strerror}"
            ) from error
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def current(self) -> Catalogue:
        with self._lock:
            try:
                key = self._stat_key()
                if key != self._file_key:
                    self._catalogue = ListCatalogue(read_catalogue_file(self.path))
                    self._file_key = key
            except CatalogueFileError as error:
                print(f"replica: keeping the previous catalogue: {error}", file=sys.stderr)
            return self._catalogue
