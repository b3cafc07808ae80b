from celery import shared_task

from . import services


@shared_task
def order_accept_task(order_id: int) -> int:
    return services.order_accept(order_id=order_id).status


@shared_task
def orders_cancel_unpaid_task() -> int:
    return services.orders_cancel_unpaid()


@shared_task
def orders_complete_due_task() -> int:
    return services.orders_complete_due()
