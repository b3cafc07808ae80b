"""Orders as files: export jobs (导出记录), saved column choices (导出模板), header
mappings for foreign files (导入模板), import jobs and daily scheduled exports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shops.fields import actor_field


class FileJobStatus(models.TextChoices):
    PREVIEW = "preview", _("待确认")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportBy(models.TextChoices):
    ITEM = "item", _("按子订单")
    ORDER = "order", _("按主订单")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportTemplate(models.Model):
    """A named column choice of a shop (导出模板)."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("模板名称"), max_length=40)
    by = models.CharField(_("导出维度"), max_length=5, choices=ExportBy.choices)
    columns = models.JSONField(_("导出列"), default=list)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导出模板")
        verbose_name_plural = _("导出模板")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="exporttemplate_shop_name_uniq")
        ]

    def __str__(self):
        return self.name


class ExportSchedule(models.Model):
    """每日定时导出: a saved filter and columns, exported every day at `at_time`."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    created_by = actor_field(_("创建人"))
    name = models.CharField(_("名称"), max_length=40)
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    by = models.CharField(_("导出维度"), max_length=5, choices=ExportBy.choices)
    columns = models.JSONField(_("导出列"), default=list)
    format = models.CharField(_("格式"), max_length=4, choices=ExportFormat.choices)
    at_time = models.TimeField(_("每日导出时间"))
    last_run_on = models.DateField(_("最近导出日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("定时导出")
        verbose_name_plural = _("定时导出")
        ordering = ["at_time", "id"]

    def __str__(self):
        return self.name

    @property
    def filter_text(self) -> str:
        from .services import filter_text

        return filter_text(self.params)

    def export_options(self) -> dict:
        """What `export_start` takes to make today's file of this schedule."""
        return {
            "params": self.params,
            "by": self.by,
            "fmt": self.format,
            "columns": self.columns,
            "schedule": self,
        }


class OrderExport(models.Model):
    """One export (导出记录): what was asked, its progress and the file, kept 7 days."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    created_by = actor_field(_("导出人"))
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    filter_text = models.CharField(_("筛选条件"), max_length=300, blank=True)
    by = models.CharField(_("导出维度"), max_length=5, choices=ExportBy.choices)
    columns = models.JSONField(_("导出列"), default=list)
    format = models.CharField(_("格式"), max_length=4, choices=ExportFormat.choices)
    unmasked = models.BooleanField(_("含完整收件人信息"), default=False)
    schedule = models.ForeignKey(
        ExportSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="exports"
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=FileJobStatus.choices, default=FileJobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("预计行数"), default=0)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    file = models.FileField(_("文件"), upload_to="exports/", blank=True)
    file_name = models.CharField(_("文件名"), max_length=100, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "-created_at"], name="orderexport_shop_idx")]

    def __str__(self):
        return self.file_name or str(self.pk)

    @property
    def progress(self) -> int:
        if self.status == FileJobStatus.DONE:
            return 100
        return min(99, self.rows * 100 // self.total) if self.total else 0


class ImportTemplate(models.Model):
    """How a shop's foreign file headers map to xiaodian's columns (导入模板), found
    again by the file's set of headers."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("模板名称"), max_length=40)
    headers_key = models.CharField(_("表头"), max_length=64)
    mapping = models.JSONField(_("列对应"), default=dict)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导入模板")
        verbose_name_plural = _("导入模板")
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="importtemplate_shop_name_uniq")
        ]
        indexes = [models.Index(fields=["shop", "headers_key"], name="importtemplate_headers_idx")]

    def __str__(self):
        return self.name


class OrderImport(models.Model):
    """One uploaded order file: its preview, then the confirmed (all or nothing) import."""

    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    created_by = actor_field(_("导入人"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file = models.FileField(_("文件"), upload_to="order-imports/")
    file_name = models.CharField(_("文件名"), max_length=100)
    mapping = models.JSONField(_("列对应"), default=dict)
    status = models.CharField(
        _("状态"), max_length=8, choices=FileJobStatus.choices, default=FileJobStatus.PREVIEW
    )
    summary = models.JSONField(_("结果"), default=dict)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("订单导入")
        verbose_name_plural = _("订单导入")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name
