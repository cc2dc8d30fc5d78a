"""Safe output files: modes, refused targets, interruptions, stale temporaries, new files.

Everything runs on real files; signals are real and sent to real subprocesses. Only the
OS is monkeypatched (os.write, os.fsync, os.link) to simulate a full disk or a pause."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefgen import interruption
from briefgen.files import (
    UnsafeTarget,
    check_target,
    create_atomically,
    write_atomically,
)
from briefgen.interruption import Interrupted

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- modes -----------------------------------------------------------------------------


@pytest.mark.parametrize(("mask", "expected"), [(0o077, 0o600), (0o022, 0o644), (0o027, 0o640)])
@pytest.mark.parametrize("write", [write_atomically, create_atomically])
def test_a_new_file_follows_the_umask(tmp_path, write, mask, expected):
    target = tmp_path / "book.pdf"
    with umask(mask):
        write(target, b"CONFIDENTIAL")
    assert mode(target) == expected
    assert target.read_bytes() == b"CONFIDENTIAL"


@pytest.mark.parametrize(("old", "mask"), [(0o600, 0o022), (0o640, 0o077), (0o664, 0o022)])
def test_a_replaced_file_keeps_its_mode(tmp_path, old, mask):
    target = tmp_path / "book.pdf"
    target.write_bytes(b"old")
    target.chmod(old)
    with umask(mask):
        write_atomically(target, b"new")
    assert (mode(target), target.read_bytes()) == (old, b"new")
    assert temporaries(tmp_path) == []


# -- refused targets ---------------------------------------------------------------------


def test_a_symbolic_link_is_refused_and_its_file_unchanged(tmp_path):
    real = tmp_path / "precious.txt"
    real.write_bytes(b"precious")
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    for attempt in (check_target, lambda p: write_atomically(p, b"pdf")):
        with pytest.raises(UnsafeTarget) as caught:
            attempt(link)
        assert str(caught.value) == f"{link}: refusing to write through a symbolic link"
        assert caught.value.strerror == "refusing to write through a symbolic link"
    assert link.is_symlink()
    assert real.read_bytes() == b"precious"
    assert temporaries(tmp_path) == []


def test_a_dangling_symbolic_link_is_refused_too(tmp_path):
    link = tmp_path / "link.pdf"
    link.symlink_to(tmp_path / "nowhere.pdf")
    with pytest.raises(UnsafeTarget, match="symbolic link"):
        write_atomically(link, b"pdf")
    with pytest.raises(FileExistsError):
        create_atomically(link, b"pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.pdf"]


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTarget) as caught:
        write_atomically(fifo, b"pdf")
    assert str(caught.value) == f"{fifo}: is a FIFO, not a regular file; refusing to replace it"
    assert isinstance(caught.value, OSError)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert temporaries(tmp_path) == []


def test_dev_null_and_directories_are_refused():
    with pytest.raises(UnsafeTarget, match=r"^/dev/null: is a character device, not a regular"):
        check_target(Path("/dev/null"))
    with pytest.raises(UnsafeTarget, match="is a directory, not a regular file"):
        check_target(Path())


def test_missing_and_regular_targets_pass_the_check(tmp_path):
    check_target(tmp_path / "absent.pdf")
    (tmp_path / "present.pdf").write_bytes(b"x")
    check_target(tmp_path / "present.pdf")


def test_the_target_is_checked_again_right_before_the_rename(tmp_path, monkeypatch):
    real = tmp_path / "precious.txt"
    real.write_bytes(b"precious")
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def swap_in_a_link(fd):  # while the temporary file is being written
        target.unlink()
        target.symlink_to(real)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", swap_in_a_link)
    with pytest.raises(UnsafeTarget, match="symbolic link"):
        write_atomically(target, b"new")
    assert target.is_symlink()
    assert real.read_bytes() == b"precious"
    assert temporaries(tmp_path) == []


# -- interruptions -----------------------------------------------------------------------

# Mimics the CLI: a Typer command writes through write_atomically; main() catches
# Interrupted. os.fsync announces that the temporary file exists, then waits for a signal.
SCRIPT = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import typer
    from briefgen import files, interruption

    def pause(fd):
        print("writing", flush=True)
        time.sleep(600)

    app = typer.Typer()

    @app.command()
    def build(target: Path) -> None:
        try:
            files.write_atomically(target, b"new" * 100_000)
        except Exception as exc:  # an interruption must not be swallowed here
            print(f"swallowed {exc!r}", file=sys.stderr)

    def main() -> None:
        interruption.install_signal_handlers()
        os.fsync = pause
        try:
            app()
        except interruption.Interrupted as exc:
            print(f"briefgen: {exc.message_now()}", file=sys.stderr)
            sys.exit(exc.code)

    main()
""")


def start_writer(tmp_path: Path, target: Path) -> subprocess.Popen:
    script = tmp_path / "writer.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(target)],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout.readline() == "writing\n", proc.communicate()
    return proc


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_removes_the_temporary_file_and_says_so(tmp_path, sig, code):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "book.pdf"
    target.write_bytes(b"previous")
    proc = start_writer(tmp_path, target)
    assert len(temporaries(out)) == 1
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code
    assert stderr == "briefgen: interrupted; nothing was written\n"
    assert sorted(p.name for p in out.iterdir()) == ["book.pdf"]
    assert target.read_bytes() == b"previous"


def test_after_a_sigkill_the_next_write_removes_the_stale_temporary(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = out / "book.pdf"
    target.write_bytes(b"previous")
    proc = start_writer(tmp_path, target)
    proc.kill()
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    [stale] = temporaries(out)
    assert stale.startswith(f".book.pdf.{proc.pid}.")
    assert target.read_bytes() == b"previous"
    write_atomically(target, b"new")
    assert sorted(p.name for p in out.iterdir()) == ["book.pdf"]
    assert target.read_bytes() == b"new"


def test_only_temporaries_of_dead_processes_are_removed(tmp_path):
    target = tmp_path / "book.pdf"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        names = {
            "alive": f".book.pdf.{sleeper.pid}.0123abcd.tmp",  # another live process: kept
            "dead": f".book.pdf.{dead}.0123abcd.tmp",  # its process is gone: removed
            "ours": f".book.pdf.{os.getpid()}.0123abcd.tmp",  # our pid, not in use: removed
            "other": f".other.pdf.{dead}.0123abcd.tmp",  # another target's: kept
            "unlike": ".book.pdf.notapid.tmp",  # not one of our names: kept
        }
        for name in names.values():
            (tmp_path / name).write_bytes(b"partial")
        write_atomically(target, b"new")
        left = {p.name for p in tmp_path.iterdir()}
        assert left == {"book.pdf", names["alive"], names["other"], names["unlike"]}
    finally:
        sleeper.kill()
        sleeper.wait()


def test_interrupted_is_a_system_exit_with_the_shell_code(monkeypatch):
    monkeypatch.setattr(interruption, "WRITTEN", [])
    assert issubclass(Interrupted, SystemExit)
    assert not issubclass(Interrupted, Exception)
    assert Interrupted(signal.SIGTERM).code == 143
    assert Interrupted(signal.SIGINT).code == 130
    assert Interrupted.message_now() == "interrupted; nothing was written"
    interruption.WRITTEN.append(Path("a.pdf"))
    assert Interrupted.message_now() == "interrupted after writing a.pdf; nothing else was written"


# -- failures and new files --------------------------------------------------------------


def full_disk(fd, data):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_keeps_the_previous_file_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "book.pdf"
    target.write_bytes(b"previous")
    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(OSError, match="No space left") as caught:
        write_atomically(target, b"new")
    assert caught.value.errno == errno.ENOSPC
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf"]
    assert target.read_bytes() == b"previous"


@pytest.mark.parametrize("write", [write_atomically, create_atomically])
def test_a_missing_folder_is_reported_by_the_target_name(tmp_path, write):
    target = tmp_path / "nowhere" / "book.pdf"
    with pytest.raises(FileNotFoundError) as caught:
        write(target, b"pdf")
    assert caught.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_create_refuses_an_existing_file(tmp_path):
    target = tmp_path / "trip.yaml"
    target.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        create_atomically(target, b"skeleton")
    assert target.read_bytes() == b"mine"
    assert temporaries(tmp_path) == []


def test_create_on_a_full_disk_leaves_nothing_and_a_retry_works(tmp_path, monkeypatch):
    target = tmp_path / "trip.yaml"
    with monkeypatch.context() as patch:
        patch.setattr(os, "write", full_disk)
        with pytest.raises(OSError, match="No space left"):
            create_atomically(target, b"skeleton")
    assert list(tmp_path.iterdir()) == []
    create_atomically(target, b"skeleton")
    assert target.read_bytes() == b"skeleton"
    assert [p.name for p in tmp_path.iterdir()] == ["trip.yaml"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP])
def test_create_without_hard_links_falls_back_to_a_checked_rename(tmp_path, monkeypatch, code):
    def no_links(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "trip.yaml"
    create_atomically(target, b"skeleton")
    assert target.read_bytes() == b"skeleton"
    with pytest.raises(FileExistsError):
        create_atomically(target, b"other")
    assert target.read_bytes() == b"skeleton"
    assert [p.name for p in tmp_path.iterdir()] == ["trip.yaml"]


def test_create_passes_other_link_errors_on_and_cleans_up(tmp_path, monkeypatch):
    def too_many(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "link", too_many)
    with pytest.raises(OSError, match="Input/output error"):
        create_atomically(tmp_path / "trip.yaml", b"skeleton")
    assert list(tmp_path.iterdir()) == []


def test_a_temporary_file_that_cannot_be_opened_is_a_clear_error(tmp_path, monkeypatch):
    """The folder refuses a new file (a user without write permission there): the build
    said `unexpected error: IsADirectoryError` (it tried to remove the temporary it never
    had, `Path("")`, the current folder)."""
    from briefgen import files
    from conftest import MINIMAL, run_cli

    def refused(target):
        raise PermissionError(errno.EACCES, "Permission denied", str(target.parent))

    monkeypatch.setattr(files, "open_temporary", refused)
    out = tmp_path / "memo.pdf"
    result = run_cli("build", MINIMAL, "--layout", "memo", "-o", out)
    assert result.returncode == 1
    assert "cannot write: Permission denied" in result.stderr
    assert "unexpected error" not in result.stderr
    assert not out.exists()
