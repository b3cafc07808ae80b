from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from .accounts import ACCOUNT_FACT_FIELDS
from .roles import Role

phone_validator = RegexValidator(r"^1\d{10}$", _("请输入 11 位手机号。"))


class ShopStatus(models.IntegerChoices):
    OPEN = 1, _("营业中")
    PAUSED = 2, _("已暂停")


class Shop(models.Model):
    """A merchant's 小店. Everything a merchant sees belongs to exactly one shop."""

    SHOP_FIELD = "id"

    name = models.CharField(_("店铺名称"), max_length=60)
    slug = models.SlugField(_("店铺标识"), max_length=60, unique=True)
    status = models.PositiveSmallIntegerField(
        _("状态"), choices=ShopStatus.choices, default=ShopStatus.OPEN
    )
    return_contact = models.CharField(_("退货联系人"), max_length=30, blank=True)
    return_phone = models.CharField(
        _("退货电话"), max_length=11, blank=True, validators=[phone_validator]
    )
    return_province = models.CharField(_("省"), max_length=20, blank=True)
    return_city = models.CharField(_("市"), max_length=20, blank=True)
    return_district = models.CharField(_("区"), max_length=20, blank=True)
    return_detail = models.CharField(_("详细地址"), max_length=120, blank=True)
    unpaid_cancel_minutes = models.PositiveSmallIntegerField(
        _("未付款自动取消（分钟）"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    auto_confirm_days = models.PositiveSmallIntegerField(
        _("自动确认收货（天）"),
        default=15,
        validators=[MinValueValidator(7), MaxValueValidator(30)],
    )
    ship_within_hours = models.PositiveSmallIntegerField(
        _("承诺发货时效（小时）"),
        default=48,
        validators=[MinValueValidator(24), MaxValueValidator(168)],
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("店铺")
        verbose_name_plural = _("店铺")
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def return_address(self) -> str:
        parts = [self.return_province, self.return_city, self.return_district, self.return_detail]
        return "".join(p for p in parts if p)


class Membership(models.Model):
    SHOP_FIELD = "shop_id"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("店铺成员")
        verbose_name_plural = _("店铺成员")
        ordering = ["shop_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "shop"], name="membership_user_shop_uniq")
        ]

    def __str__(self):
        return f"{self.user} @ {self.shop} ({self.get_role_display()})"


class Creator(models.Model):
    """A 达人: a Douyin account that promotes products from a showcase."""

    CREATOR_FIELD = "id"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator"
    )
    nickname = models.CharField(_("昵称"), max_length=30)
    douyin_id = models.CharField(_("抖音号"), max_length=30, unique=True)
    followers = models.PositiveIntegerField(_("粉丝数"), default=0)
    public_original_videos = models.PositiveIntegerField(_("公开原创视频数"), default=0)
    phone_bound = models.BooleanField(_("已绑定手机"), default=False)
    real_name_verified = models.BooleanField(_("已实名认证"), default=False)
    # Set by creator_check_eligibility: Douyin grants the cart permission on a check,
    # not continuously, so the grant is a recorded fact.
    cart_permission_granted_at = models.DateTimeField(
        _("购物车权限开通时间"), null=True, blank=True
    )
    eligibility_checked_at = models.DateTimeField(_("最近检测时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("达人")
        verbose_name_plural = _("达人")
        ordering = ["id"]

    def __str__(self):
        return self.nickname

    @property
    def has_cart_permission(self) -> bool:
        return self.cart_permission_granted_at is not None


class AccountChangeSource(models.TextChoices):
    SYNC = "sync", _("抖音账号同步")
    STAFF = "staff", _("平台运营修改")


class CreatorAccountChange(models.Model):
    """One change of one Douyin account fact of a creator (粉丝数, 视频数, 手机绑定,
    实名认证): who or what changed it, from what to what. Append-only."""

    CREATOR_FIELD = "creator_id"

    creator = models.ForeignKey(
        Creator, on_delete=models.CASCADE, related_name="account_changes", verbose_name=_("达人")
    )
    field = models.CharField(
        _("字段"),
        max_length=30,
        choices=[
            (name, Creator._meta.get_field(name).verbose_name) for name in ACCOUNT_FACT_FIELDS
        ],
    )
    old_value = models.CharField(_("原值"), max_length=30)
    new_value = models.CharField(_("新值"), max_length=30)
    source = models.CharField(_("来源"), max_length=8, choices=AccountChangeSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    changed_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("达人账号数据变更")
        verbose_name_plural = _("达人账号数据变更")
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["creator", "-changed_at"], name="creator_account_change_idx")
        ]

    def __str__(self):
        return f"{self.creator} {self.field}: {self.old_value} → {self.new_value}"


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only its SHA-512 digest is stored, the token is
    shown once; it expires (REST_KNOX["TOKEN_TTL"]) and its owner can revoke it.
    `token_key` (its first characters) names it in lists and URLs."""

    name = models.CharField(_("用途"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user} · {self.name or self.token_key[:8]}"
