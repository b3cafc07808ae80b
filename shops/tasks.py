import logging

from celery import shared_task

from .exceptions import CreatorAccountUnknown
from .models import Creator
from .services import creator_check_eligibility, creator_refresh_account

log = logging.getLogger(__name__)


@shared_task
def creator_check_eligibility_task(creator_id: int) -> dict:
    creator = Creator.objects.get(pk=creator_id)
    try:
        result = creator_refresh_account(creator=creator)
    except CreatorAccountUnknown:
        # Douyin did not answer for the account: judge by the facts last fetched.
        log.warning("creator %s: account facts unavailable, checked stored facts", creator_id)
        result = creator_check_eligibility(creator=creator)
    return {"eligible": result.eligible, "unmet": result.unmet}


@shared_task
def creators_recheck_eligibility() -> int:
    """Nightly: the account facts are fetched again, and the platform withdraws the cart permission of creators who fell below
    the threshold, and grants it to those who passed it."""
    creator_ids = list(Creator.objects.values_list("pk", flat=True))
    for creator_id in creator_ids:
        creator_check_eligibility_task.delay(creator_id)
    return len(creator_ids)
