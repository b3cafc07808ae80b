"""core.templatetags.console_tables: the one list-table shape of the console."""

import pytest
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template, TemplateSyntaxError

TABLE = (
    '{% load console_tables %}{% table n in rows class="aff-table" testid="nums" empty=note %}'
    "<th>#</th><th>值</th>{% row %}<tr><td>{{ forloop.counter }}</td><td>{{ n }}</td></tr>{% endtable %}"
)


def render(source, **context):
    return Template(source).render(Context(context))


def test_table_renders_one_row_per_item_inside_the_wrapper():
    # when
    html = render(TABLE, rows=["<b>", 7], note="")
    # then
    assert html.startswith(
        '<div class="table-wrap">\n<table class="table aff-table" data-testid="nums">'
    )
    assert "<thead><tr><th>#</th><th>值</th></tr></thead>" in html
    assert "<tr><td>1</td><td>&lt;b&gt;</td></tr><tr><td>2</td><td>7</td></tr>" in html
    assert html.endswith("</tbody>\n</table>\n</div>")


def test_an_empty_table_says_so_across_every_header_cell():
    # when
    html = render(TABLE, rows=[], note="没有<数字>")
    # then
    assert '<tr><td colspan="2" class="muted">没有&lt;数字&gt;</td></tr>' in html


def test_the_empty_part_can_be_markup_with_its_own_class():
    # given
    source = (
        '{% load console_tables %}{% table n in rows empty_class="o-empty" %}<th>a</th><th>b</th><th>c</th>'
        "{% row %}<tr></tr>{% empty %}{% if bad %}有误{% else %}<em>无</em>{% endif %}{% endtable %}"
    )
    # when
    html = render(source, rows=[], bad=False)
    # then
    assert '<tr><td colspan="3" class="o-empty"><em>无</em></td></tr>' in html


def test_without_an_empty_text_an_empty_table_has_no_rows():
    html = render(
        "{% load console_tables %}{% table n in rows %}<th>a</th>{% row %}<tr></tr>{% endtable %}",
        rows=[],
    )
    assert "<tbody></tbody>" in html


@pytest.mark.parametrize(
    "tag", ["{% table rows %}", "{% table n of rows %}", '{% table n in rows colour="red" %}']
)
def test_a_misspelt_table_tag_fails_when_the_template_loads(tag):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load console_tables %}" + tag + "{% row %}{% endtable %}")


def test_a_numbered_pages_table_has_the_pager_under_it(rf):
    # given: the second of three pages
    page = Paginator(range(5), 2).page(2)
    source = (
        "{% load console_tables %}{% table n in page pager=True %}<th>n</th>"
        "{% row %}<tr><td>{{ n }}</td></tr>{% endtable %}"
    )
    # when
    request = rf.get("/x/", {"q": "a", "page": 2})
    html = Template(source).render(RequestContext(request, {"page": page}))
    # then: its rows, then links to the pages around it that keep the other parameters
    table, pager = html.split("</table>\n</div>")
    assert "<tbody><tr><td>2</td></tr><tr><td>3</td></tr></tbody>" in table
    assert '<nav class="pagination"' in pager
    assert 'href="?q=a&amp;page=1"' in pager
    assert 'href="?q=a&amp;page=3"' in pager
