from django.dispatch import Signal

# Sent after commit whenever an order's status changes, with order_id, shop_id,
# from_status and to_status. affiliates (commission) and logistics react to it;
# orders itself never imports them.
order_status_changed = Signal()

# Sent after commit whenever an after-sale changes status, with aftersale_id, order_id,
# from_status and to_status.
aftersale_status_changed = Signal()
