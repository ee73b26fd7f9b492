"""Template filters and tags of the public site: locale-aware numbers, money and dates."""

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext_lazy

from core import formatting
from core.languages import SOURCE_LANGUAGE, active_language, in_language

register = template.Library()


@register.filter
def number(value, decimals=2):
    return formatting.format_number(value, decimals=int(decimals))


@register.filter
def money(value, currency):
    """``{{ project.total_investment|money:project.currency }}`` → "513,2 tỷ đồng"."""
    return formatting.format_money(value, currency)


@register.filter
def percent(value, decimals=1):
    return formatting.format_percent(value, decimals=int(decimals))


@register.filter
def fdate(value, precision="day"):
    """A date at its precision (day, month or year) in the active language."""
    return formatting.format_date(value, precision or "day")


@register.filter
def fdatetime(value):
    """A moment to the minute in the local time (Asia/Ho_Chi_Minh), in the active language."""
    return formatting.format_datetime(value)


def scale_of(scales, currency):
    """The scale for ``currency`` from a ``{currency: scale}`` dict (``money_scales``), if any."""
    return scales.get(currency) if isinstance(scales, dict) else None


@register.simple_tag
def money_data(value, currency, scales=None):
    """Money in a ``<data>`` element: the compact text shown, the exact amount machine-readable.

    ``scales`` (``{currency: scale}``) writes it in the same unit as the amounts beside it."""
    if value is None:
        return ""
    return format_html(
        '<data value="{}" title="{}">{}</data>',
        value,
        formatting.format_money(value, currency, compact=False),
        formatting.format_money(value, currency, scale=scale_of(scales, currency)),
    )


@register.filter
def bar_width(value, maximum):
    """A bar's width in percent of ``maximum`` (0–100), for CSS charts."""
    value = formatting.to_decimal(value)
    maximum = formatting.to_decimal(maximum)
    if not value or not maximum or maximum <= 0:
        return "0"
    return f"{max(min(value / maximum * 100, 100), 0):.1f}"


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language: ``[{"code", "name", "url", "current"}, …]``."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = (get_language() or "vi").split("-")[0]
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            # An address that resolves to no page (a 404): offer the other language's home.
            url = translate_url("/", code)
        links.append(
            {"code": code, "name": LANGUAGE_NAMES[code], "url": url, "current": code == current}
        )
    return links


# Each language named in itself, whatever the page's language.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


@register.simple_tag(takes_context=True)
def sort_th(context, key, label, numeric=False):
    """A sortable column header: a link that sorts by ``key``, then reverses it."""
    request = context["request"]
    current = request.GET.get("ordering", "")
    if current == key:
        next_value, sort, arrow = f"-{key}", "ascending", "▲"
    elif current == f"-{key}":
        next_value, sort, arrow = key, "descending", "▼"
    else:
        next_value, sort, arrow = key, "", ""
    params = request.GET.copy()
    params["ordering"] = next_value
    params.pop("page", None)
    return format_html(
        '<th scope="col"{}{}><a href="?{}">{}<span class="sort-arrow" aria-hidden="true">{}</span>'
        "</a></th>",
        format_html(' aria-sort="{}"', sort) if sort else "",
        format_html(' class="{}"', "num") if numeric else "",
        params.urlencode(),
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def query_without(context, *names):
    """The current query string without ``names`` (for export and map links)."""
    params = context["request"].GET.copy()
    for name in names:
        params.pop(name, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.filter
def figure_value(figure, scales=None):
    """A reported figure with its qualifier and unit: "more than 513,2 tỷ đồng"; with
    ``scales``, money in the unit of the amounts it is compared with."""
    unit = figure.unit
    if unit == "money":
        scale = scale_of(scales, figure.currency)
        text = formatting.format_money(figure.value, figure.currency, scale=scale)
    elif unit == "percent":
        text = formatting.format_percent(figure.value)
    else:
        text = formatting.format_number(figure.value)
        if unit in UNIT_SUFFIXES:
            text = f"{text} {UNIT_SUFFIXES[unit]}"
    if figure.qualifier != "exact":
        text = f"{figure.get_qualifier_display()} {text}"
    return text


UNIT_SUFFIXES = {"km": "km", "ha": "ha", "month": pgettext_lazy("unit", "months")}


@register.filter
def country_name(code):
    return formatting.country_name(code)


@register.simple_tag
def period(start, end):
    """A period by months: "01/2018" for one month, "01/2013 – 12/2013" otherwise; a whole
    calendar year reads "2013"."""
    if start is None or end is None:
        return formatting.format_date(start or end, "month")
    if (start.year, start.month) == (end.year, end.month):
        return formatting.format_date(start, "month")
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return formatting.format_date(start, "year")
    return f"{formatting.format_date(start, 'month')} – {formatting.format_date(end, 'month')}"


@register.filter
def language_name(code):
    return formatting.language_name(code)


# Licences known by name; any other is shown as its address.
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://opendatacommons.org/licenses/odbl/1-0/": "ODbL 1.0",
    "https://opendatacommons.org/licenses/by/1-0/": "ODC-By 1.0",
}


@register.simple_tag
def data_licence():
    """The data's licence (``TRACKER_DATA_LICENSE``): ``{"url", "name"}``, or None if unset."""
    url = settings.TRACKER_DATA_LICENSE
    if not url:
        return None
    return {"url": url, "name": LICENCE_NAMES.get(url, url)}


class CaptureNode(template.Node):
    """Renders its content once into a context variable (``{% capture as name %}``)."""

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # Already rendered (and escaped) template output: safe as it is.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as page_title %}{% block title %}{% endblock %}{% endcapture %}``: a block
    rendered once and used in several places (the <title> and the link-preview tags)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


# The Open Graph locale of each language.
OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


@register.simple_tag(takes_context=True)
def page_alternates(context):
    """This page in each language as absolute addresses, for ``hreflang`` links and the
    Open Graph tags: ``{"current", "languages": [{"code", "url", "og_locale", "current"}],
    "default"}``."""
    request = context.get("request")
    if request is None:
        return {}
    languages = [
        {
            **link,
            "url": request.build_absolute_uri(link["url"]),
            "og_locale": OG_LOCALES[link["code"]],
        }
        for link in language_links(context)
    ]
    current = next(link for link in languages if link["current"])
    default = next(link for link in languages if link["code"] == settings.LANGUAGE_CODE)
    return {"current": current, "languages": languages, "default": default}


@register.filter
def local_text(obj, field):
    """``obj.<field>`` in the page's language where there is a version in it, else Vietnamese:
    plain text, for titles and attributes."""
    if obj is None:
        return ""
    return in_language(obj, field)[0]


@register.filter
def local(obj, field):
    """``obj.<field>`` in the page's language; Vietnamese where no translation is recorded,
    in an element that says so (``lang="vi"``, and a visible "VI" explained on hover)."""
    if obj is None:
        return ""
    text, language = in_language(obj, field)
    if not text or language == active_language():
        return text
    return format_html(
        '<span lang="{}">{}</span> <abbr class="lang-tag" title="{}">{}</abbr>',
        language,
        text,
        gettext("In Vietnamese: no English version is recorded yet."),
        language.upper(),
    )


@register.simple_tag
def local_prose(obj, field):
    """A text in paragraphs, in the page's language, with a note where it is shown in
    Vietnamese for want of a translation."""
    text, language = in_language(obj, field)
    if not text:
        return ""
    body = format_html('<div class="prose" lang="{}">{}</div>', language, linebreaks_filter(text))
    if language == active_language():
        return body
    note = gettext("This text is in Vietnamese: no English version is recorded yet.")
    return format_html('<p class="sub lang-note">{}</p>{}', note, body)


@register.simple_tag
def other_version(obj, field, element="span", css="sub"):
    """The version of ``obj.<field>`` the page does not show (the Vietnamese name beside the
    English one on English pages, and the reverse), in its language; nothing if there is none."""
    text, language = in_language(obj, field)
    if language == SOURCE_LANGUAGE:
        other, other_language = getattr(obj, f"{field}_en", ""), "en"
    else:
        other, other_language = getattr(obj, field), SOURCE_LANGUAGE
    if not other or other == text:
        return ""
    return format_html('<{0} class="{1}" lang="{2}">{3}</{0}>', element, css, other_language, other)
