"""Template tags of the investment pages."""

from django import template

from ..selectors import capital_totals

register = template.Library()


@register.simple_tag
def investor_totals(investor):
    """An investor's capital per currency and kind of capital, from its prefetched investments."""
    return capital_totals(investor.investments.all())
