"""The admin is a caller like any other: logs are read in /admin/, never written there,
and states change only through admin actions that call the services."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log or a record platform staff may read and search, but not add, change or delete."""

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
