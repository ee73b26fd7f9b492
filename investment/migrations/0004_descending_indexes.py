from django.db import migrations

from core.db import descending_nulls_last_index


class Migration(migrations.Migration):
    dependencies = [("investment", "0003_synthetic_flag")]

    operations = [
        descending_nulls_last_index("investment_investment", "capital"),
        descending_nulls_last_index("investment_investment", "date"),
    ]
