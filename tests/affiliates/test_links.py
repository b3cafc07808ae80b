"""Pasted links and 淘口令 → (source, item id), through the offline client."""

import pytest

from affiliates.exceptions import LinkNotRecognised
from affiliates.links import parse_item_text, resolve_item_text
from affiliates.sources import OfflineSourceClient

# Each (source, item id) and the texts that resolve to it: full links of every form, the
# short links and 淘口令 the offline client resolves, and links inside shared text.
RESOLVES_TO = {
    ("taobao", "652314789012"): [
        "https://item.taobao.com/item.htm?id=652314789012",
        "item.taobao.com/item.htm?spm=a1z10.1-c.w4004&id=652314789012&ns=1",
        "https://h5.m.taobao.com/awp/core/detail.htm?id=652314789012",
        "HTTPS://ITEM.TAOBAO.COM/item.htm?id=652314789012",
        "https://m.tb.cn/h.5Fq0XyZ?tk=Ab12",
    ],
    ("taobao", "678901234567"): [
        "https://detail.tmall.com/item.htm?id=678901234567&skuId=4",
        "https://detail.m.tmall.com/item.htm?id=678901234567",
        "复制这段描述￥7uRz3KqW2mH￥后到👉淘宝👈",
        "¢7uRz3KqW2mH¢ 纯棉四件套",
        "₤7uRz3KqW2mH₤",
    ],
    ("taobao", "701234567890"): [
        "8.9 €Xq8sL2vB9cN€ 打开手机淘宝即可查看",
        "$Xq8sL2vB9cN$",
        "（Xq8sL2vB9cN）",
    ],
    ("taobao", "723456789012"): [
        "【淘宝】https://m.tb.cn/h.gKp2Lq8 「韩版宽松卫衣」点击链接直接打开"
    ],
    ("taobao", "690123456789"): ["https://s.click.taobao.com/t8YqWsu"],
    ("taobao", "789012345678"): ["打开淘宝 (Gm4Tp7Yd2Rw) 电子烟"],
    ("jd", "100012043978"): [
        "https://item.jd.com/100012043978.html",
        "看看这个 https://item.jd.com/100012043978.html?extension_id=abc 很好用",
        "https://u.jd.com/Ab3dEfG",
    ],
    ("jd", "100035246702"): ["https://item.m.jd.com/product/100035246702.html", "3.cn/10-5xKqR2"],
    ("kaola", "8203891"): ["https://goods.kaola.com/product/8203891.html"],
    ("vip", "6920039312854"): ["https://detail.vip.com/detail-1710613434-6920039312854.html"],
    ("suning", "11592645733"): ["https://product.suning.com/0000000000/11592645733.html"],
}
VALID = [(text, expected) for expected, texts in RESOLVES_TO.items() for text in texts]

NOT_RECOGNISED = [
    "",
    "   ",
    "好看的裙子",
    "https://www.taobao.com/",
    "https://item.taobao.com/item.htm?id=abc",
    "https://item.jd.com/list.html",
    "https://www.pinduoduo.com/goods.html?goods_id=123456",
    "https://example.com/item.htm?id=652314789012",
    "￥abc￥",
    "￥7uRz3KqW2mH€",
    "https://product.suning.com/11592645733.html",
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_links_and_tokens_resolve(text, expected):
    assert resolve_item_text(text, OfflineSourceClient()) == expected


@pytest.mark.parametrize("text", NOT_RECOGNISED)
def test_anything_else_names_the_accepted_forms(text):
    with pytest.raises(LinkNotRecognised) as error:
        parse_item_text(text)
    assert "item.taobao.com/item.htm?id=" in str(error.value.message)
    assert "淘口令" in str(error.value.message)


@pytest.mark.parametrize(
    ("text", "what"),
    [("https://m.tb.cn/h.unknown1", "短链接"), ("￥ZZZZ9999ZZZ￥", "淘口令")],
)
def test_unknown_short_link_or_token_says_it_cannot_be_resolved(text, what):
    with pytest.raises(LinkNotRecognised, match=f"{what}.*无法解析"):
        resolve_item_text(text, OfflineSourceClient())


def test_a_short_link_is_left_to_the_network():
    # when
    ref = parse_item_text("https://u.jd.com/Ab3dEfG")
    # then
    assert (ref.source, ref.item_id, ref.short_link) == ("jd", "", "https://u.jd.com/Ab3dEfG")
