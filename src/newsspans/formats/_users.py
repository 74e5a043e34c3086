"""Label Studio users and NewsSpans annotators: who made an annotation (``completed_by``), and the
explicit map from users to annotator ids (``--annotator-map FILE``, ``--map-annotator USER=ID``).

A user is known by its Label Studio user id (an integer, written as a string in a map's keys) or
by its e-mail address. An e-mail address is used only to look a user up in the map: it is never
written into the corpus, and never shown in a message (a message names the user id, or says that
the user is known by e-mail address only).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

from ..corpus import check_annotator_id
from ..errors import NewsSpansError
from ..labels import GOLD
from ..paths import display_path
from .base import FormatError

_USER_ID = re.compile(r"[0-9]{1,18}")


def is_email(text: str) -> bool:
    return "@" in text


@dataclass(frozen=True)
class UserRef:
    """Who made one Label Studio annotation, as its ``completed_by`` says."""

    user_id: Optional[str] = None
    #: Only to look the user up in the map; never shown, never written.
    email: Optional[str] = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """How a message names the user: ``user 4``, never the e-mail address."""
        return f"user {self.user_id}" if self.user_id is not None else "a user known by e-mail address only"

    @classmethod
    def of(cls, completed_by: Any) -> Optional["UserRef"]:
        """The user of a ``completed_by`` value: an integer user id (Label Studio's JSON export), an
        object with ``id`` and/or ``email`` (some versions and the API), or an e-mail address; None
        when there is none. Raises ``ValueError`` (a message that quotes no value) otherwise."""
        if completed_by is None:
            return None
        if isinstance(completed_by, dict):
            user_id, email = _user_id(completed_by.get("id")), completed_by.get("email")
            email = email.strip() if isinstance(email, str) and is_email(email) else None
            if user_id is None and email is None:
                raise ValueError("completed_by is an object with neither a user id ('id') nor an e-mail address ('email')")
            return cls(user_id, email)
        if isinstance(completed_by, str) and is_email(completed_by):
            return cls(None, completed_by.strip())
        user_id = _user_id(completed_by)
        if user_id is None:
            raise ValueError(f"completed_by must be a Label Studio user id, or an object with 'id' or 'email'; "
                             f"got {_kind(completed_by)}")
        return cls(user_id)


def _user_id(value: Any) -> Optional[str]:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and _USER_ID.fullmatch(value.strip()):
        return str(int(value.strip()))
    return None


def _kind(value: Any) -> str:
    """A value's kind, for a message that must not quote it (it may hold an e-mail address)."""
    return {bool: "true or false", list: "a list", float: "a number with a fraction", str: "another string"}.get(
        type(value), type(value).__name__)


@dataclass(frozen=True)
class UserMap:
    """Label Studio users -> annotator ids (``labels.GOLD`` for the gold), by user id or e-mail."""

    by_id: Mapping[str, str] = field(default_factory=dict)
    #: By e-mail address, lowercased.
    by_email: Mapping[str, str] = field(default_factory=dict, repr=False)

    def __bool__(self) -> bool:
        return bool(self.by_id or self.by_email)

    @classmethod
    def read(cls, *, file: Optional[Path] = None, pairs: Sequence[str] = ()) -> "UserMap":
        """The map of ``file`` (a JSON object: user id or e-mail -> annotator id) and of ``pairs``
        (``USER=ID``), which may add to it but not contradict it. Raises ``FormatError``."""
        entries: list[tuple[str, Any, str]] = []  # (key, value, where)
        if file is not None:
            shown = display_path(Path(file))
            entries += [(k, v, f"{shown}: the entry for {_key_name(k, n)}")
                        for n, (k, v) in enumerate(_read_file(Path(file)).items(), 1)]
        for pair in pairs:
            key, sep, value = pair.rpartition("=")
            if not sep or not key.strip() or not value.strip():
                raise FormatError("--map-annotator takes USER=ID: a Label Studio user id (or e-mail address), '=', "
                                  "an annotator id")
            entries.append((key.strip(), value.strip(), f"--map-annotator for {_key_name(key.strip())}"))
        by_id: dict[str, str] = {}
        by_email: dict[str, str] = {}
        for key, value, where in entries:
            annotator = _annotator(value, where)
            if is_email(key):
                table, k = by_email, key.lower()
            elif _user_id(key) is not None:
                table, k = by_id, _user_id(key)
            else:
                raise FormatError(f"{where}: a key is a Label Studio user id (digits) or an e-mail address")
            if table.get(k, annotator) != annotator:
                raise FormatError(f"{where}: the user is mapped to both {table[k]} and {annotator}; keep one")
            table[k] = annotator
        return cls(by_id, by_email)

    def annotator_of(self, user: UserRef) -> Optional[str]:
        """The annotator (or ``GOLD``) the map gives the user: by user id, else by e-mail address."""
        if user.user_id is not None and user.user_id in self.by_id:
            return self.by_id[user.user_id]
        if user.email is not None:
            return self.by_email.get(user.email.lower())
        return None

    def user_id_of(self, annotator: str) -> int:
        """The one Label Studio user id the map gives ``annotator`` (for an export's ``completed_by``)."""
        ids = sorted((int(k) for k, v in self.by_id.items() if v == annotator))
        if len(ids) != 1:
            has = "no Label Studio user id" if not ids else f"{len(ids)} user ids ({', '.join(map(str, ids))})"
            raise FormatError(f"the annotator map gives {annotator} {has}; an export needs exactly one "
                              f"(--map-annotator USER_ID={annotator})")
        return ids[0]


def export_users(annotators: Sequence[str], users: Optional[UserMap]) -> dict[str, int]:
    """The ``completed_by`` user id of each exported annotator: the map's when given, else 1, 2, …
    in order (the export's ``annotator-map.json`` says which is whose)."""
    if users:
        chosen = {a: users.user_id_of(a) for a in annotators}
        taken: dict[int, str] = {}
        for a, user in chosen.items():
            if user in taken:
                raise FormatError(f"the annotator map gives {taken[user]} and {a} the same user id {user}; give each its own")
            taken[user] = a
        return chosen
    return {a: k for k, a in enumerate(annotators, 1)}


def _read_file(path: Path) -> dict[str, Any]:
    shown = display_path(path)
    try:
        value = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise FormatError(f"{shown}: no such file (--annotator-map)") from None
    except UnicodeDecodeError as exc:
        raise FormatError(f"{shown}: byte {exc.start} is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"{shown}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    except (ValueError, RecursionError):
        raise FormatError(f"{shown}: not an annotator map") from None
    except OSError as exc:
        raise FormatError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    if not isinstance(value, dict):
        raise FormatError(f"{shown}: an annotator map is a JSON object: Label Studio user id (or e-mail address) -> annotator id")
    return value


def _key_name(key: str, n: Optional[int] = None) -> str:
    """How a message names a map key: ``user 4``; an e-mail address is never shown."""
    if is_email(key):
        return "an e-mail address" + (f" (entry {n})" if n else "")
    user_id = _user_id(key)
    return f"user {user_id}" if user_id is not None else (f"entry {n}" if n else "a user")


def _annotator(value: Any, where: str) -> str:
    """A map's value: an annotator id, or ``GOLD``."""
    if value == GOLD:
        return GOLD
    if isinstance(value, str) and not is_email(value):
        try:
            check_annotator_id(value)
            return value
        except NewsSpansError:
            pass
    raise FormatError(f"{where}: the value must be an annotator id (a lowercase slug such as annotator-1, "
                      f"never an e-mail address) or {GOLD!r}")
