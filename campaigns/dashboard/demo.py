"""Demo step: the loaders above write reports in bulk, so recompute the aggregates once."""

from campaigns.aggregates import rebuild


def load(units) -> str:
    return f"Dashboard aggregates rebuilt: {rebuild()} rows"
