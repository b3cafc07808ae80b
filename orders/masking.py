"""Receiver details as the console shows them by default: masked like 抖店 does
(138****1234, 张*, the address cut after the district). Seeing them in full is a
permission, and every reveal is logged (orders.services.order_reveal_receiver)."""

from .models import Order

HIDDEN = "****"


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if len(phone) < 8:
        return HIDDEN
    return f"{phone[:3]}{HIDDEN}{phone[-4:]}"


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def region(order: Order) -> str:
    """Province, city and district: what a masked address keeps."""
    return "".join(
        p for p in (order.receiver_province, order.receiver_city, order.receiver_district) if p
    )


def mask_address(order: Order) -> str:
    return f"{region(order)}{HIDDEN}"


def full_address(order: Order) -> str:
    return region(order) + "".join(p for p in (order.receiver_street, order.receiver_detail) if p)


def masked_receiver(order: Order) -> dict:
    return {
        "name": mask_name(order.receiver_name),
        "phone": mask_phone(order.receiver_phone),
        "address": mask_address(order),
    }


def full_receiver(order: Order) -> dict:
    return {
        "name": order.receiver_name,
        "phone": order.receiver_phone,
        "address": full_address(order),
    }
