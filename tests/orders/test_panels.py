"""orders.panels: what other apps add to orders' pages, and that orders' own templates
name no app above them."""

import copy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template import engines
from django.test import RequestFactory

from orders import panels

TEMPLATES_DIR = Path(django_settings.BASE_DIR) / "templates" / "orders"


@pytest.fixture
def registry(monkeypatch):
    """An empty panel registry for the test (the apps' panels are put back after)."""
    monkeypatch.setattr(panels, "_panels", {})
    return panels


@pytest.fixture
def panel_templates(settings, tmp_path):
    """panel_templates(name=text, …): templates the test's panels render."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], str(tmp_path)]
    settings.TEMPLATES = templates

    def write(**named):
        for name, text in named.items():
            (tmp_path / f"{name}.html").write_text(text, encoding="utf-8")

    return write


def _render(page: str, obj) -> str:
    template = engines["django"].from_string("{% load order_panels %}[{% order_panels page obj %}]")
    return template.render({"page": page, "obj": obj}, RequestFactory().get("/"))


def test_registered_panels_render_in_their_order(registry, panel_templates):
    # given: two panels registered out of order, each with its own context
    panel_templates(first="<first {{ n }}>", second="<second {{ n }}>")
    registry.register_panel(
        panels.ORDER_DETAIL, "b", "second.html", lambda r, o: {"n": o}, order=20
    )
    registry.register_panel(panels.ORDER_DETAIL, "a", "first.html", lambda r, o: {"n": o}, order=10)
    # when
    html = _render(panels.ORDER_DETAIL, 7)
    # then
    assert html == "[<first 7><second 7>]"


def test_a_panel_whose_context_is_none_is_left_out(registry, panel_templates):
    # given
    panel_templates(shown="<shown>", hidden="<hidden>")
    registry.register_panel(panels.BUYER_ORDER, "shown", "shown.html", lambda r, o: {})
    registry.register_panel(panels.BUYER_ORDER, "hidden", "hidden.html", lambda r, o: None)
    # when
    html = _render(panels.BUYER_ORDER, object())
    # then
    assert html == "[<shown>]"


def test_a_page_without_panels_renders_nothing(registry, panel_templates):
    # given: a panel on another page only
    panel_templates(other="<other>")
    registry.register_panel(panels.ORDER_DETAIL, "other", "other.html", lambda r, o: {})
    # when
    html = _render(panels.AFTERSALE_ACTIONS, object())
    # then
    assert html == "[]"


def test_an_unknown_page_is_refused_at_registration(registry):
    with pytest.raises(ValueError, match="unknown order page"):
        registry.register_panel("order_detial", "typo", "x.html", lambda r, o: {})


def test_registering_a_key_again_replaces_the_panel(registry, panel_templates):
    # given: ready() running twice
    panel_templates(old="<old>", new="<new>")
    registry.register_panel(panels.ORDER_ACTIONS, "ship", "old.html", lambda r, o: {})
    registry.register_panel(panels.ORDER_ACTIONS, "ship", "new.html", lambda r, o: {})
    # when
    html = _render(panels.ORDER_ACTIONS, object())
    # then
    assert html == "[<new>]"


def test_logistics_registers_its_panels_on_every_orders_page():
    # given: the apps are ready
    # when
    registered = {(p.page, p.key) for page in panels.PAGES for p in panels.panels_for(page)}
    # then
    assert {
        (panels.ORDER_LIST_BULK, "ship"),
        (panels.ORDER_ACTIONS, "shipping"),
        (panels.ORDER_DETAIL, "parcels"),
        (panels.AFTERSALE_ACTIONS, "exchange"),
        (panels.BUYER_ORDER, "parcels"),
    } <= registered


@pytest.mark.parametrize("word", ["logistics", "affiliates"])
def test_orders_templates_name_no_app_above_orders(word):
    # given: every template under templates/orders/
    templates = sorted(TEMPLATES_DIR.rglob("*.html"))
    # when
    naming = [str(t.relative_to(TEMPLATES_DIR)) for t in templates if word in t.read_text()]
    # then
    assert templates
    assert naming == []
