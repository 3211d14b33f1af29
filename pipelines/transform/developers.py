"""Who made a model: one rule for both response shapes (README, "Developer").

1. `metadata.developer` where the shape has it (the documented shape);
2. else `owned_by`, when it names a developer;
3. else, when `owned_by` names only the serving stack (a known stack name, or one value for a
   whole list of models from several organisations), the organisation prefix of the model id,
   shown by its display name from settings.DEVELOPER_NAMES (an unknown prefix as it is).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipelines.settings import DEVELOPER_NAMES, SERVING_STACKS


def developer_of_prefix(model_name: str) -> str | None:
    """`meta-llama/Llama-3.3-70B-Instruct` → `Meta`; a name without an org prefix → None."""
    org, slash, rest = model_name.partition("/")
    if not slash or not org or not rest:
        return None
    return DEVELOPER_NAMES.get(org, org)


def serving_stack_owners(items: Iterable[Any]) -> frozenset[str]:
    """The `owned_by` values of a list that name a serving stack rather than a developer."""
    owners: set[str] = set()
    orgs: set[str] = set()
    for item in items:
        if isinstance(item, dict):
            if isinstance(item.get("owned_by"), str):
                owners.add(item["owned_by"])
            if isinstance(item.get("id"), str):
                orgs.add(item["id"].partition("/")[0])
    stacks = {owner for owner in owners if owner.lower() in SERVING_STACKS}
    if len(owners) == 1 and len(orgs) > 1:
        stacks |= owners  # one owner for models of many organisations: the host, not the maker
    return frozenset(stacks)


def live_developer(item: dict[str, Any], stacks: frozenset[str]) -> tuple[str | None, bool]:
    """(developer, derived): derived when it comes from the model id, not from the API."""
    owner = item.get("owned_by")
    if isinstance(owner, str) and owner and owner not in stacks:
        return owner, False
    name = item.get("id")
    return (developer_of_prefix(name) if isinstance(name, str) else None), True
