"""Demo step: the loaders above write reports, dossiers and sites in bulk, so recompute the kept
aggregates and counts once."""

from campaigns.aggregates import rebuild
from campaigns.certifications import counts as title_counts
from models_registry import counts as site_counts


def load(units) -> str:
    return (
        f"Dashboard aggregates rebuilt: {rebuild()} rows, "
        f"title counts: {title_counts.rebuild()} rows, site counts: {site_counts.rebuild()} rows"
    )
