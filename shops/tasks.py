from celery import shared_task

from .models import Creator
from .services import creator_check_eligibility


@shared_task
def creator_check_eligibility_task(creator_id: int) -> dict:
    result = creator_check_eligibility(creator=Creator.objects.get(pk=creator_id))
    return {"eligible": result.eligible, "unmet": result.unmet}


@shared_task
def creators_recheck_eligibility() -> int:
    """Nightly: the platform withdraws the cart permission of creators who fell below
    the threshold, and grants it to those who passed it."""
    creator_ids = list(Creator.objects.values_list("pk", flat=True))
    for creator_id in creator_ids:
        creator_check_eligibility_task.delay(creator_id)
    return len(creator_ids)
