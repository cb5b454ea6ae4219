"""The starting urgent lexicon (self-harm, suicide, abuse, violence); the county extends it in the admin."""

from django.db import migrations

TERMS = [
    "自杀", "轻生", "不想活", "活着没意思", "想死", "去死", "寻死", "跳楼", "跳河", "喝农药", "安眠药",
    "自残", "自伤", "割腕", "伤害自己", "划手", "打我", "被打", "家暴", "虐待", "性侵", "猥亵", "强奸",
    "摸我", "威胁我", "离家出走", "欺凌", "霸凌", "勒索",
]  # fmt: skip — a frozen copy: later changes go in a new migration (xieyu/questions/migrations_data.py)


def create(apps, schema_editor):
    UrgentTerm = apps.get_model("questions", "UrgentTerm")
    UrgentTerm.objects.bulk_create([UrgentTerm(term=t) for t in TERMS], ignore_conflicts=True)


def remove(apps, schema_editor):
    apps.get_model("questions", "UrgentTerm").objects.filter(term__in=TERMS).delete()


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
