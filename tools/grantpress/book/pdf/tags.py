"""The parts' structure trees (PDF tags) joined into the book's one tree.

WeasyPrint tags each part it lays out: a StructTreeRoot with one Document
element whose kids are the part's elements, page by page, and a ParentTree
that maps each page (its /StructParents) and each link annotation (its
/StructParent) to the elements of its marked content. Joining the parts'
pages (``merge``) keeps the marked content but not the trees, so they are
joined here: every part's elements go under one Document element, and the
ParentTree keys are numbered again through the book.
"""

from __future__ import annotations

from pikepdf import Array, Dictionary, Name, Pdf


class StructureTree:
    """The book's structure tree, filled part by part."""

    def __init__(self, book: Pdf):
        self.book = book
        self.nums = book.make_indirect(Array())
        self.kids = book.make_indirect(Array())
        root = book.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = book.make_indirect(Dictionary(
            Type=Name.StructElem, S=Name.Document, P=root, K=self.kids))
        root.K = Array([self.document])
        root.ParentTree = book.make_indirect(Dictionary(Nums=self.nums))
        book.Root.StructTreeRoot = root
        book.Root.MarkInfo = Dictionary(Marked=True)
        book.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)

    def add(self, part: Pdf, pages: list, first: bool = False) -> None:
        """The tree of ``part``, whose pages the book holds as ``pages``; its
        elements go after those added so far, or before them if ``first``. The
        elements are copied after the pages, so that their /Pg point at the
        book's copies of them."""
        tree = part.Root.get("/StructTreeRoot")
        if tree is None:
            return
        keys = {}
        old = tree.ParentTree.Nums
        for i in range(0, len(old), 2):
            keys[int(old[i])] = len(self.nums) // 2
            self.nums.append(keys[int(old[i])])
            self.nums.append(self._copy(old[i + 1], part))
        for page in pages:
            _renumber(page.obj, "/StructParents", keys)
            for annotation in page.obj.get("/Annots", ()):
                _renumber(annotation, "/StructParent", keys)
        for index, kid in enumerate(tree.K[0].K):
            element = self.book.copy_foreign(kid)
            element.P = self.document
            if first:
                self.kids.insert(index, element)
            else:
                self.kids.append(element)

    def _copy(self, value, part: Pdf):
        # qpdf copies whole objects only: a page's array is made one first,
        # which costs one copy instead of one per element.
        return self.book.copy_foreign(value if value.is_indirect else part.make_indirect(value))


def _renumber(obj, key: str, keys: dict[int, int]) -> None:
    if key in obj and int(obj[key]) in keys:
        obj[key] = keys[int(obj[key])]
