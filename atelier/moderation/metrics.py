"""Moderation's Prometheus figures, read from the database at each scrape of `/metrics`.

They are the state of the queue, not counts a process keeps, so every worker answers the
same and nothing needs adding up across processes (docs/moderation.md, "Numbers").
"""

import logging
import math

from django.db import DatabaseError
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from atelier.moderation.selectors import DECISION_WINDOW_DAYS, moderation_figures

log = logging.getLogger(__name__)


def _families(figures=None) -> list:
    """The metric families; with `figures`, their samples."""
    open_reports = GaugeMetricFamily(
        "atelier_moderation_reports_open", "Reports waiting for a decision."
    )
    oldest = GaugeMetricFamily(
        "atelier_moderation_oldest_open_report_age_seconds",
        "Seconds since the oldest open report was filed (0 with none open).",
    )
    decided = CounterMetricFamily(
        "atelier_moderation_reports_decided",
        "Reports decided, by outcome: resolved (an action was taken) or dismissed.",
        labels=["outcome"],
    )
    in_window = GaugeMetricFamily(
        "atelier_moderation_reports_decided_recent",
        f"Reports decided in the last {DECISION_WINDOW_DAYS} days.",
    )
    time_to_decision = GaugeMetricFamily(
        "atelier_moderation_time_to_decision_seconds",
        f"Seconds from a report to its decision, over the reports decided in the last "
        f"{DECISION_WINDOW_DAYS} days, by quantile (NaN with none).",
        labels=["quantile"],
    )
    appeals = GaugeMetricFamily(
        "atelier_moderation_appeals_open", "Appeals waiting for a decision."
    )
    if figures is not None:
        open_reports.add_metric([], figures.open_reports)
        oldest.add_metric([], figures.oldest_open_seconds)
        for outcome, count in figures.decided.items():
            decided.add_metric([outcome], count)
        in_window.add_metric([], figures.decided_in_window)
        for quantile, seconds in figures.decision_seconds.items():
            time_to_decision.add_metric([str(quantile)], math.nan if seconds is None else seconds)
        appeals.add_metric([], figures.open_appeals)
    return [open_reports, oldest, decided, in_window, time_to_decision, appeals]


class ModerationCollector(Collector):
    """Registered with the registry `/metrics` encodes (analytics.apis)."""

    def describe(self):
        # Names only: registering the collector runs no query.
        return _families()

    def collect(self):
        try:
            figures = moderation_figures()
        except DatabaseError:
            # The other metrics still answer while the database does not.
            log.warning("moderation figures unavailable: the database did not answer")
            return []
        return _families(figures)
