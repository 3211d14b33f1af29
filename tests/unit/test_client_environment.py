"""The client reads the environment's HTTP settings once, with the rules requests applies."""

from __future__ import annotations

from pathlib import Path

import pytest
import urllib3

from pipelines.errors import ApiError
from pipelines.extract.client import ApiKey, CatalogueClient, redact_url
from pipelines.extract.transport import HttpSettings, http_settings


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def test_proxies_and_ca_bundle_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/corporate.pem")
    settings = http_settings("https://api.example")
    assert settings.proxy == "http://proxy.example:3128"
    assert settings.ca_bundle == "/etc/ssl/corporate.pem"
    pool = CatalogueClient("https://api.example")._pool
    assert isinstance(pool, urllib3.ProxyManager)
    assert pool.proxy is not None and pool.proxy.host == "proxy.example"


def test_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "api.example")
    assert http_settings("https://api.example").proxy is None
    assert not isinstance(CatalogueClient("https://api.example")._pool, urllib3.ProxyManager)


def test_the_proxy_of_the_other_scheme_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert http_settings("http://127.0.0.1:8000").proxy is None


def test_a_socks_proxy_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://proxy.example:1080")
    with pytest.raises(ApiError, match=r"socks5:// is not supported"):
        CatalogueClient("https://api.example")


def test_certifi_bundle_by_default() -> None:
    import certifi

    assert http_settings("https://api.example").ca_bundle == certifi.where()


def test_netrc_gives_basic_auth_but_the_key_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine api.example login alice password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert http_settings("https://api.example") == HttpSettings(
        None, http_settings("https://other.example").ca_bundle, "alice:s3cret"
    )
    guest = CatalogueClient("https://api.example")._pool.headers
    assert guest["authorization"].startswith("Basic ")
    keyed = CatalogueClient("https://api.example", ApiKey("k-123"))._pool.headers
    assert keyed["authorization"] == "Bearer k-123"


def test_credentials_in_the_url_become_a_header_not_part_of_the_request_line() -> None:
    assert http_settings("https://bob:pw@api.example/").basic_auth == "bob:pw"
    assert redact_url("https://bob:pw@api.example:8443/v") == "https://api.example:8443/v"
    assert redact_url("http://bob:pw@[::1]:8000/") == "http://[::1]:8000/"  # brackets kept
    client = CatalogueClient("https://bob:pw@api.example")
    assert client._url == "https://api.example/api/v1/models"
    assert (
        client._pool.headers["authorization"]
        == urllib3.make_headers(basic_auth="bob:pw")["authorization"]
    )
