"""Reading loaded data defensively, before it is known to fit the model: rules, libraries and
`new --from` look things up in what the loader produced, which may have any shape."""

from __future__ import annotations

from typing import Any


def get(data: Any, *keys: str | int) -> Any:
    """`data[k1][k2]...` when each step exists and has the right shape, else None."""
    for key in keys:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def items(value: Any) -> list[tuple[int, Any]]:
    """(index, item) of a list; nothing for anything else."""
    return list(enumerate(value)) if isinstance(value, list) else []
