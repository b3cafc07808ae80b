"""The merchant console for orders (订单管理: `orders`) and after-sales (售后:
`aftersales`), one module each; `common` holds what both lists share."""
