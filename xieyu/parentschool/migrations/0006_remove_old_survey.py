from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("parentschool", "0005_survey_to_engine")]

    operations = [
        migrations.DeleteModel(name="SurveyAnswer"),
        migrations.DeleteModel(name="SurveyQuestion"),
    ]
