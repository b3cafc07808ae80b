"""The receiver fields of the buyer's checkout form (立即购买), as the checkout tests post them."""

RECEIVER_FORM = {
    "receiver_name": "李四",
    "receiver_phone": "13900001111",
    "receiver_province": "广东省",
    "receiver_city": "深圳市",
    "receiver_district": "南山区",
    "receiver_street": "粤海街道",
    "receiver_detail": "科技园 1 号",
}
