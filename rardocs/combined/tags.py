"""The structure tree: the document's (:class:`Tags`), to which the contents and the
bilag are added; a tagged bilag's tags adopted into it, an untagged page's references
dropped; and marked content (a tagged run of text, an artifact)."""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from .attachment import BROKEN, Part


@dataclass
class Tags:
    """The document's structure tree, to which the contents and the bilag are added (None: untagged)."""

    root: Dictionary
    parent: Dictionary  # the element new sections go under (the /Document element, else the root)
    tree: pikepdf.NumberTree
    next_key: int

    @classmethod
    def of(cls, pdf: pikepdf.Pdf) -> Tags | None:
        root = pdf.Root.get("/StructTreeRoot")
        if not isinstance(root, Dictionary) or "/K" not in root:
            return None
        kids = _kids(root)
        parent = kids[0] if len(kids) == 1 and isinstance(kids[0], Dictionary) and kids[0].is_indirect else root
        _set_kids(parent, _kids(parent))
        if "/ParentTree" not in root:
            root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array()))
        tree = pikepdf.NumberTree(root.ParentTree)
        keys = [int(k) for k in tree]
        next_key = max([int(root.get("/ParentTreeNextKey", 0)), *(k + 1 for k in keys)])
        return cls(root, parent, tree, next_key)

    def key(self, value) -> int:
        key = self.next_key
        self.tree[key] = value
        self.next_key += 1
        self.root.ParentTreeNextKey = self.next_key
        return key

    def element(self, pdf: pikepdf.Pdf, role: str, parent: Dictionary, kids=None, **entries) -> Dictionary:
        """A new structure element, the last kid of ``parent`` (whose /K is an array)."""
        element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name(role), P=parent,
                                               K=Array() if kids is None else kids, **entries))
        parent.K.append(element)
        return element


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _set_kids(element: Dictionary, kids: list) -> None:
    element.K = Array(kids)


def untag(page: pikepdf.Page) -> None:
    """Drop a page's references into a structure tree it no longer has."""
    if "/StructParents" in page.obj:
        del page.obj["/StructParents"]
    for annotation in page.obj.get("/Annots", Array()):
        if isinstance(annotation, Dictionary) and "/StructParent" in annotation:
            del annotation["/StructParent"]


def adopt_tags(pdf: pikepdf.Pdf, part: Part, section: Dictionary, tags: Tags, problems: list[tuple[str, str]]) -> bool:
    """Move a tagged bilag's structure tree under ``section``; False when it has none (or a broken one)."""
    source = part.bilag.Root.get("/StructTreeRoot")
    if not isinstance(source, Dictionary) or "/K" not in source:
        return False
    try:
        roles = source.get("/RoleMap", Dictionary())
        tops = _kids(source)
        if len(tops) == 1 and isinstance(tops[0], Dictionary) and _role(tops[0], roles) == "/Document":
            tops = _kids(tops[0])
        kids = [_adopt(pdf, kid) for kid in tops]
        entries = {}
        if "/ParentTree" in source:
            entries = {int(key): _adopt(pdf, value) for key, value in pikepdf.NumberTree(source.ParentTree).items()}
        for name in ("/RoleMap", "/ClassMap"):
            if isinstance(source.get(name), Dictionary):
                mine = tags.root.get(name)
                if not isinstance(mine, Dictionary):
                    tags.root[name] = mine = Dictionary()
                for key, value in source[name].items():
                    if key not in mine:
                        mine[key] = _adopt(pdf, value)
    except BROKEN:
        problems.append((part.attachment.source or part.attachment.number,
                         "bilaget kommer med i den samlede PDF uden sin opmærkning for skærmlæsere (tags),"
                         " som ikke kunne læses"))
        return False
    for kid in kids:
        if isinstance(kid, Dictionary) and "/S" in kid:
            kid.P = section
    _set_kids(section, kids)
    offset = tags.next_key
    for key, value in sorted(entries.items()):
        tags.tree[key + offset] = value
    tags.next_key = offset + max(entries, default=-1) + 1
    tags.root.ParentTreeNextKey = tags.next_key
    for page in part.pages:
        if isinstance(page.obj.get("/StructParents"), int):
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", Array()):
            if isinstance(annotation, Dictionary) and isinstance(annotation.get("/StructParent"), int):
                annotation.StructParent = int(annotation.StructParent) + offset
    return True


def _role(element: Dictionary, roles: Dictionary) -> str:
    role = element.get("/S")
    for _ in range(10):
        if not isinstance(role, Name) or role not in roles:
            break
        role = roles[role]
    return str(role)


def _adopt(pdf: pikepdf.Pdf, obj):
    """A bilag's object as ours: indirect objects through qpdf's copy (which maps the bilag's
    pages to their copies, already made), direct containers rebuilt around them."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return pdf.copy_foreign(obj)
    if isinstance(obj, Dictionary):
        return Dictionary({key: _adopt(pdf, value) for key, value in obj.items()})
    if isinstance(obj, Array):
        return Array([_adopt(pdf, value) for value in obj])
    return obj


def marked(tag: str, properties: Dictionary | None, body: list) -> list:
    start = ([Name(tag), properties], Operator("BDC")) if properties is not None else ([Name(tag)], Operator("BMC"))
    return [start, *body, ([], Operator("EMC"))]


def artifact(body: list) -> list:
    return marked("/Artifact", Dictionary(Type=Name.Pagination, Subtype=Name.Header), body)
