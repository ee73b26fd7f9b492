# A trigram index that makes diacritics-insensitive search fast on PostgreSQL (no-op on SQLite).

from django.db import migrations

from core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        trigram_index("projects_project"),
    ]
