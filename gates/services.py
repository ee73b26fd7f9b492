"""Writes of border gates, their events, trade records and economic zones: the admin (its inline
rows too), the API and the commands call these. Gates have no rules of their own beyond the role
rules and the models' validation (``core.services.record_update``); these name the writes."""

from typing import Any

from core.services import record_update

from .models import EconomicZone, Gate, GateEvent, TradeRecord


def gate_update(gate: Gate, /, *, data: dict[str, Any], user=None, **options) -> dict:
    """Create or change a gate (publishing it only for managers); return what changed."""
    return record_update(gate, data=data, user=user, **options)


def gate_event_update(event: GateEvent, /, *, data: dict[str, Any], user=None, **options) -> dict:
    return record_update(event, data=data, user=user, **options)


def trade_record_update(
    record: TradeRecord, /, *, data: dict[str, Any], user=None, **options
) -> dict:
    return record_update(record, data=data, user=user, **options)


def economic_zone_update(
    zone: EconomicZone, /, *, data: dict[str, Any], user=None, **options
) -> dict:
    return record_update(zone, data=data, user=user, **options)
