"""The aggregate table moves from the dashboard app to the reports core, which writes it.

State only: the table ``dashboard_indicatoraggregate`` keeps its name, rows and constraints
(``dashboard.0002`` removes the model from the dashboard's state).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_approval_levels"),
        ("dashboard", "0001_aggregates"),
        ("wards", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IndicatorAggregate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("basis", models.CharField(choices=[("approved", "Approved reports only"), ("submitted", "Approved and submitted reports")], max_length=16, verbose_name="basis")),
                        ("total", models.DecimalField(decimal_places=4, max_digits=24, verbose_name="sum")),
                        ("value_count", models.PositiveIntegerField(verbose_name="number of values")),
                        ("maximum", models.DecimalField(decimal_places=4, max_digits=24, verbose_name="maximum")),
                        ("area", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="wards.administrativeunit", verbose_name="area")),
                        ("indicator", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="campaigns.indicator", verbose_name="indicator")),
                    ],
                    options={
                        "verbose_name": "indicator aggregate",
                        "verbose_name_plural": "indicator aggregates",
                        "db_table": "dashboard_indicatoraggregate",
                        "indexes": [models.Index(fields=["area", "basis", "year"], name="dashboard_agg_area_year_idx")],
                        "constraints": [
                            models.UniqueConstraint(fields=("area", "basis", "indicator", "year"), name="dashboard_indicatoraggregate_unique"),
                            models.CheckConstraint(condition=models.Q(("basis__in", ["approved", "submitted"])), name="dashboard_indicatoraggregate_basis_valid"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
