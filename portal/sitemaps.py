"""sitemap.xml: every public page in Vietnamese and English (with ``hreflang`` alternates), in
sections of at most ``Sitemap.limit`` addresses, listed by a sitemap index."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from gates.models import EconomicZone, Gate
from investment.models import Investor
from projects.models import Programme, Project


class ItemsInLanguages:
    """``(item, language)`` for every item of a queryset and every language, read a page at a
    time: Django's sitemap makes the whole list of pairs before it takes a page of it, a million
    records read on every request."""

    def __init__(self, items, languages):
        self.items, self.languages = items, list(languages)
        # One count, never the rows themselves.
        count = items.count() if isinstance(items, QuerySet) else len(items)
        self.length = count * len(self.languages)

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("ItemsInLanguages takes slices only.")
        start, stop, _step = index.indices(len(self))
        n = len(self.languages)
        first, last = start // n, -(-stop // n)
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        offset = first * n
        return pairs[start - offset : stop - offset]


class TrackerSitemap(Sitemap):
    """A section in both languages, each address with its alternate in the other."""

    i18n = True
    alternates = True
    x_default = True
    # Addresses per file: 500 records in two languages, each with its alternates (a file of
    # 5,000 took 1.7 s to make at 100,000 projects, most of it in Django's sitemap template).
    limit = 1_000

    def _items(self):
        return ItemsInLanguages(self.items(), self._languages())


class PageSitemap(TrackerSitemap):
    """The dashboard, the lists and the map."""

    changefreq = "daily"
    PAGES = (
        "portal:dashboard",
        "projects:project-list",
        "programmes:programme-list",
        "gates:gate-list",
        "zones:zone-list",
        "trade:trade-list",
        "investment:investor-list",
        "investment:investment-list",
        "portal:map",
        "portal:source-list",
    )

    def items(self):
        return list(self.PAGES)

    def location(self, item):
        return reverse(item)


class RecordSitemap(TrackerSitemap):
    """The public records of one model, by primary key, with their last change where the model
    keeps one."""

    queryset = None
    fields = ("pk", "slug")
    url_name = ""  # the record page's URL name, which takes the slug

    def items(self):
        return self.queryset.order_by("pk").only(*self.fields)

    def location(self, item):
        # Reversed once per language, not once per address (20,000 times a file).
        language = get_language()
        if language not in self._addresses:
            self._addresses[language] = reverse(self.url_name, args=["SLUG"])
        return self._addresses[language].replace("SLUG", item.slug, 1)

    def __init__(self):
        self._addresses = {}

    def lastmod(self, item):
        return getattr(item, "updated_at", None)

    def get_latest_lastmod(self):
        """The section's last change, from one aggregate (Django's reads every item)."""
        if "updated_at" not in self.fields:
            return None
        return self.queryset.aggregate(latest=Max("updated_at"))["latest"]


class ProjectSitemap(RecordSitemap):
    url_name = "projects:project-detail"
    queryset = Project.objects.published()
    fields = ("pk", "slug", "updated_at")


class GateSitemap(RecordSitemap):
    url_name = "gates:gate-detail"
    queryset = Gate.objects.published()
    fields = ("pk", "slug", "updated_at")


class InvestorSitemap(RecordSitemap):
    url_name = "investment:investor-detail"
    queryset = Investor.objects.published()


class ProgrammeSitemap(RecordSitemap):
    url_name = "programmes:programme-detail"
    queryset = Programme.objects.all()


class ZoneSitemap(RecordSitemap):
    url_name = "zones:zone-detail"
    queryset = EconomicZone.objects.all()


SITEMAPS = {
    "pages": PageSitemap,
    "projects": ProjectSitemap,
    "programmes": ProgrammeSitemap,
    "gates": GateSitemap,
    "zones": ZoneSitemap,
    "investors": InvestorSitemap,
}
