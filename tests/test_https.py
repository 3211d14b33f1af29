"""A load over HTTPS, as from the real API: certificates are verified, with the CA bundle the
environment names (REQUESTS_CA_BUNDLE), and a certificate nobody vouches for is refused."""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.conftest import iomodels, load_catalogue, untimed

MODELS = load_catalogue()


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "iomodels test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class OnePage(BaseHTTPRequestHandler):
    """The bundled catalogue as one documented page, whatever the query asks."""

    def do_GET(self) -> None:
        pagination = {
            "total": len(MODELS),
            "page": 1,
            "page_size": 100,
            "total_pages": 1,
            "has_next": False,
            "has_previous": False,
        }
        body = json.dumps({"data": MODELS, "pagination": pagination}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def https_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    cert, key = self_signed(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), OnePage)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()


def test_a_load_over_https_verifies_with_the_ca_bundle_of_the_environment(
    https_api: tuple[str, Path], tmp_path: Path
) -> None:
    url, cert = https_api
    result = iomodels(
        "load", "--base-url", url, "--data-dir", str(tmp_path),
        env={"REQUESTS_CA_BUNDLE": str(cert)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(tmp_path / "io_models.duckdb"), read_only=True) as con:
        names = {row[0] for row in con.execute("select name from analytics.models").fetchall()}
    assert names == {model["name"] for model in MODELS}


def test_a_certificate_nobody_vouches_for_is_refused(
    https_api: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = https_api
    result = iomodels(
        "load", "--base-url", url, "--data-dir", str(tmp_path), "--retries", "1",
        env={"REQUESTS_CA_BUNDLE": ""},
    )  # fmt: skip
    assert result.returncode == 3
    line = untimed(result.stderr).strip().splitlines()[-1]
    page = f"{url}/api/v1/models?page=1&page_size=100"
    assert line.startswith(f"iomodels: error: GET {page} failed after 2 attempts")
    assert line.endswith(": TLS failed (SSLError)")
    with duckdb.connect(str(tmp_path / "io_models.duckdb"), read_only=True) as con:
        assert con.execute("select outcome from analytics.load_runs").fetchall() == [("api_error",)]
        assert con.execute("select count(*) from analytics.models").fetchall() == [(0,)]
