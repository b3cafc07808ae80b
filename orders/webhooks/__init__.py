"""消息推送: signed webhooks of order and after-sale events.

`outbox` (events written by database triggers in the changing transaction, read below
the same safe horizon as orders.changes), `delivery` (fan-out, ordering, HTTP, retries),
`services` (endpoints: register, pause, resume, redeliver, test push), `selectors`,
`urls` + `views` (店铺设置 → 开放接口), `tasks` (the dispatcher).
"""
