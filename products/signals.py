from django.dispatch import Signal

# Sent after commit when a product changes status, with product_id, from_status and
# to_status: the showcase marks items whose product left 在售 as 失效.
product_status_changed = Signal()
