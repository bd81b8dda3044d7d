"""Feed experiments, exposures, engagement attribution, the analytics API and /metrics."""
