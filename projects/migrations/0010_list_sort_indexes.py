"""Every sort of the public project list, both ways, indexed with the columns its filters read
(on PostgreSQL): a page's ids come from an index-only scan, so page 10,000 of a million is read
in the index (core.pagination.ListPaginator). The plain indexes of the ascending sorts are made
again as (column, id), the tie-breaker included."""

from django.db import migrations

from core.db import sort_index

TABLE = "projects_project"
# What a public list filters on while sorting: published, and the choices of the filter form.
FILTERED = ("is_published", "status", "category", "funding_source")
COLLATED = "name COLLATE {collation}"


def sorts():
    for column, short in (
        ("total_investment", "investment"),
        ("progress_percent", "progress"),
        ("approval_date", "approval"),
    ):
        yield sort_index(TABLE, f"project_{short}_idx", f"{column}, id", FILTERED, everywhere=True)
        yield sort_index(
            TABLE,
            f"project_{short}_desc_idx",
            f"{column} DESC NULLS LAST, id",
            FILTERED,
            replaces=(f"{TABLE}_{column}_desc_idx", f"{column} DESC NULLS LAST, id"),
        )
    yield sort_index(TABLE, "project_updated_idx", "updated_at, id", FILTERED, everywhere=True)
    yield sort_index(TABLE, "project_updated_desc_idx", "updated_at DESC, id", FILTERED)
    yield sort_index(TABLE, "project_status_sort_idx", "status, id", FILTERED)
    yield sort_index(TABLE, "project_status_desc_idx", "status DESC, id", FILTERED)
    yield sort_index(
        TABLE,
        "project_name_sort_idx",
        f"{COLLATED}, id",
        FILTERED,
        replaces=(f"{TABLE}_name_collated_idx", f"{COLLATED}, id"),
    )
    yield sort_index(TABLE, "project_name_desc_idx", f"{COLLATED} DESC, id", FILTERED)
    # One filter and the default order: the filter's column leads.
    for leading in ("status", "category"):
        yield sort_index(
            TABLE,
            f"project_{leading}_name_idx",
            f"{leading}, {COLLATED}, id",
            ("is_published",),
            replaces=(f"{TABLE}_{leading}_name_collated_idx", f"{leading}, {COLLATED}, id"),
        )
    yield sort_index(
        TABLE, "project_funding_name_idx", f"funding_source, {COLLATED}, id", ("is_published",)
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_import_permission_per_kind")]

    operations = [
        migrations.RemoveIndex(model_name="project", name="project_investment_idx"),
        migrations.RemoveIndex(model_name="project", name="project_progress_idx"),
        migrations.RemoveIndex(model_name="project", name="project_approval_idx"),
        migrations.RemoveIndex(model_name="project", name="project_updated_idx"),
        *sorts(),
    ]
