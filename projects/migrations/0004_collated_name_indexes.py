from django.db import migrations

from core.db import collated_name_index


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_descending_indexes")]

    operations = [
        collated_name_index("projects_project"),
        collated_name_index("projects_project", "status"),
        collated_name_index("projects_project", "category"),
    ]
