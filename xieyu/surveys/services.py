"""Every write of the questionnaire engine: questionnaires and their versions, sections and questions (on a draft
only), waves (open, remind, close) and families' responses (answer, skip) with their scores.

Scoring (`score_answers`): a scale answer is normalised to 0–100 (the scale's minimum → 0, its maximum → 100,
reversed when the question is reverse-scored); a choice answer takes its option's `score` (the mean of the chosen
options' for a multiple choice; 100 minus it when reversed); a dimension's score is the mean of its answered
questions' and the total the mean of the dimensions'.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.core.text import has_forbidden_characters
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_for, deadline_resolve, deadline_start
from xieyu.deadlines.workcalendar import working_time_between
from xieyu.directory.models import Guardian, Guardianship, School, SchoolClass, Student

from . import access, audiences
from .models import Answer, Question, Questionnaire, Respondent, Response, Section, Version, Wave

POLICY = "surveys.wave"
MAX_OPTIONS = 20
MAX_SCALE_POINTS = 11
TEXT_CHARS = 500
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
REMIND_AGAIN_AFTER = datetime.timedelta(hours=12)


# --- questionnaires and versions -------------------------------------------------------------------------------


def _clean_title(value: str, max_length: int, empty: str, too_long: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(empty, code="title")
    if len(value) > max_length:
        raise ValidationError(too_long % {"max": max_length}, code="title")
    if has_forbidden_characters(value):
        raise ValidationError(_("The text contains characters that cannot be saved."), code="title")
    return value


@transaction.atomic
def questionnaire_create(
    *,
    actor,
    title: str,
    description: str = "",
    respondent_kind: str = Questionnaire.RespondentKind.FAMILY,
    school: School | None = None,
    county_id: int | None = None,
    key: str = "",
) -> Questionnaire:
    """A new questionnaire with an empty draft (version 1): the county's (a county admin) or a school's (its
    admin). With neither `school` nor `county_id`, the actor's first unit."""
    owners = access.owners_for(actor)
    if not owners:
        raise PermissionDenied(_("Only county admins and school admins may create questionnaires."))
    if school is None and county_id is None:
        kind, unit_id, _name = owners[0]
        if kind == "school":
            school = School.objects.get(pk=unit_id)
        else:
            county_id = unit_id
    if school is not None:
        county_id = school.county_id
        if ("school", school.pk) not in {(k, i) for k, i, _n in owners}:
            raise PermissionDenied(_("You may only create questionnaires for your own school."))
    elif county_id is None or ("county", county_id) not in {(k, i) for k, i, _n in owners}:
        raise PermissionDenied(_("You may only create questionnaires for your own county."))
    owner_county = int(school.county_id if school is not None else county_id or 0)
    title = _clean_title(title, 80, _("Give the questionnaire a title."),
                         _("The title is too long: at most %(max)d characters."))  # fmt: skip
    if respondent_kind not in Questionnaire.RespondentKind.values:
        raise ValidationError(_("Choose who answers the questionnaire."), code="respondent_kind")
    description = (description or "").strip()
    if len(description) > 2000:
        raise ValidationError(_("The description is too long: at most 2000 characters."), code="description")
    q = Questionnaire.objects.create(
        title=title,
        description=description,
        key=(key or "")[:40],
        respondent_kind=respondent_kind,
        county_id=owner_county,
        school=school,
        created_by=actor,
    )
    Version.objects.create(questionnaire=q, number=1)
    audit_record(actor=actor, action="surveys.questionnaire_create", target=q, changes={"title": [None, title]})
    return q


def _manager(actor, questionnaire: Questionnaire) -> None:
    if not access.may_manage_questionnaire(actor, questionnaire):
        raise PermissionDenied(_("You may not change this questionnaire."))


def _draft(actor, version: Version) -> Version:
    version = Version.objects.select_for_update().select_related("questionnaire").get(pk=version.pk)
    _manager(actor, version.questionnaire)
    if version.status != Version.Status.DRAFT:
        raise ValidationError(
            _("A published questionnaire cannot be changed: start a new version to change it."), code="published"
        )
    return version


@transaction.atomic
def version_draft(*, actor, questionnaire: Questionnaire, note: str = "") -> Version:
    """A new draft, copied from the last version (its sections and questions, with the same codes)."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _manager(actor, questionnaire)
    if questionnaire.versions.filter(status=Version.Status.DRAFT).exists():
        raise ValidationError(_("This questionnaire already has a draft: change that one."), code="draft")
    last = questionnaire.versions.order_by("-number").first()
    draft = Version.objects.create(
        questionnaire=questionnaire, number=(last.number + 1) if last else 1, note=(note or "").strip()[:200]
    )
    if last is not None:
        sections = {}
        for s in last.sections.order_by("position"):
            sections[s.pk] = Section.objects.create(
                version=draft, position=s.position, title=s.title, description=s.description
            )
        copied = []
        for q in last.questions.order_by("position"):
            q.pk = None
            q.version = draft
            q.section = sections.get(q.section_id) if q.section_id else None
            copied.append(q)
        Question.objects.bulk_create(copied)
    audit_record(actor=actor, action="surveys.version_draft", target=draft, changes={"number": [None, draft.number]})
    return draft


@transaction.atomic
def version_publish(*, actor, version: Version) -> Version:
    """Publish a draft after checking it whole; the version it replaces is retired (its waves keep it)."""
    version = _draft(actor, version)
    questions = list(version.questions.order_by("position"))
    if not questions:
        raise ValidationError(_("Add at least one question before publishing."), code="empty")
    seen: dict[str, Question] = {}
    for q in ordered(version, questions):
        _check_question(q, earlier=seen, number=len(seen) + 1)
        seen[q.code] = q
    now = timezone.now()
    Version.objects.filter(questionnaire=version.questionnaire_id, status=Version.Status.PUBLISHED).update(
        status=Version.Status.RETIRED
    )
    version.status = Version.Status.PUBLISHED
    version.published_at = now
    version.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor, action="surveys.version_publish", target=version, changes={"status": ["draft", "published"]}
    )
    return version


def ordered(version: Version, questions: list[Question] | None = None) -> list[Question]:
    """The questions in the order a family sees them: unsectioned first, then section by section."""
    if questions is None:
        questions = list(version.questions.all())
    positions = dict(version.sections.values_list("pk", "position"))
    return sorted(questions, key=lambda q: (positions.get(q.section_id, 0) if q.section_id else 0, q.position))


# --- sections ----------------------------------------------------------------------------------------------------


def _section_text(title: str, description: str) -> tuple[str, str]:
    title = _clean_title(title, 80, _("Give the section a title."),
                         _("The section title is too long: at most %(max)d characters."))  # fmt: skip
    description = (description or "").strip()
    if len(description) > 1000:
        raise ValidationError(_("The section description is too long: at most 1000 characters."), code="description")
    return title, description


@transaction.atomic
def section_add(*, actor, version: Version, title: str, description: str = "") -> Section:
    version = _draft(actor, version)
    title, description = _section_text(title, description)
    position = (version.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = Section.objects.create(version=version, position=position, title=title, description=description)
    audit_record(actor=actor, action="surveys.section_add", target=version, changes={"section": [None, title]})
    return section


@transaction.atomic
def section_update(*, actor, section: Section, title: str, description: str = "") -> Section:
    _draft(actor, section.version)
    section.title, section.description = _section_text(title, description)
    section.save(update_fields=["title", "description"])
    return section


@transaction.atomic
def section_remove(*, actor, section: Section) -> None:
    """Remove a section; its questions stay, outside any section."""
    version = _draft(actor, section.version)
    Question.objects.filter(section=section).update(section=None)
    title = section.title
    section.delete()
    audit_record(actor=actor, action="surveys.section_remove", target=version, changes={"section": [title, None]})


def _swap(model, items: list, item, direction: str) -> bool:
    """Swap `item` with its neighbour in `items` (ordered by position); False at either end."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question or section up or down."), code="direction")
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(items):
        return False
    other = items[other_index]
    a, b = item.position, other.position
    model.objects.filter(pk=item.pk).update(position=0)  # positions are unique per version: step aside first
    model.objects.filter(pk=other.pk).update(position=a)
    model.objects.filter(pk=item.pk).update(position=b)
    item.position = b
    return True


@transaction.atomic
def section_move(*, actor, section: Section, direction: str) -> bool:
    version = _draft(actor, section.version)
    return _swap(Section, list(version.sections.order_by("position")), section, direction)


# --- questions -----------------------------------------------------------------------------------------------------

QUESTION_FIELDS = (
    "section", "code", "kind", "text", "help_text", "required", "options", "scale_min", "scale_max", "number_min",
    "number_max", "max_choices", "show_if", "dimension", "reverse",
)  # fmt: skip


def _label(q: Question, number: int | None = None) -> str:
    return _("question %(n)s") % {"n": number} if number else _("question “%(code)s”") % {"code": q.code}


def _check_question(q: Question, *, earlier: dict[str, Question], number: int | None = None) -> None:
    """Every rule of one question; `earlier` are the questions before it (by code), for its skip logic."""
    name = _label(q, number)
    if q.kind not in Question.Kind.values:
        raise ValidationError(_("Choose the type of %(q)s.") % {"q": name}, code="kind")
    if not (q.text or "").strip():
        raise ValidationError(_("Write the text of %(q)s.") % {"q": name}, code="text")
    if not CODE_RE.match(q.code or ""):
        raise ValidationError(
            _("The code of %(q)s must start with a lowercase letter and use only lowercase letters, digits and _.")
            % {"q": name},
            code="code",
        )
    if q.dimension and not CODE_RE.match(q.dimension):
        raise ValidationError(
            _("The dimension of %(q)s must use only lowercase letters, digits and _.") % {"q": name}, code="dimension"
        )
    options = q.options or []
    if not isinstance(options, list) or any(not isinstance(o, dict) for o in options):
        raise ValidationError(_("The options of %(q)s are not readable.") % {"q": name}, code="options")
    if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise ValidationError(
                _("Give %(q)s between 2 and %(max)d options.") % {"q": name, "max": MAX_OPTIONS}, code="options"
            )
        values = [str(o.get("value", "")).strip() for o in options]
        labels = [str(o.get("label", "")).strip() for o in options]
        if any(not v for v in values) or any(not label for label in labels):
            raise ValidationError(_("Every option of %(q)s needs a text.") % {"q": name}, code="options")
        if len(set(values)) != len(values) or len(set(labels)) != len(labels):
            raise ValidationError(_("The options of %(q)s repeat each other.") % {"q": name}, code="options")
        if any(len(label) > 100 for label in labels):
            raise ValidationError(
                _("An option of %(q)s is too long: at most 100 characters.") % {"q": name}, code="options"
            )
        for o in options:
            score = o.get("score")
            if score is not None and (
                isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100
            ):
                raise ValidationError(
                    _("The score of an option of %(q)s must be between 0 and 100.") % {"q": name}, code="options"
                )
        if q.kind == Question.Kind.MULTIPLE and q.max_choices is not None:
            if not 1 <= q.max_choices <= len(options):
                raise ValidationError(
                    _("The most choices allowed in %(q)s must be between 1 and the number of options.") % {"q": name},
                    code="max_choices",
                )
    if q.kind == Question.Kind.SCALE:
        if q.scale_min is None or q.scale_max is None:
            raise ValidationError(
                _("Give %(q)s the lowest and highest point of its scale.") % {"q": name}, code="scale"
            )
        if not q.scale_min < q.scale_max or q.scale_max - q.scale_min + 1 > MAX_SCALE_POINTS:
            raise ValidationError(
                _("The scale of %(q)s must go up from its lowest to its highest point, with at most %(max)d points.")
                % {"q": name, "max": MAX_SCALE_POINTS},
                code="scale",
            )
        if options:
            points = {str(o.get("value", "")) for o in options}
            if not points <= {str(v) for v in range(q.scale_min, q.scale_max + 1)}:
                raise ValidationError(
                    _("The point labels of %(q)s must name points of its scale.") % {"q": name}, code="options"
                )
    if q.kind == Question.Kind.NUMBER and q.number_min is not None and q.number_max is not None:
        if not q.number_min < q.number_max:
            raise ValidationError(
                _("The smallest number allowed in %(q)s must be below the largest.") % {"q": name}, code="number"
            )
    if q.show_if:
        cond = q.show_if
        if not isinstance(cond, dict) or set(cond) != {"code", "in"} or not isinstance(cond.get("in"), list):
            raise ValidationError(_("The condition of %(q)s is not readable.") % {"q": name}, code="show_if")
        source = earlier.get(str(cond["code"]))
        if source is None:
            raise ValidationError(
                _("The condition of %(q)s must refer to an earlier question.") % {"q": name}, code="show_if"
            )
        if source.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE):
            raise ValidationError(
                _("The condition of %(q)s must refer to a choice or scale question.") % {"q": name}, code="show_if"
            )
        allowed = set(option_values(source))
        wanted = [str(v) for v in cond["in"]]
        if not wanted or not set(wanted) <= allowed:
            raise ValidationError(
                _("The condition of %(q)s names answers the earlier question does not have.") % {"q": name},
                code="show_if",
            )


def option_values(q: Question) -> list[str]:
    if q.kind == Question.Kind.SCALE:
        if q.scale_min is None or q.scale_max is None:
            return []
        return [str(v) for v in range(q.scale_min, q.scale_max + 1)]
    return [str(o.get("value")) for o in (q.options or []) if isinstance(o, dict)]


def _normalise_options(kind: str, options) -> list[dict]:
    """Options as given by a form (lines "label" or "label=score") or as dicts; values are numbered from 1."""
    if not options:
        return []
    if isinstance(options, str):
        options = [line for line in options.splitlines() if line.strip()]
    out: list[dict] = []
    for i, o in enumerate(options, start=1):
        if isinstance(o, dict):
            out.append({"value": str(o.get("value") or i), "label": str(o.get("label", "")).strip(),
                        "score": o.get("score")})  # fmt: skip
            continue
        text = str(o).strip()
        score: Any = None
        if "=" in text:
            text, _sep, raw = text.rpartition("=")
            text = text.strip()
            try:
                score = float(raw.strip())
            except ValueError:
                raise ValidationError(
                    _("The score after “=” in the option “%(option)s” must be a number from 0 to 100.")
                    % {"option": text},
                    code="options",
                ) from None
            score = int(score) if score == int(score) else score
        if kind == Question.Kind.SCALE:
            value, _sep, label = text.partition(" ")
            out.append({"value": value.strip(), "label": label.strip() or value.strip()})
        else:
            out.append({"value": str(i), "label": text, "score": score})
    return out


def _apply(q: Question, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown question fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name in ("text", "help_text", "code", "dimension"):
            value = (value or "").strip()
        if name == "options":
            value = _normalise_options(fields.get("kind", q.kind), value)
        if name in ("number_min", "number_max") and value not in (None, ""):
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                raise ValidationError(_("The range of a number question must be numbers."), code="number") from None
        if value == "" and name in ("number_min", "number_max", "scale_min", "scale_max", "max_choices"):
            value = None
        if name == "show_if" and not value:
            value = None
        setattr(q, name, value)
    if len(q.text) > 300:
        raise ValidationError(_("The question is too long: at most 300 characters."), code="text")
    if len(q.help_text) > 300:
        raise ValidationError(_("The explanation is too long: at most 300 characters."), code="help_text")
    if has_forbidden_characters(q.text + q.help_text):
        raise ValidationError(_("The text contains characters that cannot be saved."), code="text")
    if q.kind != Question.Kind.SCALE:
        q.scale_min = q.scale_max = None
    if q.kind != Question.Kind.NUMBER:
        q.number_min = q.number_max = None
    if q.kind != Question.Kind.MULTIPLE:
        q.max_choices = None
    if q.kind in (Question.Kind.NUMBER, Question.Kind.TEXT, Question.Kind.DATE):
        q.options = []


def _earlier(version: Version, q: Question) -> dict[str, Question]:
    found: dict[str, Question] = {}
    for other in ordered(version):
        if other.pk == q.pk:
            break
        found[other.code] = other
    return found


def _check_in_draft(version: Version, q: Question) -> None:
    if q.section_id is not None and q.section is not None and q.section.version_id != version.pk:
        raise ValidationError(_("That section is not part of this questionnaire."), code="section")
    clash = version.questions.filter(code=q.code)
    if q.pk:
        clash = clash.exclude(pk=q.pk)
    if clash.exists():
        raise ValidationError(_("Another question already has the code “%(code)s”.") % {"code": q.code}, code="code")
    earlier = _earlier(version, q) if q.pk else {o.code: o for o in ordered(version) if _before(version, o, q)}
    _check_question(q, earlier=earlier)


def _before(version: Version, other: Question, q: Question) -> bool:
    positions = dict(version.sections.values_list("pk", "position"))

    def key(x):
        return (positions.get(x.section_id, 0) if x.section_id else 0, x.position)

    return key(other) < key(q)


@transaction.atomic
def question_add(*, actor, version: Version, kind: str, text: str, code: str = "", **fields) -> Question:
    """A question at the end of its section (or of the unsectioned questions); code defaults to q<n>."""
    version = _draft(actor, version)
    position = (version.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    q = Question(version=version, position=position, kind=kind, text="", code="")
    _apply(q, {"kind": kind, "text": text, **fields})
    q.code = (code or "").strip() or _free_code(version)
    _check_in_draft(version, q)
    q.save()
    audit_record(actor=actor, action="surveys.question_add", target=version, changes={"question": [None, q.code]})
    return q


def _free_code(version: Version) -> str:
    used = set(version.questions.values_list("code", flat=True))
    n = len(used) + 1
    while f"q{n}" in used:
        n += 1
    return f"q{n}"


@transaction.atomic
def question_update(*, actor, question: Question, **fields) -> Question:
    version = _draft(actor, question.version)
    question = Question.objects.get(pk=question.pk)
    _apply(question, fields)
    _check_in_draft(version, question)
    question.save()
    audit_record(
        actor=actor,
        action="surveys.question_update",
        target=version,
        changes={"question": [question.code, question.code]},
    )
    return question


@transaction.atomic
def question_remove(*, actor, question: Question) -> None:
    version = _draft(actor, question.version)
    dependent = [
        q.code for q in version.questions.exclude(pk=question.pk) if (q.show_if or {}).get("code") == question.code
    ]
    if dependent:
        raise ValidationError(
            _("Questions %(codes)s are shown depending on this one: change their condition first.")
            % {"codes": "、".join(dependent)},
            code="show_if",
        )
    code = question.code
    question.delete()
    audit_record(actor=actor, action="surveys.question_remove", target=version, changes={"question": [code, None]})


@transaction.atomic
def question_move(*, actor, question: Question, direction: str, section: Section | None = None) -> bool:
    """Move a question up or down among the questions of its section."""
    version = _draft(actor, question.version)
    siblings = list(version.questions.filter(section=question.section_id).order_by("position"))
    moved = _swap(Question, siblings, question, direction)
    if moved:  # skip logic must still point backwards
        seen: dict[str, Question] = {}
        for q in ordered(version):
            if q.show_if and str(q.show_if.get("code")) not in seen:
                raise ValidationError(
                    _("That move would put question “%(code)s” before the question its condition depends on.")
                    % {"code": q.code},
                    code="show_if",
                )
            seen[q.code] = q
    return moved


# --- waves ----------------------------------------------------------------------------------------------------------


def _aim(actor, *, audience: str, school: School | None, school_class: SchoolClass | None, hook: str):
    """Check the audience against the actor's single scope; (county id, school id, class id, hook, label)."""
    if audience == Wave.Audience.SCHOOL_CLASS:
        if school_class is None:
            raise ValidationError(_("Choose the class to ask."), code="audience")
        if not access.targetable_classes(actor).filter(pk=school_class.pk).exists():
            raise ValidationError(_("You may only ask classes you are responsible for."), code="audience")
        return (school_class.school.county_id, school_class.school_id, school_class.pk, "",
                f"{school_class.school.name} {school_class}")  # fmt: skip
    if audience == Wave.Audience.SCHOOL:
        if school is None:
            raise ValidationError(_("Choose the school to ask."), code="audience")
        if not access.targetable_schools(actor).filter(pk=school.pk).exists():
            raise ValidationError(_("You may only ask schools you manage."), code="audience")
        return school.county_id, school.pk, None, "", school.name
    if audience == Wave.Audience.COUNTY:
        counties = access.targetable_counties(actor)
        if not counties:
            raise ValidationError(_("Only a county admin may ask the whole county."), code="audience")
        county_id = min(counties)
        return county_id, None, None, "", _("the whole county")
    if audience in (Wave.Audience.CARERS, Wave.Audience.HOOK):
        found, ident = audiences.split(hook)
        if found is None or (audience == Wave.Audience.CARERS) != (found.prefix == audiences.CARERS):
            raise ValidationError(_("Unknown audience."), code="audience")
        if not found.may_target(actor, ident):
            raise ValidationError(_("You may not ask this audience."), code="audience")
        county_id, school_id = found.place(ident)
        return county_id, school_id, None, hook, found.label(ident)
    raise ValidationError(_("Choose who to ask."), code="audience")


def _answer_link(wave: Wave) -> str:
    """Where the families answer: the engine's page, or the higher app's own page for a hook's wave."""
    if wave.audience == Wave.Audience.HOOK:
        hook, ident = audiences.split(wave.hook)
        if hook is not None and hook.answer_url is not None:
            return hook.answer_url(ident)
    return reverse("surveys:answer", args=[wave.pk])


@transaction.atomic
def wave_open(
    *,
    actor,
    questionnaire: Questionnaire,
    title: str = "",
    audience: str,
    school: School | None = None,
    school_class: SchoolClass | None = None,
    hook: str = "",
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime,
    notify: bool = True,
) -> Wave:
    """Ask the published version of a questionnaire of an audience in the actor's scope, between two times; its
    close is a deadline on the engine and the audience receives a notice linking to the answer page."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not access.questionnaires_visible_to(actor).filter(pk=questionnaire.pk).exists():
        raise PermissionDenied(_("You may not use this questionnaire."))
    version = questionnaire.versions.filter(status=Version.Status.PUBLISHED).order_by("-number").first()
    if version is None:
        raise ValidationError(_("Publish the questionnaire before asking families to answer it."), code="draft")
    county_id, school_id, class_id, hook, label = _aim(
        actor, audience=audience, school=school, school_class=school_class, hook=hook
    )
    now = timezone.now()
    opens_at = opens_at or now
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ValueError("waves need aware datetimes")
    if closes_at <= opens_at:
        raise ValidationError(_("The wave must close after it opens."), code="closes_at")
    if closes_at <= now:
        raise ValidationError(_("The closing time has already passed."), code="closes_at")
    if opens_at < now - datetime.timedelta(days=1):
        raise ValidationError(_("The opening time has already passed."), code="opens_at")
    number = (questionnaire.waves.aggregate(m=Max("number"))["m"] or 0) + 1
    title = (title or "").strip() or _("%(title)s · wave %(n)s") % {"title": questionnaire.title, "n": number}
    title = _clean_title(title, 80, _("Give the wave a title."),
                         _("The wave title is too long: at most %(max)d characters."))  # fmt: skip
    wave = Wave.objects.create(
        questionnaire=questionnaire, version=version, number=number, title=title, opens_at=opens_at,
        closes_at=closes_at, audience=audience, county_id=county_id, school_id=school_id, school_class_id=class_id,
        hook=hook, created_by=actor,
    )  # fmt: skip
    wave.invited = _audience_size(wave)
    wave.save(update_fields=["invited"])
    _close_deadline(actor, wave, owner=actor)
    if notify:
        _notify(actor, wave, students=None, first=True)
    audit_record(actor=actor, action="surveys.wave_open", target=wave,
                 changes={"audience": [None, label], "closes_at": [None, closes_at.isoformat()]})  # fmt: skip
    return wave


def _close_deadline(actor, wave: Wave, *, owner) -> None:
    """The wave's close as a deadline on the engine: its own working time from open to close, told to `owner`."""
    county_id = int(wave.county_id or 0)
    hours = max(Decimal("0.25"), Decimal(working_time_between(county_id, wave.opens_at, wave.closes_at).total_seconds())
                / 3600)  # fmt: skip
    deadline_start(actor=actor, target=wave, policy=POLICY, county=county_id, school=wave.school_id and
                   School.objects.get(pk=wave.school_id), owner=owner, title=wave.title, started_at=wave.opens_at,
                   resolution=(hours.quantize(Decimal("0.01")), "hours"))  # fmt: skip


@transaction.atomic
def wave_follow(*, actor, version: Version, number: int, title: str, hook: str, opens_at: datetime.datetime,
                closes_at: datetime.datetime, owner=None) -> Wave:  # fmt: skip
    """A wave whose times follow an object of a higher app (a parent-school session's 课前 and 课后): created on first
    use, with its close on the deadline engine like any wave, and moved when that object moves. The higher app has
    authorised the call (its audience hook names who is asked); nobody is notified here (wave_remind does it)."""
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ValueError("waves need aware datetimes")
    if closes_at <= opens_at:
        raise ValidationError(_("The wave must close after it opens."), code="closes_at")
    questionnaire = version.questionnaire
    wave = Wave.objects.select_for_update().filter(questionnaire=questionnaire, number=number).first()
    if wave is None:
        wave = Wave.objects.create(
            questionnaire=questionnaire, version=version, number=number, title=title, opens_at=opens_at,
            closes_at=closes_at, audience=Wave.Audience.HOOK, hook=hook, county_id=questionnaire.county_id,
            school_id=questionnaire.school_id, created_by=owner,
        )  # fmt: skip
        wave.invited = _audience_size(wave)
        wave.save(update_fields=["invited"])
        _close_deadline(actor, wave, owner=owner)
        audit_record(actor=actor, action="surveys.wave_follow", target=wave,
                     changes={"hook": [None, hook], "closes_at": [None, closes_at.isoformat()]})  # fmt: skip
    elif (wave.opens_at, wave.closes_at) != (opens_at, closes_at):
        before = wave.closes_at.isoformat()
        wave.opens_at, wave.closes_at = opens_at, closes_at
        wave.save(update_fields=["opens_at", "closes_at"])
        audit_record(actor=actor, action="surveys.wave_follow", target=wave,
                     changes={"closes_at": [before, closes_at.isoformat()]})  # fmt: skip
    return wave


def _is_guardian_kind(wave: Wave) -> bool:
    return wave.questionnaire.respondent_kind == Questionnaire.RespondentKind.GUARDIAN


def _audience_size(wave: Wave) -> int:
    if _is_guardian_kind(wave):
        return audiences.audience_guardians(wave).count()
    return audiences.audience_students(wave).count()


def _notify(actor, wave: Wave, *, students: list[int] | None, first: bool, guardians: list[int] | None = None):
    """The notice asking the audience (or, for a reminder, those not answered yet) to answer."""
    from xieyu.notices.audience import Audience
    from xieyu.notices.messages import message_send
    from xieyu.notices.services import notice_create

    link = _answer_link(wave)
    closes = timezone.localtime(wave.closes_at).strftime("%Y-%m-%d %H:%M")
    title = (_("Please answer: %(title)s") if first else _("Reminder: please answer %(title)s")) % {
        "title": wave.questionnaire.title
    }
    body = _("Please answer the questionnaire “%(title)s” by %(closes)s. Open the link to answer.") % {
        "title": wave.title,
        "closes": closes,
    }
    send_at = wave.opens_at if wave.opens_at > timezone.now() else None
    audience = None
    if first and wave.audience == Wave.Audience.SCHOOL_CLASS:
        audience = Audience(classes=[int(wave.school_class_id or 0)])
    elif first and wave.audience == Wave.Audience.SCHOOL:
        audience = Audience(schools=[int(wave.school_id or 0)])
    elif first and wave.audience == Wave.Audience.COUNTY:
        audience = Audience(counties=[int(wave.county_id or 0)])
    elif students is not None or not _is_guardian_kind(wave):
        ids = students if students is not None else list(audiences.audience_students(wave).values_list("pk", flat=True))
        audience = Audience(students=ids) if ids else None
        if audience is None:
            return None
    notice = None
    if audience is not None:
        try:
            notice = notice_create(actor=actor, title=title[:60], body=body, audience=audience, link=link,
                                   send_at=send_at, topic="surveys")  # fmt: skip
        except (ValidationError, PermissionDenied):
            notice = None  # not reachable as a notice audience by this actor: one message per guardian instead
            if guardians is None:
                guardians = list(
                    Guardian.objects.filter(
                        guardianships__student__in=audience.students or audiences.audience_students(wave).values("pk"),
                        guardianships__status=Guardianship.Status.CONFIRMED,
                    )
                    .distinct()
                    .values_list("pk", flat=True)
                )
    wave.reminded_at = send_at or timezone.now()
    if notice is None:
        if guardians is None:
            guardians = list(audiences.audience_guardians(wave).values_list("pk", flat=True))
        for guardian in Guardian.objects.filter(pk__in=guardians):
            message_send(actor=actor, county_id=int(wave.county_id or 0), to_guardian=guardian, title=title, body=body,
                         link=link, topic="surveys")  # fmt: skip
        wave.save(update_fields=["reminded_at"])
        return None
    wave.reminder_notice = notice
    wave.save(update_fields=["reminder_notice", "reminded_at"])
    return notice


def _lock_wave(wave: Wave) -> Wave:
    return Wave.objects.select_for_update().select_related("questionnaire").get(pk=wave.pk)


def _wave_manager(actor, wave: Wave) -> None:
    if not access.may_manage_wave(actor, wave):
        raise PermissionDenied(_("You may not manage this wave."))


@transaction.atomic
def wave_remind(*, actor, wave: Wave, scheduled: bool = False) -> int:
    """Remind those in the audience who have neither answered nor skipped; the number reminded. `scheduled`: the
    reminder a higher app's periodic job sends (its task authorises it), not a person's."""
    wave = _lock_wave(wave)
    if not scheduled:
        _wave_manager(actor, wave)
    now = timezone.now()
    if not wave.is_open(now):
        raise ValidationError(_("Only an open wave can be reminded about."), code="closed")
    if wave.reminded_at is not None and wave.reminded_at > now - REMIND_AGAIN_AFTER:
        raise ValidationError(_("Families were told less than 12 hours ago: remind them later."), code="too_soon")
    answered = Respondent.objects.filter(responses__wave=wave)
    if _is_guardian_kind(wave):
        guardians = list(
            audiences.audience_guardians(wave).exclude(pk__in=answered.values("guardian")).values_list("pk", flat=True)
        )
        if guardians:
            _notify(actor, wave, students=None, guardians=guardians, first=False)
        count = len(guardians)
    else:
        students = list(
            audiences.audience_students(wave).exclude(pk__in=answered.values("student")).values_list("pk", flat=True)
        )
        if students:
            _notify(actor, wave, students=students, first=False)
        count = len(students)
    if not count:
        raise ValidationError(_("Everyone asked has answered or skipped already."), code="nobody")
    audit_record(actor=actor, action="surveys.wave_remind", target=wave, changes={"reminded": [None, count]})
    return count


@transaction.atomic
def wave_close(*, actor, wave: Wave) -> Wave:
    """Close a wave now (before its closing time); a wave not open yet is called off."""
    wave = _lock_wave(wave)
    _wave_manager(actor, wave)
    now = timezone.now()
    if wave.closes_at <= now:
        raise ValidationError(_("The wave is already closed."), code="closed")
    before = wave.closes_at.isoformat()
    if wave.opens_at >= now:
        wave.opens_at = now - datetime.timedelta(seconds=1)
    wave.closes_at = now
    wave.save(update_fields=["opens_at", "closes_at"])
    _resolve_deadline(actor, wave)
    audit_record(
        actor=actor, action="surveys.wave_close", target=wave, changes={"closes_at": [before, now.isoformat()]}
    )
    return wave


def _resolve_deadline(actor, wave: Wave) -> None:
    d = deadline_for(wave)
    if d is not None and d.state not in (Deadline.State.RESOLVED, Deadline.State.CANCELLED):
        deadline_resolve(actor=actor, deadline=d)


def waves_close_due(*, now: datetime.datetime | None = None) -> int:
    """The scheduler's sweep: the deadline of every wave past its closing time is resolved (the wave is closed)."""
    now = now or timezone.now()
    done = 0
    open_ids = Deadline.objects.filter(target_type="surveys.wave").exclude(
        state__in=(Deadline.State.RESOLVED, Deadline.State.CANCELLED)
    )
    due = Wave.objects.filter(closes_at__lte=now, pk__in=[int(i) for i in open_ids.values_list("target_id", flat=True)])
    for wave in due[:500]:
        with transaction.atomic():
            _resolve_deadline(None, wave)
            done += 1
    return done


# --- answering ---------------------------------------------------------------------------------------------------


def _empty(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list | tuple) and not raw)


def _one(raw):
    if isinstance(raw, list | tuple):
        if len(raw) != 1:
            return None
        raw = raw[0]
    return raw


def _parse(q: Question, raw, name: str) -> dict[str, Any]:
    """One raw answer as the Answer's fields, or ValidationError naming the question and what is wrong."""
    if q.kind == Question.Kind.SINGLE:
        value = _one(raw)
        if value is None or str(value) not in option_values(q):
            raise ValidationError(_("Choose one of the options for %(q)s.") % {"q": name}, code="choice")
        return {"choices": [str(value)]}
    if q.kind == Question.Kind.MULTIPLE:
        values = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw])]
        allowed = option_values(q)
        if any(v not in allowed for v in values) or len(set(values)) != len(values):
            raise ValidationError(_("Choose among the options for %(q)s.") % {"q": name}, code="choice")
        if q.max_choices is not None and len(values) > q.max_choices:
            raise ValidationError(
                _("Choose at most %(max)d options for %(q)s.") % {"q": name, "max": q.max_choices}, code="choice"
            )
        return {"choices": sorted(values, key=allowed.index)}
    if q.kind == Question.Kind.SCALE:
        value = _one(raw)
        text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
        if not re.fullmatch(r"-?[0-9]{1,3}", text):
            raise ValidationError(_("Choose a point of the scale for %(q)s.") % {"q": name}, code="scale")
        number = int(text)
        if q.scale_min is None or q.scale_max is None or not q.scale_min <= number <= q.scale_max:
            raise ValidationError(
                _("The answer to %(q)s must be between %(min)s and %(max)s.")
                % {"q": name, "min": q.scale_min, "max": q.scale_max},
                code="scale",
            )
        return {"number": Decimal(number)}
    if q.kind == Question.Kind.NUMBER:
        value = _one(raw)
        text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
        if not re.fullmatch(r"-?[0-9]{1,8}(\.[0-9]{1,2})?", text):
            raise ValidationError(
                _("The answer to %(q)s must be a number (at most two decimals).") % {"q": name}, code="number"
            )
        amount = Decimal(text)
        if (q.number_min is not None and amount < q.number_min) or (q.number_max is not None and amount > q.number_max):
            lo = f"{q.number_min.normalize():f}" if q.number_min is not None else "—"
            hi = f"{q.number_max.normalize():f}" if q.number_max is not None else "—"
            raise ValidationError(
                _("The answer to %(q)s must be between %(min)s and %(max)s.") % {"q": name, "min": lo, "max": hi},
                code="number",
            )
        return {"number": amount}
    if q.kind == Question.Kind.TEXT:
        text = str(_one(raw) or "").strip()
        if len(text) > TEXT_CHARS:
            raise ValidationError(
                _("The answer to %(q)s is too long: at most %(max)d characters.") % {"q": name, "max": TEXT_CHARS},
                code="text",
            )
        if has_forbidden_characters(text):
            raise ValidationError(_("The answer to %(q)s contains characters that cannot be saved.") % {"q": name},
                                  code="text")  # fmt: skip
        return {"text": text}
    if q.kind == Question.Kind.DATE:
        text = str(_one(raw) or "").strip()
        try:
            day = datetime.date.fromisoformat(text) if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else None
        except ValueError:
            day = None
        if day is None or not 1900 <= day.year <= 2100:
            raise ValidationError(_("The answer to %(q)s must be a date such as 2026-09-01.") % {"q": name},
                                  code="date")  # fmt: skip
        return {"date": day}
    raise ValidationError(_("Unknown question type."), code="kind")


def shown_values(answer_fields: dict[str, Any]) -> list[str]:
    if "choices" in answer_fields:
        return list(answer_fields["choices"])
    if "number" in answer_fields:
        return [str(int(answer_fields["number"]))]
    return []


def clean_answers(questions: list[Question], answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The answers checked against the questions (in order): {code: Answer fields}; hidden questions' answers are
    dropped, a visible required question left empty is refused. Every problem at once, by question code."""
    if not isinstance(answers, dict):
        raise ValidationError(_("The answers are not readable."), code="answers")
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    visible: dict[str, bool] = {}
    known = {q.code for q in questions}
    for code in answers:
        if code not in known:
            errors.setdefault("__all__", []).append(_("There is no question “%(code)s”.") % {"code": code})
    for number, q in enumerate(questions, start=1):
        name = _label(q, number)
        shown = True
        if q.show_if:
            source = str(q.show_if.get("code"))
            wanted = {str(v) for v in q.show_if.get("in", [])}
            shown = visible.get(source, False) and bool(wanted & set(shown_values(cleaned.get(source, {}))))
        visible[q.code] = shown
        if not shown:
            continue
        raw = answers.get(q.code)
        if _empty(raw):
            if q.required:
                errors.setdefault(q.code, []).append(_("Please answer %(q)s: %(text)s") % {"q": name, "text": q.text})
            continue
        try:
            cleaned[q.code] = _parse(q, raw, name)
        except ValidationError as exc:
            errors.setdefault(q.code, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def score_answers(
    questions: list[Question], cleaned: dict[str, dict[str, Any]]
) -> tuple[dict[str, float], float | None]:
    """({dimension: 0–100}, total) of the cleaned answers (see the module's notes)."""
    per_dimension: dict[str, list[float]] = {}
    for q in questions:
        if not q.dimension or q.code not in cleaned:
            continue
        fields = cleaned[q.code]
        score: float | None = None
        if q.kind == Question.Kind.SCALE and q.scale_min is not None and q.scale_max is not None:
            score = (float(fields["number"]) - q.scale_min) / (q.scale_max - q.scale_min) * 100
        elif q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            by_value = {str(o.get("value")): o.get("score") for o in q.options or []}
            chosen = [float(by_value[v]) for v in fields["choices"] if by_value.get(v) is not None]
            score = sum(chosen) / len(chosen) if chosen else None
        if score is None:
            continue
        if q.reverse:
            score = 100 - score
        per_dimension.setdefault(q.dimension, []).append(score)
    scores = {d: round(sum(v) / len(v), 1) for d, v in sorted(per_dimension.items())}
    total = round(sum(scores.values()) / len(scores), 1) if scores else None
    return scores, total


def _respondent(actor, wave: Wave, student: Student | None) -> tuple[Respondent, Student | None]:
    """The asked family (or guardian) the actor answers for, created on first answer: 404 when not asked."""
    invitation = access.get_invitation_for(actor, wave.pk, student.pk if student is not None else None)
    guardian = access.guardian_of(actor)
    if guardian is None:  # never: get_invitation_for answered 404 already
        raise Http404("not a guardian")
    student = invitation.student
    lookup: dict[str, Student | Guardian] = {"student": student} if student is not None else {"guardian": guardian}
    respondent = Respondent.objects.filter(questionnaire=wave.questionnaire_id, **lookup).first()
    if respondent is None:
        respondent = Respondent.objects.create(questionnaire_id=wave.questionnaire_id, **lookup)
    return respondent, student


def _where(student: Student | None, actor) -> tuple[int | None, int | None]:
    if student is not None:
        return student.school_id, student.school_class_id
    guardian = access.guardian_of(actor)
    first = (
        Student.objects.filter(guardianships__guardian=guardian, guardianships__status=Guardianship.Status.CONFIRMED)
        .order_by("pk")
        .values_list("school_id", "school_class_id")
        .first()
    )
    return first if first else (None, None)


def _open_for_answers(wave: Wave) -> None:
    now = timezone.now()
    if now < wave.opens_at:
        raise ValidationError(_("This questionnaire is not open yet."), code="not_open")
    if now >= wave.closes_at:
        raise ValidationError(_("This questionnaire is closed: answers are no longer taken."), code="closed")


@transaction.atomic
def response_submit(
    *, actor, wave: Wave, student: Student | None = None, answers: dict[str, Any], consent: bool
) -> Response:
    """A family's answers to an open wave (replacing their earlier ones in the same wave), with its scores.

    Not in the audience → 404; a closed or not yet open wave, missing consent or any bad answer → ValidationError
    (by question code), nothing written."""
    wave = Wave.objects.select_related("questionnaire", "version").get(pk=wave.pk)
    respondent, student = _respondent(actor, wave, student)
    _open_for_answers(wave)
    questions = ordered(wave.version)
    cleaned = clean_answers(questions, answers)
    if consent is not True:
        raise ValidationError(
            {"consent": [_("Tick the consent box: your answers are used only as this questionnaire says.")]}
        )
    scores, total = score_answers(questions, cleaned)
    school_id, class_id = _where(student, actor)
    response = Response.objects.select_for_update().filter(wave=wave, respondent=respondent).first()
    before = response.status if response else None
    if response is None:
        response = Response(wave=wave, respondent=respondent)
    else:
        response.answers.all().delete()
    response.status = Response.Status.SUBMITTED
    response.consent = True
    response.scores, response.total = scores, total
    response.school_id, response.school_class_id = school_id, class_id
    response.answered_by = actor
    response.submitted_at = timezone.now()
    response.save()
    by_code = {q.code: q for q in questions}
    Answer.objects.bulk_create(
        [Answer(response=response, question=by_code[code], **fields) for code, fields in cleaned.items()]
    )
    audit_record(actor=actor, action="surveys.response_submit", target=response,
                 changes={"status": [before, response.status], "answers": [None, len(cleaned)]})  # fmt: skip
    return response


@transaction.atomic
def response_skip(*, actor, wave: Wave, student: Student | None = None) -> Response:
    """A family declares it skips this wave (while it is open and they have not answered)."""
    wave = Wave.objects.select_related("questionnaire", "version").get(pk=wave.pk)
    respondent, student = _respondent(actor, wave, student)
    _open_for_answers(wave)
    response = Response.objects.select_for_update().filter(wave=wave, respondent=respondent).first()
    if response is not None and response.status == Response.Status.SUBMITTED:
        raise ValidationError(_("You have already answered this wave."), code="answered")
    if response is not None:
        return response
    school_id, class_id = _where(student, actor)
    response = Response.objects.create(
        wave=wave, respondent=respondent, status=Response.Status.SKIPPED, school_id=school_id,
        school_class_id=class_id, answered_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="surveys.response_skip", target=response, changes={"status": [None, "skipped"]})
    return response
