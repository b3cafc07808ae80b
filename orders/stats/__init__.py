"""数据: order figures for any period, read from rollups kept exact by the services.

- `definitions`: what each figure means (shown behind ⓘ and in docs/metrics.md).
- `periods`: the period picker (half-open Beijing days) and the previous equal period.
- `models`: the rollup tables; `rollups`: how the services keep them; `recompute`: how
  they are rebuilt from the orders (`manage.py stats_rebuild`) or refreshed for the days
  a bulk write touched (the order import, status syncs).
- `selectors`: the figures of a period; `tables`: each chart as a table; `views`, `api`:
  thin callers. The creator's board (affiliates.board) reads the same rollups.
"""
