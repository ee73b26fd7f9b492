from django.db import migrations

from core.db import collated_name_index


class Migration(migrations.Migration):
    dependencies = [("gates", "0002_search_trigram")]

    operations = [collated_name_index("gates_gate"), collated_name_index("gates_gate", "kind")]
