"""Posting /admin/ forms as a browser would: the page's own values, then the test's changes."""

from html.parser import HTMLParser

from django.urls import reverse


class _FormValues(HTMLParser):
    """The values a browser submits from a page's inputs, selects and textareas (inline
    templates, `__prefix__`, are not submitted)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None  # (name, options [(value, selected)])
        self._option = None
        self._textarea = None

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if "disabled" not in attrs:
                self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and "disabled" not in attrs:
            self._select = (name, [], "multiple" in attrs)
        elif tag == "option" and self._select is not None:
            self._select[1].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and "disabled" not in attrs:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, options, multiple = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            self._add(name, "".join(parts).lstrip("\n"))
            self._textarea = None


def change_form_data(client, url) -> dict:
    """GET an admin add/change page; the form as the browser would post it unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormValues()
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}


def post_action(client, model, action: str, rows, **extra):
    """Run a changelist action on `rows`, following the redirect (messages in the page)."""
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return client.post(
        url,
        {"action": action, "_selected_action": [row.pk for row in rows], **extra},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
