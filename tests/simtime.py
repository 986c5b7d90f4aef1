"""Moving simulated time in steps, so a test that spans days cannot flake.

simcord's `advance_time` guards each call with one wall-clock deadline for all the work
it runs; a day holds some 25 scheduler wakes, and on a busy machine one call for a whole
day could run out of wall time ("bot did not settle while advancing time") although the
bot was fine. Steps of at most an hour give each wake its own deadline: the outcome no
longer depends on how busy the machine is.
"""

from __future__ import annotations

from typing import Any

STEP = 3600.0


async def advance(env: Any, seconds: float, step: float = STEP) -> None:
    """Advance simulated time by `seconds`, at most `step` at a time."""
    left = float(seconds)
    while left > 0:
        move = min(step, left)
        await env.advance_time(move)
        left -= move
