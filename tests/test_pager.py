"""Paging as git does: on a terminal through $PAGER (or less -FRX), never when piped or as JSON,
and Ctrl-C or a pager quit early still end with the documented status."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from kvsearch.cli import pager

# A pager that records what it was given and the LESS it ran with, then shows it.
FAKE_PAGER = """#!/bin/sh
printf '%s' "${LESS-unset}" > "$1.less"
tee "$1"
"""


def kvsearch(*args: str, env: dict[str, str], terminal: bool) -> tuple[int, str, str]:
    """Run the command with stdout on a pseudo-terminal of 100 columns (or a pipe); returns
    (status, what reached the terminal or pipe, stderr)."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("LESS", "PAGER", "KVSEARCH_PAGER", "COLUMNS")}
    full_env.update({"NO_COLOR": "1", **env})
    command = [sys.executable, "-m", "kvsearch", *args]
    if not terminal:
        proc = subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen(command, stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=full_env)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer of the terminal has closed it
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    return proc.wait(timeout=120), shown.decode().replace("\r\n", "\n"), err


def fake_pager(tmp_path: Path) -> tuple[dict[str, str], Path]:
    script = tmp_path / "pager.sh"
    script.write_text(FAKE_PAGER)
    record = tmp_path / "paged.txt"
    return {"PAGER": f"sh {script} {record}"}, record


def test_output_to_a_terminal_goes_through_the_pager_with_less_set_as_git_does(index_dir: Path, tmp_path: Path) -> None:
    env, record = fake_pager(tmp_path)
    code, shown, _ = kvsearch("search", "Oeigoeren", "--index", str(index_dir), env=env, terminal=True)
    assert code == 0
    assert "kv-2020Z25656 ¶" in record.read_text() and "kv-2020Z25656 ¶" in shown
    assert Path(f"{record}.less").read_text() == "FRX"
    # A LESS of the user's own is left as it is.
    record.unlink()
    code, _, _ = kvsearch("show", "kv-2020Z25656", "--index", str(index_dir), env={**env, "LESS": "-S"}, terminal=True)
    assert code == 0 and "Oeigoeren" in record.read_text()
    assert Path(f"{record}.less").read_text() == "-S"


def test_snippets_fit_the_terminal_width(index_dir: Path, tmp_path: Path) -> None:
    _, shown, _ = kvsearch("search", "Oeigoeren", "--index", str(index_dir), env={"PAGER": "cat"}, terminal=True)
    assert shown and max(len(line) for line in shown.splitlines()) <= 100
    assert any(len(line) > 80 for line in shown.splitlines())  # the terminal's 100, not 80


@pytest.mark.parametrize(
    "args",
    [
        ("search", "Oeigoeren", "--no-pager"),
        ("search", "Oeigoeren", "--json"),
        ("similar", "kv-2020Z25656", "--json"),
        ("show", "kv-2020Z25656", "--no-pager"),
    ],
)
def test_no_pager_when_asked_or_for_json(index_dir: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    env, record = fake_pager(tmp_path)
    code, shown, _ = kvsearch(*args, "--index", str(index_dir), env=env, terminal=True)
    assert code == 0 and shown and not record.exists()


@pytest.mark.parametrize("command", ["search", "similar", "show", "stats"])
def test_piped_output_never_pages(index_dir: Path, tmp_path: Path, command: str) -> None:
    env, record = fake_pager(tmp_path)
    args = {"search": ("Oeigoeren",), "similar": ("kv-2020Z25656",), "show": ("kv-2020Z25656",), "stats": ("--by", "year")}
    code, out, _ = kvsearch(command, *args[command], "--index", str(index_dir), env=env, terminal=False)
    assert code == 0 and out and not record.exists()


def test_a_missing_pager_shows_the_output_unpaged(index_dir: Path) -> None:
    code, shown, err = kvsearch(
        "search", "Oeigoeren", "--index", str(index_dir), env={"PAGER": "geen-pager-hier -R"}, terminal=True
    )
    assert code == 0 and "kv-2020Z25656 ¶" in shown and "not found" not in err


def test_nothing_found_on_a_terminal_still_exits_1(index_dir: Path, tmp_path: Path) -> None:
    env, record = fake_pager(tmp_path)
    code, shown, _ = kvsearch("search", "zeppelinhangar", "--index", str(index_dir), env=env, terminal=True)
    assert (code, shown) == (1, "") and not record.exists()


def test_a_pager_quit_before_the_end_is_no_error(index_dir: Path) -> None:
    # The reader presses q at once: the rest of the output has nowhere to go.
    code, _, err = kvsearch(
        "search", "china OR kabinet", "-m", "0", "-n", "100", "-F", "--index", str(index_dir),
        env={"PAGER": "head -c 20"}, terminal=True,
    )
    assert code == 0 and "error" not in err and "Traceback" not in err


def test_paged_block_ends_quietly_when_the_pager_reads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGER", "true")
    real = sys.stdout
    with pager.paged(True):
        for _ in range(20_000):  # far more than a pipe holds: the write fails for certain
            print("De minister heeft de Kamer geïnformeerd over de stand van zaken.")
    assert sys.stdout is real


def test_ctrl_c_waits_for_the_pager_then_exits_130(index_dir: Path, tmp_path: Path) -> None:
    # The pager stays until the reader quits it; Ctrl-C meanwhile must not hand the terminal
    # back to the shell under the pager's feet.
    script = tmp_path / "pager.sh"
    script.write_text(f'#!/bin/sh\ncat > "{tmp_path}/seen"\ntouch "{tmp_path}/ready"\n'
                      f'while [ ! -e "{tmp_path}/quit" ]; do sleep 0.05; done\n')
    master, slave = pty.openpty()
    env = {**os.environ, "PAGER": f"sh {script}", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kvsearch", "search", "Oeigoeren", "--index", str(index_dir)],
        stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
    )
    os.close(slave)
    try:
        for _ in range(1200):
            if (tmp_path / "ready").exists():
                break
            time.sleep(0.05)
        assert "Oeigoeren" in (tmp_path / "seen").read_text()
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        assert proc.poll() is None  # still waiting for the pager to be quit
        (tmp_path / "quit").touch()
        assert proc.wait(timeout=60) == 130
        assert proc.stderr is not None
        assert proc.stderr.read().decode().splitlines()[-1] == "kvsearch: error: interrupted"
    finally:
        (tmp_path / "quit").touch()
        proc.kill()
        os.close(master)


def test_pager_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KVSEARCH_PAGER", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    assert pager.pager_command() == ("less" if pager.shutil.which("less") else None)
    monkeypatch.setenv("PAGER", "cat")
    assert pager.pager_command() is None
    monkeypatch.setenv("PAGER", "")
    assert pager.pager_command() is None
    monkeypatch.setenv("KVSEARCH_PAGER", "more")
    assert pager.pager_command() == ("more" if pager.shutil.which("more") else None)
