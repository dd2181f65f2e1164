"""Period facts per unit: what circulars, the assessment and the dashboard report (issue 9).

A plain package, not an app: it has no models and sits above items, urging and ledgers, below
circulars, accountability, assessment and the dashboard. Everything is counted with the definitions
of ``duban.items.counting``, in SQL aggregates grouped by unit (a fixed number of queries whatever
the number of items).
"""

from .facts import FactRecord, PeriodTotals, UnitFacts, fact_records, period_totals, unit_facts

__all__ = ["FactRecord", "PeriodTotals", "UnitFacts", "fact_records", "period_totals", "unit_facts"]
