"""The HTTP transport: one urllib3 connection pool, set up from the environment once.

urllib3 directly rather than requests on top of it: requests' session machinery (hooks,
adapters, cookie jars, merging settings per request) cost about 0.8 ms of CPU per page, as
much as parsing the page's JSON. What requests would
take from the environment on every request is read here once, with the same rules: the proxy
for the base URL (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`), the CA bundle
(`REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE`, else certifi's), and basic auth from the URL or
`~/.netrc` (`NETRC`).
"""

from __future__ import annotations

import netrc
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import urllib3
from urllib3.exceptions import (
    DecodeError,
    MaxRetryError,
    ProtocolError,
    ProxyError,
    SSLError,
)
from urllib3.exceptions import (
    TimeoutError as Urllib3Timeout,
)

# What may go right on another try: timeouts (connecting, including refused and unresolvable
# hosts, and reading), a connection dropped mid-body (a truncated page), TLS and proxy trouble.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    Urllib3Timeout,
    ProtocolError,
    SSLError,
    ProxyError,
    DecodeError,
)
# what each of them means, in words, for a retry line and the final error (the type is kept
# after it, in parentheses, for whoever searches for it)
TRANSIENT_WORDS = {
    "NameResolutionError": "the host name does not resolve",
    "NewConnectionError": "could not connect (refused or unreachable)",
    "ConnectTimeoutError": "no connection within the timeout",
    "ReadTimeoutError": "no answer within the timeout",
    "ProtocolError": "the connection broke off",
    "SSLError": "TLS failed",
    "ProxyError": "the proxy failed",
    "DecodeError": "the body could not be decoded",
}
MAX_REDIRECTS = 30  # as requests
# No retries of urllib3's own (the client's policy retries, with one shared backoff), but
# redirects are followed, as requests does; cross-host redirects drop the Authorization header.
_RETRIES = urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=MAX_REDIRECTS)


class ProxySchemeError(ValueError):
    """The environment names a proxy this client cannot use (e.g. socks5://)."""


@dataclass(frozen=True)
class HttpSettings:
    """What the environment says about requests to one base URL."""

    proxy: str | None
    ca_bundle: str | None
    basic_auth: str | None  # "user:password", from the URL or ~/.netrc


def http_settings(base_url: str) -> HttpSettings:
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    proxy = None
    if not urllib.request.proxy_bypass(host):
        proxies = urllib.request.getproxies()
        proxy = proxies.get(parts.scheme) or proxies.get("all")
    if proxy is not None and urlsplit(proxy).scheme not in ("http", "https"):
        raise ProxySchemeError(f"the proxy {urlsplit(proxy).scheme}:// is not supported")
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    return HttpSettings(proxy, bundle or _default_bundle(), _url_auth(base_url) or _netrc(host))


def pool_for(settings: HttpSettings, size: int, headers: dict[str, str]) -> urllib3.PoolManager:
    """A thread-safe pool of `size` connections per host, with `headers` on every request."""
    sent = urllib3.HTTPHeaderDict(headers)  # names are case-insensitive: one Authorization
    if settings.basic_auth is not None:
        sent.update(urllib3.make_headers(basic_auth=settings.basic_auth))
    options = {"maxsize": max(size, 1), "headers": sent, "retries": _RETRIES}
    if settings.ca_bundle is not None:
        options["ca_certs"] = settings.ca_bundle
    if settings.proxy is None:
        return urllib3.PoolManager(**options)  # type: ignore[arg-type]
    proxy_auth = _url_auth(settings.proxy)
    proxy_headers = urllib3.make_headers(proxy_basic_auth=proxy_auth) if proxy_auth else None
    return urllib3.ProxyManager(settings.proxy, proxy_headers=proxy_headers, **options)  # type: ignore[arg-type]


def unwrapped(error: Exception) -> Exception:
    """The error itself: urllib3 wraps the last one in MaxRetryError when it gives up."""
    if isinstance(error, MaxRetryError) and isinstance(error.reason, Exception):
        return error.reason
    return error


def _url_auth(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.username is None:
        return None
    return f"{unquote(parts.username)}:{unquote(parts.password or '')}"


def _netrc(host: str) -> str | None:
    """Basic auth for `host` from the netrc file, as requests reads it; None if there is none."""
    names = [os.environ["NETRC"]] if os.environ.get("NETRC") else ["~/.netrc", "~/_netrc"]
    for name in names:
        path = Path(name).expanduser()
        if not path.exists():
            continue
        try:
            found = netrc.netrc(str(path)).authenticators(host)
        except (netrc.NetrcParseError, OSError):
            return None  # an unreadable netrc is ignored, as requests does
        if found is None:
            return None
        login, account, password = found
        return f"{login or account or ''}:{password or ''}"
    return None


def _default_bundle() -> str | None:
    try:
        import certifi
    except ImportError:  # the system's store, as urllib3 uses by default
        return None
    return str(certifi.where())
