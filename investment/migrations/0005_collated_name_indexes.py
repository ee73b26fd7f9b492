from django.db import migrations

from core.db import collated_name_index


class Migration(migrations.Migration):
    dependencies = [("investment", "0004_descending_indexes")]

    operations = [
        collated_name_index("investment_investment"),
        collated_name_index("investment_investment", "kind"),
        collated_name_index("investment_investor"),
    ]
