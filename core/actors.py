"""Who acted: the user behind a request, a context or a service call, or None for the
system (timers, callbacks, anonymous buyers)."""


def acting_user(actor):
    """A user object when `actor` is a signed-in user, else None."""
    return actor if getattr(actor, "is_authenticated", False) else None


def context_user(context):
    """The member's user for a console context (None for a system context)."""
    membership = getattr(context, "membership", None) if context is not None else None
    return membership.user if membership else None


def context_user_id(context):
    membership = getattr(context, "membership", None) if context is not None else None
    return membership.user_id if membership else None
