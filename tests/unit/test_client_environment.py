"""The client reads the environment's HTTP settings once, as requests would on each request."""

from __future__ import annotations

import pytest

from pipelines.extract.client import CatalogueClient


def test_proxies_and_ca_bundle_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/corporate.pem")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = CatalogueClient("https://api.example")._session
    assert session.proxies["https"] == "http://proxy.example:3128"
    assert session.verify == "/etc/ssl/corporate.pem"


def test_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "api.example")
    session = CatalogueClient("https://api.example")._session
    assert "https" not in session.proxies
