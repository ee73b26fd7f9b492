from django.db import migrations

from core.db import descending_nulls_last_index


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_search_trigram")]

    operations = [
        descending_nulls_last_index("projects_project", "total_investment"),
        descending_nulls_last_index("projects_project", "progress_percent"),
        descending_nulls_last_index("projects_project", "approval_date"),
    ]
