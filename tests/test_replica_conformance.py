"""The replica conforms to its OpenAPI document (pipelines/replica/openapi.yaml).

Two angles: schemathesis generates requests from the document (valid and invalid ones) and
checks every response's status code, content type and body schema against it; and the served
data itself (bundled catalogues, synthetic rows, malformed rows) is validated against the
`ModelData` schema with format checks (`uuid`, `date-time`) switched on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from pipelines.replica import OPENAPI_DOCUMENT
from pipelines.replica.malformed import malformed_rows
from tests.replica_process import PROJECT_ROOT, running_replicas

REPLICA_DIR = PROJECT_ROOT / "pipelines" / "replica"
MAX_GENERATED_EXAMPLES = 25  # keeps the run to a few seconds

schema = schemathesis.openapi.from_path(OPENAPI_DOCUMENT)

# Replica configurations whose responses must all conform to the document: the faults in
# "valid-faults" change what is served (unknown fields, models inserted mid-pagination, pages
# that repeat or never end) but never break the schema.
CONFORMING_CONFIGURATIONS = {
    "bundled": (),
    "synthetic": ("--synthetic", "300"),
    "valid-faults": ("--drift", "--shift-catalogue", "always", "--endless", "--repeat-page"),
}


@pytest.fixture(scope="module")
def replica_urls() -> Iterator[dict[str, str]]:
    """All conforming configurations, started together (start-up is mostly imports)."""
    with running_replicas(*CONFORMING_CONFIGURATIONS.values()) as base_urls:
        yield dict(zip(CONFORMING_CONFIGURATIONS, base_urls, strict=True))


@pytest.fixture(scope="module", params=list(CONFORMING_CONFIGURATIONS))
def replica_url(request: pytest.FixtureRequest, replica_urls: dict[str, str]) -> str:
    return replica_urls[request.param]


@schema.parametrize()
@settings(
    max_examples=MAX_GENERATED_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    # Hermetic and repeatable: the same examples every run, nothing kept between runs.
    derandomize=True,
    database=None,
)
def test_responses_conform_to_the_document(case: schemathesis.Case[Any], replica_url: str) -> None:
    case.call_and_validate(
        base_url=replica_url,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,  # invalid page / page_size must give 422
            positive_data_acceptance,  # valid ones must not
        ],
    )


# --- the data, validated against the ModelData schema -------------------------------------------


COMPONENTS: dict[str, Any] = schema.raw_schema["components"]


def model_validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(
        {"$ref": "#/components/schemas/ModelData", "components": COMPONENTS},
        validate_formats=True,
    )


@pytest.mark.parametrize("file_name", ["catalogue.json", "catalogue_next.json"])
def test_bundled_catalogues_are_valid_model_data(file_name: str) -> None:
    validator = model_validator()
    listed_metadata = set(COMPONENTS["schemas"]["ModelMetadata"]["properties"])
    rows: list[dict[str, Any]] = json.loads((REPLICA_DIR / file_name).read_text())
    for row in rows:
        errors = [error.message for error in validator.iter_errors(row)]
        assert errors == [], row["name"]
        # every metadata field the document lists is present, not merely allowed to be absent
        assert set(row["metadata"]) == listed_metadata, row["name"]


def test_every_synthetic_row_is_valid_model_data(replica_urls: dict[str, str]) -> None:
    validator = model_validator()
    rows = []
    for number in (1, 2, 3):
        response = requests.get(
            replica_urls["synthetic"] + "/api/v1/models",
            params={"page": number, "page_size": 100},
            timeout=10,
        )
        rows.extend(response.json()["data"])
    assert len(rows) == 300
    for row in rows:
        assert [error.message for error in validator.iter_errors(row)] == [], row["name"]


def test_which_malformed_rows_the_schema_catches() -> None:
    """Documents for loader authors: three bad rows are valid per the document.

    A negative quota, a price of "N/A" and per-token prices all satisfy the schema (it sets no
    minimum and types prices as free strings), so a loader must check these itself.
    """
    validator = model_validator()
    passes_schema = {row["name"] for row in malformed_rows() if validator.is_valid(row)}
    assert passes_schema == {"bad/price-na", "bad/negative-quota", "bad/per-token-prices"}
