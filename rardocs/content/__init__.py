"""Reading content files: text decoding, YAML with line numbers, item files, the archive.

Everything here turns bytes on disk into plain Python data plus the place
(file, line) each value came from, so that validation can point at it.
Nothing here decides what the data means; :mod:`rardocs.validate` does.
One module per concern: :mod:`.text` (decoding, cleaning), :mod:`.yamlfile` (its parser,
:mod:`.yamlparse`, imported only when a file is read),
:mod:`.items` (item and press files) and :mod:`.archive` (the whole folder).
"""

from ..sources import natural_key
from .archive import RawArchive, RawCouncil, RawMeeting, read_archive, shown_path
from .items import (
           RawField,
           RawItem,
           RawPress,
           read_item,
           read_press,
           split_front_matter,
)
from .text import TextFile, clean, read_text
from .yamlfile import YamlDoc, load_yaml, read_yaml

__all__ = ["RawArchive", "RawCouncil", "RawField", "RawItem", "RawMeeting", "RawPress", "TextFile", "YamlDoc",
           "clean", "load_yaml", "natural_key", "read_archive", "read_item", "read_press", "read_text", "read_yaml",
           "shown_path", "split_front_matter"]
