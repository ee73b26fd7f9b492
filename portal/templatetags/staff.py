"""The staff dashboard on the admin index."""

from django import template

from projects.selectors import staff_dashboard

from ..import_views import may_import

register = template.Library()


@register.inclusion_tag("admin/_staff_dashboard.html", takes_context=True)
def staff_attention(context):
    """What needs the staff's attention: projects without a recent report, past their planned
    end, and yearly allocations not yet disbursed (for those who may see projects)."""
    user = context["request"].user
    if not user.has_perm("projects.view_project"):
        return {"show": False}
    return {"show": True, "may_import": may_import(user), **staff_dashboard()}
