"""dlt's configuration, resolved through the remembering environment provider, is what dlt's own
provider resolves: the same values, read again after the environment changes, secrets included.
Real dlt resolution, no replica."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from dlt.common.configuration import configspec, resolve_configuration
from dlt.common.configuration.container import Container
from dlt.common.configuration.providers import EnvironProvider
from dlt.common.configuration.specs import BaseConfiguration
from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext
from dlt.common.data_writers.buffered import BufferedDataWriter
from dlt.common.typing import TSecretStrValue

from pipelines.store.dlt_lookups import RememberingEnvironProvider, remember_config_lookups


@configspec
class _Settings(BaseConfiguration):
    page_size: int = 10
    token: TSecretStrValue = None
    label: str | None = None


def _providers() -> list[Any]:
    return Container()[PluggableRunContext].providers.providers  # type: ignore[no-any-return]


@pytest.fixture
def remembering() -> Iterator[None]:
    """The remembering provider in place for one test, dlt's own one back afterwards."""
    before = list(_providers())
    remember_config_lookups()
    yield
    _providers()[:] = before


def _resolved(sections: tuple[str, ...]) -> dict[str, Any]:
    return dict(resolve_configuration(_Settings(), sections=sections, accept_partial=True))


def test_it_takes_the_place_of_dlts_environment_provider(remembering: None) -> None:
    providers = _providers()
    assert type(providers[0]) is RememberingEnvironProvider
    assert not any(type(p) is EnvironProvider for p in providers)
    remember_config_lookups()  # again: still one environment provider
    assert sum(isinstance(p, EnvironProvider) for p in providers) == 1


def test_values_match_dlts_own_provider_and_follow_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sections = ("sources", "iomodels_test")
    monkeypatch.setenv("SOURCES__IOMODELS_TEST__PAGE_SIZE", "250")
    monkeypatch.setenv("SOURCES__TOKEN", "s3cret")  # a less specific section, and a secret
    monkeypatch.setenv("LABEL", "top level")
    own = _resolved(sections)
    before = list(_providers())
    try:
        remember_config_lookups()
        assert own == {"page_size": 250, "token": "s3cret", "label": "top level"}
        assert _resolved(sections) == own
        # nothing is remembered of the values: a changed environment is read again
        monkeypatch.setenv("SOURCES__IOMODELS_TEST__PAGE_SIZE", "7")
        monkeypatch.delenv("LABEL")
        assert _resolved(sections) == {"page_size": 7, "token": "s3cret", "label": None}
    finally:
        _providers()[:] = before


def test_dlts_writer_settings_come_from_the_environment(
    remembering: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_WRITER__BUFFER_MAX_ITEMS", "123")
    config = resolve_configuration(
        BufferedDataWriter.BufferedDataWriterConfiguration(), sections=("normalize", "data_writer")
    )
    assert config.buffer_max_items == 123
