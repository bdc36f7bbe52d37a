"""Who someone is, what their role lets them do, and how far up the classification scale they may read.

The users file (TOML, ``CONCLUSIO_USERS``) names each user (an OIDC e-mail or subject, or an OS login)
in a ``[users.NAME]`` table with a ``role`` and a ``clearance``::

    [users.alice]
    role = "reader"          # search, read, export
    clearance = "none"

    [users."bob@example.org"]
    role = "analyst"         # also reviews evidence and sets statuses
    clearance = "LIMITE"

With a users file, a name it does not hold is refused. Without one, the one local user is an admin with
full clearance (a single-user desktop run). The file is read again when it changes, so an administrator
adds or removes a user without restarting the UI.
"""

from __future__ import annotations

import getpass
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from conclusio.clearance import FULL, LEVELS, Clearance
from conclusio.errors import AccessDenied, SettingsError
from conclusio.settings import Settings

ROLES = ("reader", "analyst", "admin")
# What each role may do; each role may do what the roles before it may.
ACTIONS = {
    "read": "reader",  # search, similar, documents, show, obligations, exports, history, changes, audit
    "curate": "analyst",  # review evidence links, set statuses
    "administer": "admin",  # ingest, resume, reembed, rebuild, restore, backup, check, orphans, audit --verify
}
WHAT = {"read": "read the store", "curate": "review evidence or set statuses",
        "administer": "ingest, rebuild or care for the store"}
_KEYS = {"role", "clearance"}


@dataclass(frozen=True)
class User:
    """A person as Conclusio knows them: the name the audit trail records, a role and a clearance."""

    name: str
    role: str
    clearance: Clearance
    source: str  # how they were named: "users file", "no users file: the one local user"

    def __str__(self) -> str:
        return self.name

    def may(self, action: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(ACTIONS[action])

    def require(self, action: str) -> None:
        """Raise ``AccessDenied`` (one line: who, their role, who may) unless this user may do ``action``."""
        if not self.may(action):
            allowed = [r for r in ROLES if ROLES.index(r) >= ROLES.index(ACTIONS[action])]
            raise AccessDenied(f"{self.name} ({self.role}) may not {WHAT[action]}: only "
                               f"{' and '.join(role + 's' for role in allowed)} may; nothing was changed")

    @property
    def description(self) -> str:
        """"alice: reader, clearance none (users file)"."""
        return f"{self.name}: {self.role}, clearance {self.clearance.name} ({self.source})"


def local_user(name: str | None = None) -> User:
    """The one user of a store without a users file: an admin who reads everything (today's single-user run)."""
    return User(name or login_name(), "admin", FULL, "no users file: the one local user, admin with full clearance")


def login_name() -> str:
    """The operating system's name for whoever runs this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def resolve_user(settings: Settings, name: str | None = None) -> User:
    """The user named ``name`` (else ``settings.user``, else the login name), as the users file says.

    Without a users file, the local admin. With one, an unknown name raises ``AccessDenied``.
    """
    name = (name or settings.user or login_name()).strip()
    if settings.users_file is None:
        return local_user(name)
    return lookup(load_users(settings.users_file), name, settings.users_file)


def lookup(users: dict[str, User], name: str, path: Path | str, *aliases: str) -> User:
    """The first of ``name`` and ``aliases`` the users file holds (names compared without case)."""
    for candidate in (name, *aliases):
        if candidate and candidate.casefold() in users:
            return users[candidate.casefold()]
    raise AccessDenied(f"{name!r} is not in the users file {path}: ask an administrator to add a [users.\"{name}\"] "
                       "table with a role and a clearance")


def load_users(path: Path | str) -> dict[str, User]:
    """Every user of the file by their name without case; a one-line ``SettingsError`` naming what is wrong."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as e:
        # A users file that is named but missing must not fall back to "everyone is admin".
        raise SettingsError(f"CONCLUSIO_USERS={path}: cannot read the users file ({e.strerror or e}); "
                            "nobody is let in until it is there") from e
    return dict(_parsed(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _parsed(path: str, _mtime: int, _size: int) -> tuple[tuple[str, User], ...]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise SettingsError(f"{path}: cannot read the users file ({e})") from e
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{path}: not a valid TOML users file ({e})") from e
    unknown = set(data) - {"users"}
    if unknown:
        raise SettingsError(f"{path}: unknown section {sorted(unknown)[0]!r}; users are [users.NAME] tables")
    table = data.get("users", {})
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: 'users' must be tables [users.NAME], not {type(table).__name__}")
    users: dict[str, User] = {}
    for name, entry in table.items():
        where = f"{path}: [users.{name!r}]" if any(c in name for c in ' ."') else f"{path}: [users.{name}]"
        if not isinstance(entry, dict):
            raise SettingsError(f"{where} must be a table with role and clearance")
        extra = set(entry) - _KEYS
        if extra:
            raise SettingsError(f"{where}: unknown key {sorted(extra)[0]!r}; a user has only role and clearance")
        role = entry.get("role")
        if role not in ROLES:
            raise SettingsError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
        if "clearance" not in entry:
            raise SettingsError(f"{where}: no clearance; use one of: {', '.join(LEVELS)}")
        clearance = Clearance.parse(entry["clearance"], where=where)
        key = name.strip().casefold()
        if not key:
            raise SettingsError(f"{path}: a user with an empty name")
        if key in users:
            raise SettingsError(f"{where}: the same name as [users.{users[key].name}] (names are compared without case)")
        users[key] = User(name.strip(), role, clearance, f"users file {path}")
    return tuple(users.items())
