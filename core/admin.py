"""The admin is a caller like any other: logs are read in /admin/, never written there,
and states change only through admin actions that call the services."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError


class ServiceAdmin(admin.ModelAdmin):
    """An admin whose actions and saves call the owning app's services.

    An action runs the service once per selected row (rows in pk order, each its own
    transaction): a refusal names the row and the others go on. A save that a service
    refuses (a `DomainError` from `save_model` / `save_formset`) keeps nothing of the save
    (the admin's transaction rolls back) and comes back to the form with the message,
    never a 500."""

    done_message = _("已处理 %(n)s 条记录。")

    def apply_each(self, request, queryset, apply) -> None:
        done = 0
        for row in queryset.order_by("pk"):
            try:
                apply(row)
            except DomainError as exc:
                self.message_user(request, f"{row}：{exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, self.done_message % {"n": done}, messages.SUCCESS)

    def apply_service(self, request, queryset, service, **options) -> None:
        """`apply_each` of a service that takes the row by `<model>_id` (the services'
        naming, e.g. `order_cancel(order_id=...)`) and the staff member as `actor`."""
        key = f"{self.opts.model_name}_id"
        self.apply_each(
            request,
            queryset,
            lambda row: service(**{key: row.pk}, actor=request.user, **options),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdmin(ServiceAdmin):
    """A log or a record platform staff may read and search, but not add, change or delete
    (state changes, if any, are its admin actions)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A log shown under its parent (events, rate history), read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
