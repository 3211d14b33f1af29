"""dlt's configuration lookups, made cheap: the same values from the same places.

dlt resolves its settings (writers, destination, normalizers, load) anew for every job, table
and file: a real-size load resolves ~250 configurations, which look up ~3,600 environment
variable names. Each lookup builds the variable's name from its sections and asks whether the
field's type hint marks a secret (a walk through typing's introspection), both the same every
time for the same field; those two answers were a third of the load's time beyond
`import dlt`. This provider remembers them. The value itself is read from the environment on
every lookup, and a secret still goes through dlt's own lookup (which also reads
`/run/secrets`), so what is resolved, and from where, does not change.

Imported only by a load (it imports dlt).
"""

from __future__ import annotations

import os
from typing import Any

from dlt.common.configuration.container import Container
from dlt.common.configuration.providers import EnvironProvider
from dlt.common.configuration.specs.base_configuration import is_secret_hint
from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext


class RememberingEnvironProvider(EnvironProvider):
    """dlt's environment provider that works out each variable name, and whether each type
    hint marks a secret, once."""

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[tuple[str, str | None, tuple[str, ...]], str] = {}
        self._secret: dict[Any, bool] = {}

    def get_value(
        self, key: str, hint: type[Any], pipeline_name: str | None, *sections: str
    ) -> tuple[Any | None, str]:
        try:
            secret = self._secret[hint]
        except KeyError:
            secret = self._secret[hint] = is_secret_hint(hint)
        except TypeError:  # a hint that cannot be a dict key: dlt's own lookup
            secret = True
        if secret:  # dlt's own lookup, which also reads /run/secrets (dlt passes None too)
            return super().get_value(key, hint, pipeline_name, *sections)  # type: ignore[arg-type]
        where = (key, pipeline_name, sections)
        name = self._names.get(where)
        if name is None:
            named = (pipeline_name, *sections) if pipeline_name else sections
            name = self._names[where] = self.get_key_name(key, *named)
        return os.environ.get(name), name


def remember_config_lookups() -> None:
    """Put the remembering provider in place of dlt's environment provider (same position, so
    the environment still comes before secrets.toml and config.toml). Idempotent."""
    providers = Container()[PluggableRunContext].providers.providers
    for i, provider in enumerate(providers):
        if type(provider) is EnvironProvider:
            providers[i] = RememberingEnvironProvider()
