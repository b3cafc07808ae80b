"""Demo shops, people and creators for seed_demo (idempotent)."""

from .factories import DEMO_PASSWORD, CreatorFactory, MembershipFactory, ShopFactory, UserFactory
from .roles import Role
from .services import creator_refresh_account

DEMO_SHOPS = [
    ("chaoliu", "潮流服饰旗舰店", ""),
    ("xianguo", "鲜果食品专营店", "2"),
]
# Their account facts come from the account client (shops/data/creator_accounts.json).
DEMO_CREATORS = [
    # username, nickname, douyin id
    ("creator", "小美穿搭日记", "xiaomei_ootd"),
    ("creator2", "阿强测评", "aqiang_review"),
    ("newbie", "新人小林", "xiaolin_new"),
]


def seed(log) -> list[tuple[str, str]]:
    """Create the demo rows; return the logins to print as (username, what it is)."""
    logins = []
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    logins.append((admin.username, "平台运营（/admin/）"))
    for slug, name, suffix in DEMO_SHOPS:
        shop = ShopFactory(slug=slug, name=name)
        for role in Role:
            user = UserFactory(username=f"{role.value}{suffix}")
            MembershipFactory(user=user, shop=shop, role=role)
            logins.append((user.username, f"{name} · {role.label}"))
    # The first owner also owns the second shop, to show the shop switcher.
    second = ShopFactory(slug="xianguo")
    MembershipFactory(user=UserFactory(username="owner"), shop=second, role=Role.OWNER)
    logins = [
        (name, f"{what}（也是{second.name}店主，可切换店铺）" if name == "owner" else what)
        for name, what in logins
    ]
    for username, nickname, douyin_id in DEMO_CREATORS:
        creator = CreatorFactory(
            user=UserFactory(username=username),
            nickname=nickname,
            douyin_id=douyin_id,
            followers=0,
            public_original_videos=0,
            phone_bound=False,
            real_name_verified=False,
        )
        if creator.eligibility_checked_at is None:
            creator_refresh_account(creator=creator)
        logins.append((username, f"达人 · {nickname}"))
    log(f"shops: {len(DEMO_SHOPS)} shops, {len(DEMO_CREATORS)} creators; password {DEMO_PASSWORD}")
    return logins
