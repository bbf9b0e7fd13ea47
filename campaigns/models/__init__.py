"""The campaigns app's models, one module per concern; import them from here."""

from campaigns.models.aggregates import AggregateBasis, IndicatorAggregate, ReportCount
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
from campaigns.models.followup import ReportNudge, ReviewRemark
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
    "AggregateBasis",
    "ApprovalLevel",
    "ApprovalTier",
    "VALUE_DECIMAL_PLACES",
    "VALUE_LIMIT",
    "VALUE_MAX_DIGITS",
    "Campaign",
    "ImportBatch",
    "ImportBatchStatus",
    "Indicator",
    "IndicatorAggregate",
    "ReportCount",
    "IndicatorAggregation",
    "IndicatorPeriodAggregation",
    "IndicatorReporter",
    "IndicatorSection",
    "IndicatorValueType",
    "ReportNudge",
    "ReportStatus",
    "ReportTransition",
    "ReportValue",
    "ReportingPeriod",
    "RuleOperator",
    "RuleSeverity",
    "TransitionAction",
    "UnitReport",
    "ReviewRemark",
    "ValidationRule",
    "ValueChange",
    "ValueChangeSource",
]
