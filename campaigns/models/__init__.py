"""The campaigns app's models, one module per concern; import them from here."""

from campaigns.models.approvals import TIER_KINDS, ApprovalLevel, ApprovalTier
from campaigns.models.catalogue import (
    VALUE_DECIMAL_PLACES,
    VALUE_LIMIT,
    VALUE_MAX_DIGITS,
    Campaign,
    Indicator,
    IndicatorAggregation,
    IndicatorPeriodAggregation,
    IndicatorReporter,
    IndicatorSection,
    IndicatorValueType,
    ReportingPeriod,
    RuleOperator,
    RuleSeverity,
    ValidationRule,
)
from campaigns.models.imports import ImportBatch, ImportBatchStatus
from campaigns.models.reports import (
    ReportStatus,
    ReportTransition,
    ReportValue,
    TransitionAction,
    UnitReport,
    ValueChange,
    ValueChangeSource,
)

__all__ = [
    "TIER_KINDS",
    "ApprovalLevel",
    "ApprovalTier",
    "VALUE_DECIMAL_PLACES",
    "VALUE_LIMIT",
    "VALUE_MAX_DIGITS",
    "Campaign",
    "ImportBatch",
    "ImportBatchStatus",
    "Indicator",
    "IndicatorAggregation",
    "IndicatorPeriodAggregation",
    "IndicatorReporter",
    "IndicatorSection",
    "IndicatorValueType",
    "ReportStatus",
    "ReportTransition",
    "ReportValue",
    "ReportingPeriod",
    "RuleOperator",
    "RuleSeverity",
    "TransitionAction",
    "UnitReport",
    "ValidationRule",
    "ValueChange",
    "ValueChangeSource",
]
