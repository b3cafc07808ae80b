"""factory-boy factories for shops; shared by the tests and seed_demo."""

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from .models import Creator, Membership, Shop
from .roles import Role

DEMO_PASSWORD = "xiaodian123"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        raw = extracted or DEMO_PASSWORD
        # get_or_create must leave an existing user as it is (seed_demo runs twice).
        if user.has_usable_password() and user.check_password(raw):
            return
        user.set_password(raw)
        if create:
            user.save(update_fields=["password"])


class ShopFactory(DjangoModelFactory):
    class Meta:
        model = Shop
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"测试小店{n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")
    return_contact = "王店长"
    return_phone = "13800138000"
    return_province = "浙江省"
    return_city = "杭州市"
    return_district = "余杭区"
    return_detail = "仓前街道文一西路 998 号"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "shop")

    user = factory.SubFactory(UserFactory)
    shop = factory.SubFactory(ShopFactory)
    role = Role.OWNER


class CreatorFactory(DjangoModelFactory):
    """An eligible creator unless told otherwise."""

    class Meta:
        model = Creator
        django_get_or_create = ("douyin_id",)

    user = factory.SubFactory(UserFactory)
    nickname = factory.Sequence(lambda n: f"达人{n}")
    douyin_id = factory.Sequence(lambda n: f"dy{100000 + n}")
    followers = 12800
    public_original_videos = 36
    phone_bound = True
    real_name_verified = True
