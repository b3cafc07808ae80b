"""批量发货: an uploaded file is previewed row by row, confirmed, then shipped in chunks
through the one shipping service, `logistics.services.shipments_create`.

- `files`: reading uploaded spreadsheets, writing the template and the result report;
- `judge`: `RowJudge`, whether each row may ship (asked at preview and again at ship time);
- `machine`: the batch's state machine, `BATCH_MACHINE`;
- `services`: `ship_batch_preview`, `ship_batch_confirm`;
- `process`: `ship_batch_process`, shipping a confirmed batch chunk by chunk;
- `selectors`, `views`: the reads and the console pages.
"""
