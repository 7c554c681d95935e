#!/usr/bin/env python3
"""How many grid scenarios the reference plan's ladder can meet the 1.3x T* target in at all.

Reads the grid table (docs/simulation/grid.md, or the output of
`./sluice simulate examples/scenarios/grid.yaml`) and, for each scenario, the earliest time the
reference plan's stages could reach a budget that covers the scenario's demand if every stage
advanced at its first chance: one 30 s gate window per stage (the shortest hold the ramp allows).
A scenario whose T* x 1.3 is shorter than that cannot be within the target whatever the ramp
does under this plan. Counts "within" as a printed ratio below 1.3, as the grid's own summary.

    python3 bench/sim/ladder-floor.py docs/simulation/grid.md
"""
import re
import sys

SHARES = [0.05, 0.10, 0.25, 0.50, 0.75, 1.0]  # examples/reference-plan.yaml's stages
WINDOW_SECONDS = 30  # its gates' window: no stage is held shorter


def seconds(text):
    t = text.replace(",", "")
    for unit, factor in ((" min", 60), (" h", 3600), (" s", 1)):
        if t.endswith(unit):
            return float(t[: -len(unit)]) * factor
    return float("nan")


rows = [l for l in open(sys.argv[1]) if l.startswith("| load")]
unreachable = within = within_reachable = 0
for row in rows:
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    load = float(re.match(r"load ([0-9.]+)", cells[0]).group(1))
    t_star = seconds(cells[1])
    first_stage_covering = next(i for i, s in enumerate(SHARES) if s >= load - 1e-9)
    floor = WINDOW_SECONDS * first_stage_covering
    ok = cells[2] not in ("never", "–") and float(cells[2]) < 1.3
    within += ok
    if floor > 1.3 * t_star:
        unreachable += 1
    else:
        within_reachable += ok
print(f"{len(rows)} scenarios, within 1.3x T*: {within}; "
      f"the ladder alone needs more than 1.3x T*: {unreachable}; "
      f"of the other {len(rows) - unreachable}: within {within_reachable}")
