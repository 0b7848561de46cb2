"""File helpers shared by the commands that read and write files: bounded reads of regular files
only, atomic writes that keep the replaced file's mode, and an atomic exchange of two folders.

Reading: :func:`read_regular` refuses what is not a regular file (a FIFO would block forever, a
device such as ``/dev/zero`` never ends) and what is larger than :data:`MAX_INPUT_BYTES`, with a
:class:`RefusedFile` (an ``OSError``, so every caller that reports I/O trouble reports it).

Writing: :func:`write_text_atomic` writes through a temporary file in the same folder and a
rename; the new file gets the mode of the file it replaces (0644 for a new file), not the 0600
of a temporary file. :func:`replace_folder` swaps a whole folder for a staged one so that the
folder exists, old or new, at every instant (``renameat2(RENAME_EXCHANGE)`` on Linux).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "MAX_INPUT_BYTES",
    "RefusedFile",
    "exchange_folders",
    "read_regular",
    "read_regular_text",
    "replace_folder",
    "splice",
    "write_files_atomic",
    "write_text_atomic",
]

MAX_INPUT_BYTES = 100 * 1024 * 1024
"""The largest input file read (records, seeds, drafts, predictions, brat and Label Studio files)."""

NEW_FILE_MODE = 0o644


class RefusedFile(OSError):
    """A path that is not read: not a regular file, or larger than the limit."""


def read_regular(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; raise OSError (RefusedFile) otherwise.

    The file is opened without blocking (a FIFO does not wait for a writer) and checked on the
    open descriptor, so it cannot be swapped for a FIFO between the check and the read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(f"{path} is not a regular file (a folder, FIFO, socket or device); refused")
        if info.st_size > limit:
            raise RefusedFile(f"{path} is {info.st_size:,} bytes, over the limit of {limit:,} bytes; refused")
        # read what fstat announced, plus one byte to notice a file that grew meanwhile
        data = handle.read(info.st_size + 1)
        if len(data) > info.st_size:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise RefusedFile(f"{path} grew past the limit of {limit:,} bytes while being read; refused")
    return data


def read_regular_text(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """:func:`read_regular` decoded as UTF-8 (UnicodeDecodeError, a ValueError, on bad bytes)."""
    return read_regular(path, limit).decode("utf-8")


def _target_mode(path: Path) -> int:
    try:
        info = path.stat()
    except OSError:
        return NEW_FILE_MODE
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else NEW_FILE_MODE


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _target_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically, keeping its mode."""
    write_bytes_atomic(path, text.encode("utf-8"))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> Callable[..., int] | None:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        function: Callable[..., int] = libc.renameat2
    except (OSError, AttributeError):
        return None
    return function


def exchange_folders(a: Path, b: Path) -> bool:
    """Atomically exchange two existing paths; False where the system cannot (then nothing moved)."""
    function = _renameat2()
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    import ctypes

    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: no exchange on this system
        return False
    raise OSError(errno, os.strerror(errno), str(a))


def replace_folder(staging: Path, target: Path) -> None:
    """Put the folder ``staging`` in the place of ``target``; ``target`` exists at every instant.

    With an exchange the old folder ends up at ``staging``'s path and is removed. Without one (not
    Linux) the old folder is moved aside first: a crash between the two renames leaves it aside,
    never lost.
    """
    if not target.exists():
        os.replace(staging, target)
        return
    if exchange_folders(staging, target):
        shutil.rmtree(staging, ignore_errors=True)
        return
    aside = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.replace(target, aside)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def write_files_atomic(folder: Path, files: Mapping[str, str]) -> list[Path]:
    """Write several files (name to text) into ``folder``, all or nothing.

    The folder is staged beside itself (unchanged files hard-linked, or copied where links are
    impossible), the new files are written there, and the staged folder replaces the old one in
    one exchange; a crash at any point leaves the old folder or the new one.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _folder_lock(folder.parent):
        # under the lock, staging folders left beside this one are from killed writers
        for stale in folder.parent.glob(f".{folder.name}.write-*"):
            shutil.rmtree(stale, ignore_errors=True)
        return _write_files_staged(folder, files)


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on a folder (waits for the holder); the kernel drops it if we die."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _write_files_staged(folder: Path, files: Mapping[str, str]) -> list[Path]:
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.write-", dir=folder.parent))
    try:
        if folder.exists():
            os.chmod(staging, stat.S_IMODE(folder.stat().st_mode))
            for entry in folder.iterdir():
                if entry.name in files:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, staging / entry.name, symlinks=True, copy_function=_link_or_copy)
                else:
                    _link_or_copy(entry, staging / entry.name)
        else:
            os.chmod(staging, 0o755)
        for name, text in files.items():
            write_text_atomic(staging / name, text)
            if (folder / name).is_file():
                os.chmod(staging / name, _target_mode(folder / name))
        replace_folder(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in files]


def _link_or_copy(source: str | Path, destination: str | Path) -> None:
    if Path(source).is_symlink():
        os.symlink(os.readlink(source), destination)
        return
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def splice(document: str, begin: str, end: str, content: str) -> str:
    """Replace what stands between the marker lines ``begin`` and ``end`` of ``document``.

    Used for generated blocks inside hand-written Markdown (the README's statistics, the table of
    AGREEMENT.md). Raises ValueError when a marker is missing.
    """
    head, found_begin, rest = document.partition(begin)
    _, found_end, tail = rest.partition(end)
    if not (found_begin and found_end):
        raise ValueError(f"markers {begin!r} ... {end!r} not found")
    return f"{head}{begin}\n{content}{end}{tail}"
