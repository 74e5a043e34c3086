"""The two atomic writes every command that writes uses.

**A folder** (build, render, export) is written into a staged sibling,
``.<name>.<purpose>-<pid>-<random>``, and swapped in whole when complete (``staged_dir``,
``replace_dir``). On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``, so ``<name>`` is at
every instant either the old folder or the new one; elsewhere it is two renames, and a process
killed between them leaves ``.<name>.old-<pid>-<random>`` and no ``<name>``, which the next
command writing there puts back. The many files of such a folder can be written with
``SyncedFiles``, which syncs them a batch at a time before the swap.

**Several files, and folders, all or nothing** (add, import, release, remove): ``write_files`` stages
every file beside its target, then commits with one atomic rename of a journal (which also lists
the files to remove); whatever is left
of a write killed before that point is removed, and one killed after it is finished, by the next
``write_files`` or ``finish_writes`` in the same folder.

Leftovers of killed processes are cleaned by the next command writing there
(``clean_leftovers``), never one another live process is writing: the process writing a staged
folder holds an advisory lock (``flock``) on it, which dies with the process, and writes of
several files in one folder take turns on a lock of that folder. From a commit point to the end
of the write, Ctrl-C is held off: the write completes.
"""


from __future__ import annotations

import ctypes
import errno
import json
import os
import platform
import re
import secrets
import shutil
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from .errors import NewsSpansError
from .paths import display_path, sha256_hex

try:
    import fcntl
except ImportError:  # not POSIX: leftovers are told apart by their process id alone
    fcntl = None  # type: ignore[assignment]

class WriteUnfinished(NewsSpansError):
    """A write committed through a journal could not be finished."""


# --- Ctrl-C held off from a commit point to the end of the write ---------------------------------

@contextmanager
def _no_interrupt() -> Iterator[None]:
    """Inside, SIGINT does not interrupt (the write completes; the Ctrl-C came too late). Only the
    main thread can change signal handlers; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        previous = signal.getsignal(signal.SIGINT)
        if previous is None:  # installed from C: cannot be restored, leave it alone
            raise ValueError
        signal.signal(signal.SIGINT, lambda signum, frame: None)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# --- advisory locks on folders --------------------------------------------------------------------

_NO_LOCK = -1  # the "lock" on a system without flock


def _lock(path: Union[str, Path], *, block: bool) -> Optional[int]:
    """Open the folder ``path`` and take an exclusive ``flock`` on it: the descriptor to give to
    ``_unlock``; None when another open file holds it (only when not ``block``); ``_NO_LOCK``
    where there are no locks (no ``fcntl``, or a filesystem without them). Raises ``OSError``
    when ``path`` cannot be opened."""
    if fcntl is None:
        return _NO_LOCK
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):  # a filesystem without locks
            return _NO_LOCK
        raise
    except BaseException:
        os.close(fd)
        raise
    return fd


def _unlock(fd: Optional[int]) -> None:
    if fd is not None and fd != _NO_LOCK:
        os.close(fd)


def _is_same(path: Union[str, Path], fd: int) -> bool:
    """Whether ``path`` is still the folder open as ``fd``."""
    if fd == _NO_LOCK:
        return os.path.isdir(path)
    try:
        st, fst = os.stat(path, follow_symlinks=False), os.fstat(fd)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (fst.st_dev, fst.st_ino)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


@contextmanager
def _folder_lock(root: Path) -> Iterator[None]:
    """Hold the lock of the folder ``root`` (blocking): the writes of several files in one folder
    take turns."""
    try:
        fd = _lock(root, block=True)
    except OSError:
        fd = _NO_LOCK  # cannot open it for reading: go on unlocked
    try:
        yield
    finally:
        _unlock(fd)


# --- the folder swap ------------------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 1 << 1
#: The renameat2 system call's number, for a C library too old to wrap it (glibc < 2.28).
_SYSCALL_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "riscv64": 276, "i386": 353, "i686": 353,
                      "armv7l": 382, "ppc64le": 357, "s390x": 347}
_RENAMEAT2: list[Optional[Callable[..., int]]] = []


def _renameat2() -> Optional[Callable[..., int]]:
    """libc's ``renameat2``, else the raw system call, else None (not Linux)."""
    if not _RENAMEAT2:
        _RENAMEAT2.append(_load_renameat2())
    return _RENAMEAT2[0]


def _load_renameat2() -> Optional[Callable[..., int]]:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    fn = getattr(libc, "renameat2", None)
    if fn is not None:
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        fn.restype = ctypes.c_int
        return fn
    number, syscall = _SYSCALL_RENAMEAT2.get(platform.machine()), getattr(libc, "syscall", None)
    if number is None or syscall is None:
        return None
    syscall.restype = ctypes.c_long

    def call(olddirfd: int, old: bytes, newdirfd: int, new: bytes, flags: int) -> int:
        return syscall(ctypes.c_long(number), ctypes.c_int(olddirfd), ctypes.c_char_p(old), ctypes.c_int(newdirfd),
                       ctypes.c_char_p(new), ctypes.c_uint(flags))

    return call


def _exchange(a: Union[str, Path], b: Union[str, Path]) -> bool:
    """Exchange the two existing paths ``a`` and ``b`` atomically; False (and nothing done) where the
    system or the filesystem cannot, raises ``OSError`` for any other failure."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _sibling(out: Path, purpose: str) -> Path:
    """A fresh name beside ``out`` for a folder of this process: ``.<name>.<purpose>-<pid>-<random>``."""
    return out.with_name(f".{out.name}.{purpose}-{os.getpid()}-{secrets.token_hex(4)}")


def _discard(path: Union[str, Path]) -> None:
    """Remove a folder no longer needed; what cannot be removed is a leftover for the next run."""
    shutil.rmtree(path, ignore_errors=True)


def replace_dir(new: Path, out: Path) -> None:
    """Put the complete folder ``new`` at ``out``, replacing what was there.

    With ``renameat2(RENAME_EXCHANGE)`` the two are exchanged in one step, then the old folder is
    removed. Without it, ``out`` is renamed aside to ``.<name>.old-<pid>-<random>`` and ``new``
    renamed into place; when the second rename fails the old folder is put back, and when the
    process is killed between the two, the next ``clean_leftovers`` puts it back."""
    new, out = Path(new), Path(out)
    with _no_interrupt():
        if not os.path.lexists(out):
            os.rename(new, out)
            return
        if _exchange(new, out):
            _discard(new)  # it holds the old folder now
            return
        old = _sibling(out, "old")
        try:
            fd = _lock(out, block=True)  # held through the two renames: no cleaner takes `old` for abandoned
        except OSError:
            fd = _NO_LOCK
        try:
            os.rename(out, old)
            try:
                os.rename(new, out)
            except BaseException:
                os.rename(old, out)
                raise
        finally:
            _unlock(fd)
        _discard(old)


def _leftover_pattern(out: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(out.name)}\.(?P<purpose>[a-z]+)-(?P<pid>\d+)-[0-9a-f]+")


def _claim(path: Path, pid: int) -> Optional[int]:
    """Lock the leftover folder ``path`` when no live process is writing it: the lock to give back
    once it is dealt with, or None to leave it alone."""
    try:
        fd = _lock(path, block=False)
    except OSError:
        return None
    if fd == _NO_LOCK:  # no locks here: a folder is its writer's while that process lives
        return None if _alive(pid) else _NO_LOCK
    if fd is not None and not _is_same(path, fd):
        _unlock(fd)
        return None
    return fd


def clean_leftovers(out: Union[str, Path]) -> list[Path]:
    """Clean what killed processes left beside the folder ``out``: finish a journal in its parent
    folder (``write_files``), put a ``.<name>.old-*`` folder back when there is no ``out``
    (a swap killed between its two renames), and remove the other ``.<name>.<purpose>-<pid>-*``
    folders. A folder a live process holds, or a pending journal names, is left alone. Returns
    the folders dealt with."""
    out = Path(out)
    parent = out.parent
    if (parent / JOURNAL).is_file():
        finish_writes(parent)
    try:
        names = sorted(os.listdir(parent))
    except (FileNotFoundError, NotADirectoryError):
        return []
    pattern = _leftover_pattern(out)
    found = [(m["purpose"], int(m["pid"]), parent / name) for name in names if (m := pattern.fullmatch(name))]
    found.sort(key=lambda item: item[0] != "old")  # an old folder may have to go back first
    journaled = _journaled_paths(parent) if found else set()
    done = []
    for purpose, pid, path in found:
        if path.is_symlink() or not path.is_dir() or os.path.abspath(path) in journaled:
            continue
        fd = _claim(path, pid)
        if fd is None:
            continue  # a live process is writing it
        try:
            if purpose == "old" and not os.path.lexists(out):
                os.rename(path, out)
            else:
                shutil.rmtree(path)
            done.append(path)
        finally:
            _unlock(fd)
    return done


def _make_staging(out: Path, purpose: str) -> tuple[Path, int]:
    """A new empty folder beside ``out``, locked by this process: (path, lock)."""
    while True:
        path = _sibling(out, purpose)
        try:
            os.mkdir(path, 0o777)  # the umask applies: the folder gets the output folder's usual mode
        except FileExistsError:
            continue
        fd = _lock(path, block=True)
        if _is_same(path, fd):
            return path, fd
        _unlock(fd)  # a cleaner took it for a leftover in the instant before the lock: take another


@contextmanager
def staging(out: Union[str, Path], *, purpose: str = "tmp") -> Iterator[Path]:
    """A fresh empty sibling folder of ``out`` to write into, held by this process (after
    ``clean_leftovers(out)``). It is removed afterwards unless something took it away or a
    pending journal names it (``write_files(..., folders=...)``)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    tmp, fd = _make_staging(out, purpose)
    try:
        yield tmp
    finally:
        try:
            if os.path.lexists(tmp) and not _journaled(tmp):
                shutil.rmtree(tmp)
        finally:
            _unlock(fd)


def refuse_unless_new(out: Union[str, Path], error: type = NewsSpansError, *, advice: str = "choose another --out") -> None:
    """Raise ``error`` when ``out`` exists and is not an empty folder: a command writing a whole
    folder (``staged_dir``) never mixes with or replaces other files."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise error(f"{display_path(out)} exists and is not an empty folder; {advice}")


def refuse_unless_replaceable(out: Union[str, Path], *, keep: Iterable[Union[str, Path]] = (),
                              error: type = NewsSpansError) -> None:
    """Raise ``error`` unless ``out`` may be replaced whole (``--force``: ``staged_dir`` swaps the
    new folder in at once): a folder or nothing, and neither a folder of ``keep`` (the corpus a
    command reads), nor inside one, nor holding one, nor the working directory or a folder above it."""
    out = Path(out)
    if os.path.lexists(out) and not out.is_dir():
        raise error(f"{display_path(out)} exists and is not a folder; --force replaces a folder only")
    o = out.resolve()
    for folder in keep:
        k = Path(folder).resolve()
        if o == k or k in o.parents or o in k.parents:
            raise error(f"--out {display_path(out)} overlaps {display_path(folder)}, which the command reads: --force "
                        "never replaces it; choose a folder outside it")
    here = Path.cwd().resolve()
    if o == here or o in here.parents:
        raise error(f"--out {display_path(out)} holds the working directory: --force never replaces it; choose another folder")


@contextmanager
def staged_dir(out: Path, *, purpose: str = "tmp") -> Iterator[Path]:
    """A fresh temporary sibling of ``out`` to write into (``staging``); when the block completes
    it replaces ``out`` (``replace_dir``), and whatever happens it is gone afterwards, so ``out``
    is either the old folder or the complete new one."""
    with staging(out, purpose=purpose) as tmp:
        yield tmp
        replace_dir(tmp, out)


# --- several files, all or nothing ---------------------------------------------------------------

#: The journal of a multi-file write in progress, in the folder the write is rooted at.
JOURNAL = ".newsspans-journal.json"
_STAGED = ".newsspans-new."
#: A staged file's name: ``.newsspans-new.<depth>.<name>~``, depth being how many folders below the
#: root of its write it is, so a write rooted in another folder never takes it for its own; the
#: ``~`` keeps it from looking like a corpus file (``<id>.json``, ``<id>.txt``) to a reader.
_STAGED_NAME = re.compile(r"\.newsspans-new\.(\d+)\..+~")


def _write_synced(path: Path, data: bytes) -> None:
    fd = _create(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise


#: ``_write_all_synced`` writes this many files before syncing them, with this many threads.
SYNC_BATCH, SYNC_THREADS = 256, 16


def _create(path: Path) -> int:
    """A new file, for writing: mode 0o666 less the umask (the system applies it, as to the staged
    folders' 0o777), so a reader running as another user (a brat server, a Label Studio container)
    reads what the umask lets it. Never by reading the umask with ``os.umask``, which sets it for a
    moment for every thread of the process."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)


def _write_staged(path: Path, data: bytes, created: Callable[[Path], None]) -> int:
    """Create the new file ``path`` (``created`` is told at once), write ``data`` and return the
    still open file, not yet synced."""
    fd = _create(path)
    try:
        created(path)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:
        os.close(fd)
        raise
    return fd


def _write_all_synced(items: list[tuple[Path, bytes]], created: Callable[[Path], None]) -> None:
    """Write each new file of ``items`` (path, bytes), every one durable on return; ``created`` is
    told each path as soon as it exists (to remove it if the write fails). Files are written a batch
    at a time and each batch's ``fsync`` calls run in threads, which the file system serves together
    (one journal commit for many files, where one per file made writing 100,000 files slow)."""
    for first in range(0, len(items), SYNC_BATCH):
        fds: list[int] = []
        try:
            for path, data in items[first:first + SYNC_BATCH]:
                fds.append(_write_staged(path, data, created))
            _sync_all(fds)
        finally:
            for fd in fds:
                os.close(fd)


def _sync_all(fds: list[int], pool: Optional[ThreadPoolExecutor] = None) -> None:
    """``fsync`` every open file of ``fds``, in threads (``pool``, else a pool of its own) when
    there are several: the file system serves them together."""
    if len(fds) == 1:
        os.fsync(fds[0])
    elif pool is not None:
        list(pool.map(os.fsync, fds))
    elif fds:
        with ThreadPoolExecutor(min(SYNC_THREADS, len(fds))) as own:
            list(own.map(os.fsync, fds))


class SyncedFiles:
    """New files written one after another into a folder this process is staging (``staging``,
    ``staged_dir``), every one durable when the block ends: a file is written when it is given
    (nothing of it is kept), and every ``SYNC_BATCH`` files their ``fsync`` calls run together in
    threads, as ``write_files`` does. On a normal exit the rest are synced, then the folders
    written into and ``root`` (their entries); on an exception the files are closed unsynced (the
    staged folder is discarded anyway). A page-per-document site of 100,000 files is written in
    constant memory this way.
    """

    def __init__(self, root: Union[str, Path]) -> None:
        self.root = Path(root)
        self.written = 0
        self._fds: list[int] = []
        self._folders: set[str] = set()
        self._pool: Optional[ThreadPoolExecutor] = None

    def __enter__(self) -> "SyncedFiles":
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        try:
            if kind is None:
                self._sync()
                root = os.path.abspath(self.root)
                for folder in sorted(self._folders - {root}) + [root]:
                    _fsync_dir(folder)
        finally:
            self._close()

    def write_text(self, path: Union[str, Path], chunks: Iterable[str], *, errors: str = "strict") -> None:
        """Create the new file ``path`` (never an existing one, never through a link) holding the
        text of ``chunks`` in UTF-8 (``errors`` as for ``str.encode``)."""
        fd = _create(Path(path))
        try:
            with open(fd, "w", encoding="utf-8", errors=errors, closefd=False) as fh:
                for chunk in chunks:
                    fh.write(chunk)
        except BaseException:
            os.close(fd)
            Path(path).unlink(missing_ok=True)
            raise
        self._fds.append(fd)
        self._folders.add(os.path.dirname(os.path.abspath(path)))
        self.written += 1
        if len(self._fds) >= SYNC_BATCH:
            self._sync()

    def _sync(self) -> None:
        if self._pool is None and len(self._fds) > 1:
            self._pool = ThreadPoolExecutor(SYNC_THREADS)
        try:
            _sync_all(self._fds, self._pool)
        finally:
            self._close_files()

    def _close_files(self) -> None:
        fds, self._fds = self._fds, []
        for fd in fds:
            os.close(fd)

    def _close(self) -> None:
        self._close_files()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def _fsync_dir(folder: Union[str, Path]) -> None:
    """Make the renames in ``folder`` durable (where folders can be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _staged_path(root: Path, rel: str) -> Path:
    target = root / rel
    depth = len(Path(rel).parts) - 1
    return target.with_name(f"{_STAGED}{depth}.{target.name}~")


def _rel(path: Union[str, Path], root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def write_files(root: Path, files: dict[str, bytes], *, folders: Optional[dict[str, Path]] = None,
                meta: Optional[dict[str, Any]] = None, exclusive: bool = False,
                removals: Iterable[str] = ()) -> list[Path]:
    """Write ``files`` (paths relative to ``root``, each in an existing folder) all or nothing;
    with ``folders`` (a path relative to ``root`` -> a complete folder beside it, such as a
    ``staging`` folder), put those folders in place in the same step (``replace_dir``).

    Every file is first written beside its target under a staged name; then a journal listing the
    renames (and the folders, by inode) is put in ``root`` with one atomic rename (the commit
    point); then the files are renamed and the folders swapped into place, and the journal
    removed. Killed before the commit point, nothing changed (the staged files are removed by
    ``finish_writes``); killed after it, ``finish_writes`` completes the write. ``meta`` is kept
    in the journal for ``pending_write``. Writes rooted in one folder take turns; ``exclusive``
    refuses (``FileExistsError``, nothing written) when a file exists already, checked in turn.
    ``removals`` (paths relative to ``root``) are removed in the same step, after the commit point:
    all of them with the files written, or none (``remove``). Returns the written paths."""
    root = Path(root)
    staged: list[list[Any]] = []
    journal_tmp = _staged_path(root, JOURNAL)

    def undo() -> None:
        for tmp, *_ in staged:
            (root / tmp).unlink(missing_ok=True)
        journal_tmp.unlink(missing_ok=True)

    with _folder_lock(root):
        _finish(root)
        if exclusive:
            for rel in files:
                if os.path.lexists(root / rel):
                    raise FileExistsError(errno.EEXIST, "exists already", display_path(root / rel))
        try:
            targets = {_staged_path(root, rel): rel for rel in files}

            def created(tmp: Path) -> None:
                staged.append([_rel(tmp, root), targets[tmp], sha256_hex(files[targets[tmp]])])

            _write_all_synced([(tmp, files[rel]) for tmp, rel in targets.items()], created)
            swaps = []
            for rel, folder in (folders or {}).items():
                st = os.stat(folder, follow_symlinks=False)
                swaps.append([_rel(folder, root), rel, st.st_dev, st.st_ino])
            plan: dict[str, Any] = {"renames": staged, "folders": swaps}
            if removals:
                plan["removals"] = sorted(set(removals))
            if meta is not None:
                plan["meta"] = meta
            _write_synced(journal_tmp, json.dumps(plan).encode("utf-8"))
        except BaseException:
            undo()
            raise
        with _no_interrupt():
            try:
                os.replace(journal_tmp, root / JOURNAL)  # the commit point
            except BaseException:
                undo()
                raise
            _fsync_dir(root)
            try:
                _finish(root)
            except OSError as exc:
                raise WriteUnfinished(
                    f"the write was committed but could not be finished ({exc.strerror or exc}: "
                    f"{display_path(exc.filename or root)}); run the command again to finish it") from exc
    return [root / rel for rel in files]


def finish_writes(root: Path) -> bool:
    """Complete or undo a ``write_files`` that was interrupted in ``root``: with a journal, finish
    its renames and folder swaps; without one, remove staged files left behind. Returns True when
    there was anything to do. Safe to call at any time (it waits for a write in progress in
    ``root``), and again after being interrupted itself."""
    root = Path(root)
    with _folder_lock(root):
        return _finish(root)


def pending_write(root: Path) -> Optional[dict[str, Any]]:
    """The ``meta`` of the journal of an interrupted ``write_files`` in ``root`` (``{}`` when it has
    none); None when there is no journal."""
    try:
        return json.loads((Path(root) / JOURNAL).read_text(encoding="utf-8")).get("meta") or {}
    except FileNotFoundError:
        return None


def _finish(root: Path) -> bool:
    journal = root / JOURNAL
    did = False
    if journal.is_file():
        plan = json.loads(journal.read_text(encoding="utf-8"))
        with _no_interrupt():
            for tmp, rel, dev, ino in plan.get("folders", []):
                _finish_folder(root, journal, root / tmp, root / rel, (dev, ino))
            targets = set()
            for tmp, rel, *digest in plan["renames"]:
                target = root / rel
                if os.path.lexists(root / tmp):
                    os.replace(root / tmp, target)
                elif digest and (not target.is_file() or sha256_hex(target.read_bytes()) != digest[0]):
                    raise WriteUnfinished(
                        f"cannot finish the interrupted write of {display_path(journal)}: {display_path(root / tmp)} is "
                        f"gone and {display_path(target)} does not hold what it should; restore the files it lists "
                        f"(version control) and remove {display_path(journal)}")
                targets.add(target.parent)
            for rel in plan.get("removals", []):  # a rerun finds some gone already
                (root / rel).unlink(missing_ok=True)
                targets.add((root / rel).parent)
            for folder in sorted(targets):
                _fsync_dir(folder)
            journal.unlink()
            _fsync_dir(root)
        did = True
    for leftover in staged_leftovers(root):
        leftover.unlink(missing_ok=True)
        did = True
    return did


def _inode(path: Path) -> Optional[tuple[int, int]]:
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def _finish_folder(root: Path, journal: Path, staged: Path, target: Path, inode: tuple[int, int]) -> None:
    """Put the staged folder of a journal in place, once: which of the two paths holds the new
    folder is told by its inode, which a rename or an exchange keeps."""
    if _inode(target) == inode:  # done already; ``staged`` may still hold the old folder
        if os.path.lexists(staged):
            _discard(staged)
        return
    if _inode(staged) == inode:
        replace_dir(staged, target)
        return
    raise WriteUnfinished(f"cannot finish the interrupted write of {display_path(journal)}: the new "
                          f"{display_path(target)} ({display_path(staged)}) is gone; remove {display_path(journal)} "
                          "and run the command again")


def _journaled_paths(folder: Path) -> set[str]:
    """The staged files and folders named by pending journals in ``folder`` and the folders above
    it (a write's staged paths are all below its root)."""
    found: set[str] = set()
    here = Path(os.path.abspath(folder))
    for d in (here, *here.parents):
        try:
            plan = json.loads((d / JOURNAL).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for tmp, *_ in [*plan.get("renames", []), *plan.get("folders", [])]:
            found.add(os.path.abspath(d / tmp))
    return found


def _journaled(path: Path) -> bool:
    return os.path.abspath(path) in _journaled_paths(Path(path).parent)


def staged_leftovers(root: Path) -> list[Path]:
    """Staged files of an interrupted ``write_files`` rooted at ``root`` (one folder level deep)."""
    root = Path(root)
    found = []
    for depth, pattern in ((0, f"{_STAGED}*"), (1, f"*/{_STAGED}*")):
        for p in root.glob(pattern):
            m = _STAGED_NAME.fullmatch(p.name)
            if p.is_file() and (m is None or int(m[1]) == depth):
                found.append(p)
    return sorted(found)
