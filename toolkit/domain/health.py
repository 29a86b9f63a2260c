"""Blood pressure (domain layer): the plausible ranges (D111) and the classes of settings.md
(偏高 / 偏低 / 危急), used by rules C305/C306, D111 and the indicators alike."""
from __future__ import annotations

from toolkit.domain.names import usable
from toolkit.model import Record

__all__ = ["SYSTOLIC_RANGE", "DIASTOLIC_RANGE", "bp_plausible", "bp_plausible_memo", "bp_of",
           "bp_class", "bp_critical", "bp_candidates", "bp_riskiest", "bp_half",
           "bp_halves"]

# plausible ranges (D111); thresholds for care (140/90 …) are in settings
SYSTOLIC_RANGE = (60, 260)
DIASTOLIC_RANGE = (30, 160)
HIGH, LOW = "偏高", "偏低"


def bp_plausible(bp: tuple[int, int]) -> bool:
    """A reading a person can have: both numbers in range and systolic above diastolic."""
    sys_, dia = bp
    return (SYSTOLIC_RANGE[0] <= sys_ <= SYSTOLIC_RANGE[1]
            and DIASTOLIC_RANGE[0] <= dia <= DIASTOLIC_RANGE[1] and sys_ > dia)


_MEMO_LIMIT = 1 << 16
_PLAUSIBLE: dict = {}          # reading as read -> plausible? (a few thousand distinct readings)
_READING: dict = {}            # reading as read -> (sys, dia) or None


def _remembered(table: dict, compute, key):
    """``compute(key)``, remembered in ``table`` per distinct key (cleared when it grows past
    ``_MEMO_LIMIT``); an unhashable key is computed, not remembered."""
    try:
        return table[key]
    except KeyError:
        if len(table) > _MEMO_LIMIT:
            table.clear()
        found = table[key] = compute(key)
        return found
    except TypeError:
        return compute(key)


def bp_plausible_memo(bp) -> bool:
    """``bp_plausible`` remembered per distinct reading (every visit of a year has one)."""
    return _remembered(_PLAUSIBLE, bp_plausible, bp)


def bp_of(visit: Record) -> tuple[int, int] | None:
    """The visit's blood-pressure reading (sys, dia); None when absent, unreadable, or
    implausible (D111's range: 300/80 is a typo, not an emergency)."""
    bp = usable(visit, "blood_pressure")
    if not bp:
        return None
    return _remembered(_READING, _reading, bp)


def _reading(bp) -> tuple[int, int] | None:
    if len(bp) != 2:
        return None
    reading = int(bp[0]), int(bp[1])
    return reading if bp_plausible(reading) else None


def bp_class(bp: tuple[int, int], thresholds, age: int | None = None) -> str | None:
    """``偏高`` / ``偏低`` by the settings' thresholds, None when normal (rules.md C305; the
    reports' 血压异常). From 高龄年龄 on (``age`` taken on the reading's date) the systolic
    threshold is 高龄高血压收缩压 (150); an unknown age uses the ordinary 140/90."""
    sys_, dia = bp
    old = age is not None and age >= thresholds.old_age
    if sys_ >= (thresholds.bp_high_sys_old if old else thresholds.bp_high_sys) \
            or dia >= thresholds.bp_high_dia:
        return HIGH
    if sys_ < thresholds.bp_low_sys or dia < thresholds.bp_low_dia:
        return LOW
    return None


def bp_critical(bp: tuple[int | None, int | None], thresholds) -> bool:
    """危急 by the settings' thresholds (C306): systolic ≥ 危急收缩压 or diastolic ≥ 危急舒张压.
    A half reading (``bp_half``: (190, None)) is 危急 when its known number is."""
    sys_, dia = bp
    return ((sys_ is not None and sys_ >= thresholds.bp_critical_sys)
            or (dia is not None and dia >= thresholds.bp_critical_dia))


def bp_candidates(visit: Record) -> tuple[tuple[int, int], ...]:
    """The full readings of a visit row that gives two different ones (血压 130/80 beside
    高压 | 低压 186/112: D111 ``bp_conflict``, its reading unknown, ``bp_of`` None), in the
    order written, the implausible ones (D111's range) and the halves (130/80 beside 高压 186
    alone: ``bp_halves``, for C306 only) left out; () for any other row."""
    alternatives = visit.alternatives
    if not alternatives or "blood_pressure" not in visit.invalid:
        return ()
    found = []
    for bp in alternatives.get("blood_pressure") or ():
        reading = _reading(bp) if bp and not isinstance(bp, str) and None not in bp else None
        if reading is not None:
            found.append(reading)
    return tuple(found)


def bp_half(visit: Record) -> tuple[int | None, int | None] | None:
    """The one number of a visit row whose reading has the other missing (血压 ``190/`` or
    ``/120``, 高压 190 | 低压 empty or unreadable: D111, its reading unknown, ``bp_of`` None):
    (190, None) or (None, 120), when that number is in its plausible range (D111's: 高压 19
    or 1900 is a typo, not an emergency); None for any other row. Only C306 weighs it (a
    half says nothing reliable about 偏高/偏低): it is never a reading."""
    alternatives = visit.alternatives
    if not alternatives or "blood_pressure" not in visit.invalid:
        return None
    found = alternatives.get("blood_pressure") or ()
    if len(found) != 1:
        return None
    half = found[0]
    if isinstance(half, str) or not half or len(half) != 2 \
            or (half[0] is None) == (half[1] is None):
        return None
    sys_, dia = half
    if sys_ is not None:
        return half if SYSTOLIC_RANGE[0] <= sys_ <= SYSTOLIC_RANGE[1] else None
    return half if DIASTOLIC_RANGE[0] <= dia <= DIASTOLIC_RANGE[1] else None


def bp_halves(visit: Record) -> tuple[tuple[int | None, int | None], ...]:
    """Every half reading a visit row gives, in the order written, the implausible ones
    left out: ``bp_half``'s one for a row giving only half a reading, and the halves among
    the two candidates of a row whose 血压 cell and 高压 | 低压 disagree (130/80 beside 高压
    186 alone, 190/ beside 150 | 95: D111 ``bp_conflict``); () for any other row. Only C306
    weighs them, never C305, never as a reading."""
    alternatives = visit.alternatives
    if not alternatives or "blood_pressure" not in visit.invalid:
        return ()
    found = alternatives.get("blood_pressure") or ()
    if len(found) == 1:
        half = bp_half(visit)
        return (half,) if half is not None else ()
    return tuple(half for half in found if _plausible_half(half))


def _plausible_half(half) -> bool:
    if isinstance(half, str) or not half or len(half) != 2 \
            or (half[0] is None) == (half[1] is None):
        return False
    if half[0] is not None:
        return SYSTOLIC_RANGE[0] <= half[0] <= SYSTOLIC_RANGE[1]
    return DIASTOLIC_RANGE[0] <= half[1] <= DIASTOLIC_RANGE[1]


def bp_riskiest(candidates, thresholds, age: int | None = None, critical_only: bool = False
                ) -> tuple[int, int] | None:
    """Of the two readings one row gives (``bp_candidates``), the one that carries the danger:
    a 危急 one (the higher, if both are), else (unless ``critical_only``) a 偏高 one (the
    higher), else a 偏低 one (the lower); None when none is. Only for the danger findings
    (C306, C305): a row's normal candidate never stands for a reading (it clears nothing)."""
    critical = [bp for bp in candidates if bp_critical(bp, thresholds)]
    if critical or critical_only:
        return max(critical) if critical else None
    high = [bp for bp in candidates if bp_class(bp, thresholds, age) == HIGH]
    if high:
        return max(high)
    low = [bp for bp in candidates if bp_class(bp, thresholds, age) == LOW]
    return min(low) if low else None
