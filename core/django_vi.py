"""Strings of Django and django-filter that their Vietnamese catalogues leave untranslated (or,
for the admin's "Please correct the errors below.", store without its plural form).

Staff meet these in admin forms, so our catalogue (locale/vi, which takes precedence over
Django's) translates them. Listing them here keeps them in the catalogue when `makemessages`
runs; the module is never imported.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PLURAL = [
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    ngettext_lazy("Please submit %d or fewer forms.", "Please submit %d or fewer forms.", 1),
    ngettext_lazy("Please submit %d or more forms.", "Please submit %d or more forms.", 1),
]

SINGLE = [
    # django-filter, which has no Vietnamese catalogue: the sort menu and the API's help text.
    gettext_noop("%s (descending)"),
    gettext_noop("Multiple values may be separated by commas."),
    gettext_noop("Toggle navigation"),
    gettext_noop("Filter navigation items"),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop(
        "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."
    ),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("“%(value)s” value must be either True or False."),
    gettext_noop("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."),
    gettext_noop(
        "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."
    ),
    gettext_noop("“%(value)s” value must be a decimal number."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(value)s” value must be a float."),
    gettext_noop("%(model)s instance with %(field)s %(value)r does not exist."),
    gettext_noop("Enter a complete value."),
    gettext_noop("ManagementForm data is missing or has been tampered with"),
    gettext_noop("The inline value did not match the parent instance."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("Date out of range"),
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("More information is available with DEBUG=True."),
]
