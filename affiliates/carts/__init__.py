"""Video and live carts: one cart abstraction (`kinds.Cart`) for every layer.

`kinds` (what a cart is, and what a video or a live adds), `services` (writes),
`views` + `urls` (console pages), `api` (REST). Selectors are `affiliates.selectors.
cart_list` / `cart_links`."""
