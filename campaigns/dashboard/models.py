"""The dashboard has no models of its own: it reads the aggregates the reports core keeps
(:class:`campaigns.models.IndicatorAggregate`, written by :mod:`campaigns.aggregates`)."""
