import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("parentschool", "0003_survey_answers"),
        ("surveys", "0002_wave_policy"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="questionnaire",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="ps_session",
                to="surveys.questionnaire",
            ),
        ),
    ]
