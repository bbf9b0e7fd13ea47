"""State only: the aggregate model now belongs to the reports core (``campaigns.0005``);
the table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_aggregates"),
        ("campaigns", "0005_indicator_aggregates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IndicatorAggregate")],
            database_operations=[],
        ),
    ]
