"""council.yaml: the council, its members, numbering and attendance grouping."""

from __future__ import annotations

import string

from ..content import RawCouncil
from ..errors import Problem
from ..model import ENDED_POSITIONS, ROLE_LABELS, ROLES, Council, Member, Numbering, Source
from ..outputs import safe_name
from .checker import URL, Checker, contact, did_you_mean

COUNCIL_KEYS = ("name", "genitive", "numbering", "attendance", "members", "press", "about", "followup_sheet_item", "pdf",
                "web", "site_url",
                "ended")
ATTENDANCE_KEYS = ("group_by", "labels", "roles", "lone_member")
GROUP_BY = {"role": "role", "rolle": "role", "organisation": "organisation"}
LONE_MEMBER = {"own_line": False, "same_line": True}


def validate_council(raw: RawCouncil, problems: list[Problem]) -> Council | None:
    doc = raw.council
    if doc is None:
        return None
    check = Checker(doc, problems)
    data = check.mapping(doc.data, (), COUNCIL_KEYS, "council.yaml")
    name = check.text(data, "name", (), required=True) or raw.slug
    if safe_name(name) is None:
        check.error(("name",), f"navnet '{name}' kan ikke bruges i et filnavn (dokumenterne hedder fx "
                               f"'2022-09-29 Referat <navn>.docx'); skriv rådets navn")
        name = raw.slug
    pdf = check.flag(data, "pdf", ())
    web = check.flag(data, "web", ()) if "web" in data else True
    site_url = check.text(data, "site_url", ())
    if site_url and not (URL.match(site_url) and site_url.startswith(("https://", "http://"))):
        check.error(("site_url",), f"'{site_url}' er ikke en webadresse (den skal begynde med https://)")
        site_url = None
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    numbering = _numbering(check, check.mapping(data.get("numbering"), ("numbering",), ("item", "bilag", "lone_bilag"), "numbering"))
    attendance = check.mapping(data.get("attendance"), ("attendance",), ATTENDANCE_KEYS, "attendance")
    group_by = GROUP_BY.get(str(attendance.get("group_by", "role")).strip().lower())
    if group_by is None:
        check.error(("attendance", "group_by"), "'group_by' skal være role eller organisation")
        group_by = "role"
    labels = attendance.get("labels") or {}
    if not isinstance(labels, dict):
        check.error(("attendance", "labels"), "'labels' skal være organisation: betegnelse, fx kommune: kommunerne")
        labels = {}
    role_labels, role_headings = _roles(check, attendance.get("roles"))
    lone_member_inline = _choice(check, attendance, "lone_member", ("attendance",), LONE_MEMBER, False)
    ended_position = _choice(check, data, "ended", (), {p: p for p in ENDED_POSITIONS}, ENDED_POSITIONS[0],
                             " (hvor 'Mødet sluttede kl. …' står i referatet; selve klokkeslættet skrives i meeting.yaml)")
    members = []
    for index, entry in enumerate(check.sequence(data, "members", ())):
        keys = ("members", index)
        entry = check.mapping(entry, keys, ("name", "organisation", "role", "position"), "et medlem")
        member_name = check.text(entry, "name", keys, required=True)
        role = (check.text(entry, "role", keys) or "medlem").lower()
        if role not in ROLES:
            check.error(keys + ("role",), f"ukendt rolle '{role}'{did_you_mean(role, ROLES)} (brug {', '.join(ROLES)})")
        organisation = check.text(entry, "organisation", keys) or ""
        if member_name and not organisation and group_by == "organisation":
            check.error(keys, f"'{member_name}' mangler 'organisation' (rådet grupperer deltagerlisten efter organisation)")
        if member_name:
            members.append(Member(member_name, organisation, role, check.text(entry, "position", keys)))
    seen: set[str] = set()
    for index, member in enumerate(members):
        if member.name in seen:
            check.error(("members", index), f"'{member.name}' står to gange blandt medlemmerne")
        seen.add(member.name)
    press = check.mapping(data.get("press"), ("press",), ("contact",), "press")
    press_contact = contact(check, press.get("contact"), ("press", "contact"))
    return Council(
        slug=raw.slug, name=name, genitive=check.text(data, "genitive", ()) or f"{name}s",
        numbering=numbering, group_by=group_by, members=tuple(members),
        organisation_labels={str(k): str(v) for k, v in labels.items()},
        role_labels=role_labels, role_headings=role_headings, lone_member_inline=lone_member_inline,
        ended_position=ended_position,
        press_contact=press_contact, about=check.text(data, "about", ()) or "",
        followup_sheet_item=check.text(data, "followup_sheet_item", ()) or "Dagsorden for dagens møde",
        source=Source(doc.path, 1), pdf=pdf, web=web, site_url=site_url,
    )


def _roles(check: Checker, data) -> tuple[dict[str, str], dict[str, str]]:
    """``attendance.roles``: each role's ``label`` (the parenthesis after a name when
    grouped by organisation; empty for none) and ``heading`` (its group when grouped
    by role), over the defaults :data:`ROLE_LABELS` and :data:`ROLES`."""
    labels, headings = dict(ROLE_LABELS), dict(ROLES)
    keys = ("attendance", "roles")
    if data is None:
        return labels, headings
    if not isinstance(data, dict):
        check.error(keys, "'roles' skal være roller med label og heading, fx suppleant: {label: supl., heading: Suppleanter}")
        return labels, headings
    for role, entry in data.items():
        if role not in ROLES:
            check.error(keys + (role,), f"ukendt rolle '{role}'{did_you_mean(str(role), ROLES)} (brug {', '.join(ROLES)})")
            continue
        entry = check.mapping(entry, keys + (role,), ("label", "heading"), f"rollen '{role}'")
        if "label" in entry:
            labels[role] = check.text(entry, "label", keys + (role,)) or ""
        heading = check.text(entry, "heading", keys + (role,))
        if heading:
            headings[role] = heading.removesuffix(":").rstrip()
    return labels, headings


def _choice(check: Checker, data: dict, key: str, keys: tuple, choices: dict, default, hint: str = ""):
    """The value ``choices`` gives the word written at ``key``, or ``default`` when none is."""
    written = check.text(data, key, keys)
    if written is None:
        return default
    if written.lower() in choices:
        return choices[written.lower()]
    check.error(keys + (key,), f"'{key}' skal være {' eller '.join(choices)}{did_you_mean(written, choices)}{hint}")
    return default


def _numbering(check: Checker, data: dict) -> Numbering:
    result = Numbering()
    fields = {"item": {"section", "item"}, "bilag": {"section", "item", "n"}, "lone_bilag": {"section", "item"}}
    values = {}
    for key, allowed in fields.items():
        pattern = check.text(data, key, ("numbering",))
        if pattern is None:
            continue
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
            pattern.format(section="1", item=2, n=3)
        except (ValueError, KeyError, IndexError, AttributeError):
            names = {"?"}
        if not names <= allowed or "item" not in names and key != "bilag":
            check.error(("numbering", key), f"ugyldigt nummerformat '{pattern}' (brug {', '.join('{' + a + '}' for a in sorted(allowed))})")
            continue
        values[key] = pattern
    return Numbering(**{**result.__dict__, **values})

