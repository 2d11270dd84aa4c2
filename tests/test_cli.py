"""The kvsearch command through click's test runner and as a real process: output, JSON, exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvsearch import build_index

from .conftest import EVERY_DOCUMENT, FILTER_CASES, filter_ids, invoke, unpack_old_index


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command in a fresh process, as a user's shell would."""
    return subprocess.run(
        [sys.executable, "-m", "kvsearch", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "", **(env or {})},
        timeout=120,
    )


# The JSON contract (README): the keys of a hit, of its document, and of the --facets line.
HIT_KEYS = {"doc_id", "paragraph", "score", "question", "text", "spans", "more", "document"}
DOCUMENT_KEYS = {"doc_id", "submitted", "answered", "text_date", "days", "submitters", "ministers", "subjects",
                 "question_url", "answer_url", "question_id", "answer_id", "date", "date_source", "date_estimated"}
FACETS_KEYS = {"total", "total_documents", "suggestion", "facets"}
STATS_ROW_KEYS = {"key", "documents", "timed", "median_days", "over_21", "over_42"}
COMMANDS = {"check", "fetch", "index", "search", "show", "similar", "stats", "watch"}


def test_search_prints_heading_highlighted_passage_and_url(index_dir: Path) -> None:
    code, out, err = invoke("search", "gezichtsherkenning", "Oeigoeren", "--index", str(index_dir), "--color", "always")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("\x1b[1;36mkv-2020Z25656 ¶5 · 2021-04-13 · Stef Blok")
    assert "\x1b[1;31mgezichtsherkenning\x1b[0m" in out
    assert "https://zoek.officielebekendmakingen.nl/ah-tk-20202021-2310.html" in out
    assert err == (
        "kvsearch: warning: 1 passage with all the words; after them, passages with some of them\n"
        "6 passages in 2 documents, 1 with all the words (showing 1-4)\n"
    )


def test_no_colour_off_a_terminal_or_with_no_color(index_dir: Path) -> None:
    code, out, _ = invoke("search", "gezichtsherkenning", "--index", str(index_dir))
    assert code == 0 and "\x1b[" not in out
    proc = run("search", "gezichtsherkenning", "--index", str(index_dir), env={"NO_COLOR": "1"})
    assert proc.returncode == 0 and "\x1b[" not in proc.stdout
    # NO_COLOR sets the default (no-color.org); an explicit --color always wins over it.
    for command in (("search", "gezichtsherkenning"), ("show", "kv-2020Z25656"), ("similar", "kv-2020Z25656")):
        proc = run(*command, "--color", "always", "--index", str(index_dir), env={"NO_COLOR": "1"})
        assert proc.returncode == 0 and "\x1b[1;36m" in proc.stdout, command


def test_json_lines_one_object_per_hit_and_nothing_else(index_dir: Path) -> None:
    code, out, err = invoke("search", "Oeigoeren", "--json", "--index", str(index_dir))
    assert code == 0
    # The totals as without --json: the last line on stderr, never on stdout.
    assert err.splitlines()[-1] == invoke("search", "Oeigoeren", "--index", str(index_dir))[2].splitlines()[-1]
    assert err.splitlines()[-1].startswith(f"{len(out.splitlines())} passage")
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["doc_id"], r["paragraph"]) for r in records] == [("kv-2020Z25656", 5), ("kv-2020Z25656", 11)]
    for rec in records:
        assert rec.keys() == HIT_KEYS and rec["document"].keys() == DOCUMENT_KEYS
        for start, end in rec["spans"]:
            assert rec["text"][start:end].lower() == "oeigoeren"
    assert records[0]["document"]["answered"] == "2021-04-13"


def test_nothing_found_exits_1(index_dir: Path) -> None:
    code, out, _ = invoke("search", "zeppelinhangar", "--index", str(index_dir))
    assert code == 1 and out == ""


def test_bad_query_is_one_line_on_stderr_and_exit_2(index_dir: Path) -> None:
    code, out, err = invoke("search", "beantwoord:2021-02-30", "--index", str(index_dir))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("kvsearch: error: impossible date")


def test_usage_error_is_one_line_and_exit_2() -> None:
    code, _, err = invoke("search")
    assert code == 2
    assert err.count("\n") == 1 and "kvsearch search --help" in err


def test_bare_command_prints_the_help_as_click_does() -> None:
    # click's convention for a group called without a command: the help on stderr, status 2.
    code, out, err = invoke()
    assert code == 2 and out == ""
    assert err.startswith("Usage: kvsearch [OPTIONS] COMMAND [ARGS]...\n")
    assert "\ufffd" not in err and "  search " in err and "error" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "--lmit", "3", "x"), "kvsearch: error: No such option '--lmit'."),
        (("bogus",), "kvsearch: error: No such command 'bogus'."),
        (("search", "x", "--sort", "foo"), "kvsearch: error: Invalid value for '--sort'"),
    ],
)
def test_other_usage_errors_stay_one_line(args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(message) and "\ufffd" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "china", "-n"), "-n needs a number (see 'kvsearch search --help')"),
        (("search", "china", "--offset"), "--offset needs a number (see 'kvsearch search --help')"),
        (("search", "china", "-m"), "-m needs a number (see 'kvsearch search --help')"),
        (("search", "china", "--party"), "--party needs a value (see 'kvsearch search --help')"),
        (("stats", "china", "--by"), "--by needs a value (see 'kvsearch stats --help')"),
    ],
)
def test_an_option_without_its_value_says_what_it_needs(args: tuple[str, ...], message: str) -> None:
    # click took the '--' put before the query words for the missing value: "'--' is not a
    # valid integer range", though nobody typed '--'.
    assert invoke(*args) == (2, "", f"kvsearch: error: {message}\n")


def test_a_word_starting_with_a_dash_is_not_an_option(index_dir: Path) -> None:
    ix = ("--index", str(index_dir), "--json")
    code, out, _ = invoke("search", "china -Oeigoeren", *ix)
    assert code == 0 and out and "Oeigoeren" not in out
    # -huawei reads as -h (help) -uawei to click, -nato as -n ato: both are query words here.
    for args in (("china", "-Oeigoeren"), ("-Oeigoeren", "china"), ("china", "-huawei", "-nato")):
        assert invoke("search", *args, *ix) == invoke("search", " ".join(args), *ix)
    # Real options still work, also glued to their number; an unknown --option is still an error.
    code, out, _ = invoke("search", "china", "-n1", "-m", "0", *ix)
    assert code == 0 and len(out.splitlines()) == 1
    code, out, _ = invoke("search", "china", "-n", "2", "-m", "0", *ix)
    assert code == 0 and len(out.splitlines()) == 2
    code, _, err = invoke("search", "china", "--bogus", *ix)
    assert code == 2 and "No such option '--bogus'" in err
    code, out, _ = invoke("stats", "china", "-Oeigoeren", "--index", str(index_dir))
    assert code == 0 and "passages 3" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2021-02-30"), "--since: impossible date '2021-02-30'"),
        (("--until", "morgen"), "--until: cannot read date 'morgen' (use 2021, 2021-03 or 2021-03-05)"),
        (("--since", "2022", "--until", "2021-06"), "--since 2022 is after --until 2021-06"),
        (("--since", "{until}"), "--since: cannot read date '{until}' (use 2021, 2021-03 or 2021-03-05)"),
    ],
)
def test_a_filter_error_names_the_option(index_dir: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = invoke("search", "china", *args, "--index", str(index_dir))
    assert (code, out, err) == (2, "", f"kvsearch: error: {message}\n")


def test_a_page_past_the_listed_passages_says_why_and_exits_1(index_dir: Path) -> None:
    code, out, _ = invoke("search", "china", "--index", str(index_dir))
    assert code == 0 and "more passages in this document" in out
    code, out, err = invoke("search", "china", "--offset", "3", "--index", str(index_dir))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no passages on this page: at most 3 shown per document, use -m 0" in err


def test_a_reader_that_goes_away_ends_the_command_quietly(index_dir: Path) -> None:
    # `kvsearch search … | head -1`: the pipe is closed before the command writes.
    proc = subprocess.Popen(
        [sys.executable, "-m", "kvsearch", "search", "china OR kabinet", "-m", "0", "-n", "100", "--index", str(index_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": ""},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and err == ""


def test_similar_prints_totals_and_says_when_no_other_answer_is_alike(
    index_dir: Path, corpus_dir: Path, tmp_path: Path
) -> None:
    for extra in ((), ("--json",)):
        code, out, err = invoke("similar", "ah-tk-20202021-1002", "--index", str(index_dir), *extra)
        assert (code, err) == (0, "13 passages in 4 documents (showing 1-4)\n")
        assert out.startswith("kv-2020Z25656 ¶3 · 2021-04-13 · Stef Blok" if not extra else '{"doc_id": "kv-2020Z25656"')
    # A document is never like itself: the sample corpus of one document has nothing to list.
    (tmp_path / "corpus").mkdir()
    shutil.copy(corpus_dir / "kv-2020Z25656.txt", tmp_path / "corpus")
    build_index(tmp_path / "corpus", tmp_path / "ix")
    code, out, err = invoke("similar", "ah-tk-20202021-2310", "--index", str(tmp_path / "ix"))
    assert (code, out) == (1, "")
    assert err == "0 passages in 0 documents; no other answer is like ah-tk-20202021-2310\n"


def test_missing_corpus_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    proc = run("search", "kabinet", "--index", str(tmp_path / "ix"), "--corpus", str(tmp_path / "nergens"))
    assert proc.returncode == 2 and proc.stdout == ""
    # One line, not "building it first" followed by the error.
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("kvsearch: error: no index in ")
    assert "no corpus directory" in proc.stderr


def test_check_without_an_index_is_an_error(tmp_path: Path, corpus_dir: Path) -> None:
    for extra in ((), ("--json",)):
        code, out, err = invoke("check", "--index", str(tmp_path / "ix"), "--corpus", str(corpus_dir), *extra)
        assert code == 2 and out == ""
        assert err == f"kvsearch: error: no index in {tmp_path / 'ix'} (run 'kvsearch index')\n"


def test_stats_of_nothing_says_so_and_exits_1(index_dir: Path) -> None:
    code, out, err = invoke("stats", "zeppelinhangar", "--index", str(index_dir))
    assert code == 1 and out == "" and err == "kvsearch: no answers match\n"
    code, out, _ = invoke("stats", "zeppelinhangar", "--json", "--index", str(index_dir))
    assert code == 1 and json.loads(out)["documents"] == 0


def test_ctrl_c_is_one_line_and_status_130(
    monkeypatch: pytest.MonkeyPatch, corpus_dir: Path, index_dir: Path, tmp_path: Path
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kvsearch.index.build.build_index", interrupted)
    code, out, err = invoke("index", "--corpus", str(corpus_dir), "--index", str(tmp_path / "ix"))
    assert (code, out, err) == (130, "", "kvsearch: error: interrupted; the previous index is unchanged\n")
    monkeypatch.setattr("kvsearch.api.search", interrupted)
    code, out, err = invoke("search", "china", "--index", str(index_dir))
    assert (code, out, err) == (130, "", "kvsearch: error: interrupted\n")


def test_broken_index_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "CURRENT").write_text("gen-000001\n")
    (tmp_path / "gen-000001").mkdir()
    proc = run("search", "kabinet", "--index", str(tmp_path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("kvsearch: error: ")


def test_first_search_builds_the_index_with_a_note(corpus_dir: Path, tmp_path: Path) -> None:
    proc = run("search", "gezichtsherkenning", "--index", str(tmp_path / "ix"), "--corpus", str(corpus_dir))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == f"kvsearch: no index in {tmp_path / 'ix'} yet; building it from {corpus_dir} first"
    assert lines[-1] == "5 passages in 2 documents (showing 1-4)"
    assert proc.stdout.startswith("2021/ah-tk-20202021-1002 ¶2 · 2021-01-26 · Ferd Grapperhaus")


def test_index_command_summary_and_rejected_file_exit_3(corpus_dir: Path, tmp_path: Path) -> None:
    proc = run("index", "--corpus", str(corpus_dir), "--index", str(tmp_path / "ix"))
    assert proc.returncode == 3
    assert "kapot.txt" in proc.stderr
    summary = proc.stderr.strip().splitlines()[-1]
    assert summary.startswith("indexed 9 documents, 44 passages; full build: 9 added, 0 changed, 0 removed; 1 rejected; ")


def test_show_prints_metadata_and_numbered_paragraphs(index_dir: Path) -> None:
    code, out, _ = invoke("show", "ah-tk-20202021-2310", "--index", str(index_dir))
    assert code == 0
    lines = out.splitlines()
    assert lines[:10] == [
        "Document         kv-2020Z25656",
        "Ingediend        2020-12-22",
        "Beantwoord       2021-04-13 (na 112 dagen)",
        "Indiener         Martijn van Helvert (CDA)",
        "Beantwoord door  Stef Blok (minister buitenlandse zaken, VVD)",
        "Onderwerpen      openbare orde en veiligheid; organisatie en beleid",
        "Bron vraag       https://zoek.officielebekendmakingen.nl/kv-tk-2020Z25656.html",
        "Bron antwoord    https://zoek.officielebekendmakingen.nl/ah-tk-20202021-2310.html",
        "",
        "  1  Ja.",
    ]
    numbered = [line for line in lines[9:] if re.match(r"^ *\d+  ", line)]  # long paragraphs wrap
    assert len(numbered) == 20 and numbered[-1].startswith(" 20  Tijdens de 46e sessie van de VN Mensenrechtenraad")


def test_show_unknown_id_exits_2(index_dir: Path) -> None:
    code, _, err = invoke("show", "bestaat-niet", "--index", str(index_dir))
    assert code == 2 and "no document" in err


def test_python_dash_m_and_help() -> None:
    proc = run("--help")
    assert proc.returncode == 0 and proc.stdout.startswith("Usage: kvsearch [OPTIONS] COMMAND [ARGS]...\n")
    listed = proc.stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=80).filter(lambda s: not s.startswith("-")))
def test_any_query_ends_in_a_result_or_a_clear_error(index_dir: Path, query: str) -> None:
    code, _, err = invoke("search", query, "--index", str(index_dir))
    assert code in (0, 1, 2)
    if code == 2:
        assert err.startswith("kvsearch: error: ") and "Traceback" not in err


def test_facets_and_suggestion_and_sort_from_the_terminal(index_dir: Path) -> None:
    code, out, err = invoke("search", "camera OR kinderopvang", "--facets", "--sort", "newest", "--index", str(index_dir))
    assert code == 0 and out.endswith(
        "\n\nMinister: Ferd Grapperhaus (1), Stef Blok (1), Wouter Koolmees (1)\n"
        "Ministerie: buitenlandse zaken (1), justitie en veiligheid (1), sociale zaken en werkgelegenheid (1)\n"
        "Partij: CDA (2), D66 (1), PvdA (1)\n"
        "Jaar: 2021 (3)\n"
    )
    # Newest first: Blok's answer of 13 April, Koolmees's of 15 March, Grapperhaus's of 26 January.
    headings = [line.split(" ¶")[0] for line in out.splitlines() if " ¶" in line]
    assert list(dict.fromkeys(headings)) == ["kv-2020Z25656", "2021/ah-tk-20202021-1001", "2021/ah-tk-20202021-1002"]
    code, _, err = invoke("search", "gezichtsherkening", "--index", str(index_dir))
    assert err.splitlines()[0] == "Bedoelde u: gezichtsherkenning"


def test_similar_and_stats_commands(index_dir: Path) -> None:
    code, out, _ = invoke("similar", "ah-tk-20202021-1002", "--index", str(index_dir))
    assert code == 0 and out.splitlines()[0].startswith("kv-2020Z25656 ¶3 · 2021-04-13 · Stef Blok")
    code, _, err = invoke("similar", "--index", str(index_dir))
    assert code == 2 and err.startswith("kvsearch: error: give a DOC_ID or --text (see")
    code, _, err = invoke("similar", "x", "--text", "y", "--index", str(index_dir))
    assert code == 2 and err.startswith("kvsearch: error: give a DOC_ID or --text, not both")
    code, out, _ = invoke("stats", "--by", "year", "--index", str(index_dir))
    assert code == 0
    assert out.splitlines()[4:] == [
        "            docs  timed  median days  > 21 days  > 42 days",
        "alle           9      8         39.5        75%        25%",
        "2016           1      1           22       100%         0%",
        "2021           3      3           40        67%        33%",
        "2022           2      2         31.5        50%         0%",
        "2023           1      1           43       100%       100%",
        "2024           1      1           39       100%         0%",
        "(onbekend)     1      0            -          -          -",
    ]


def test_a_search_while_another_process_builds_the_first_index_waits_for_it(
    index_dir: Path, corpus_dir: Path, tmp_path: Path
) -> None:
    from kvsearch.index.generations import build_lock

    target = tmp_path / "ix"
    with build_lock(target):  # this test is the other build
        proc = subprocess.Popen([sys.executable, "-m", "kvsearch", "search", "Oeigoeren", "--index", str(target),
                                 "--corpus", str(corpus_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, "NO_COLOR": ""})
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first.startswith(f"kvsearch: no index in {target} yet; waiting for the build running on it (pid {os.getpid()})")
        # The build publishes its index: the generation, then CURRENT.
        for gen in index_dir.glob("gen-*"):
            shutil.copytree(gen, target / gen.name)
        shutil.copy(index_dir / "CURRENT", target / "CURRENT")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Oeigoeren" in out
    assert "another build" not in err and "building it" not in err


@pytest.mark.parametrize(
    ("redirect", "reason"), [(">/dev/full", "No space left on device"), (">&-", "standard output is closed")]
)
@pytest.mark.parametrize("command", ["search china", "search china --json", "show kv-2020Z25656", "stats --by year"])
def test_output_that_cannot_be_written_is_one_error_line(
    index_dir: Path, redirect: str, reason: str, command: str
) -> None:
    if redirect == ">/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    proc = subprocess.run(
        f'"{sys.executable}" -m kvsearch {command} --index "{index_dir}" {redirect}',
        shell=True, capture_output=True, text=True, timeout=120,
    )
    assert (proc.returncode, proc.stderr.splitlines()[-1]) == (2, f"kvsearch: error: cannot write output: {reason}")
    assert "unexpected" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_a_closed_output_is_no_error_for_a_command_that_writes_none(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "kv-een.txt").write_text("Het kabinet antwoordt.\n", encoding="utf-8")
    proc = subprocess.run(
        f'"{sys.executable}" -m kvsearch index --quiet --corpus "{tmp_path / "corpus"}" --index "{tmp_path / "ix"}" >&-',
        shell=True, capture_output=True, text=True, timeout=120,
    )
    assert (proc.returncode, proc.stderr) == (0, "")


def test_check_without_corpus_compares_with_the_corpus_the_index_was_built_from(
    corpus_dir: Path, index_dir: Path, tmp_path: Path
) -> None:
    # Run from a directory whose ./corpus is another one: it must not be the one compared.
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "ander.txt").write_text("Het kabinet antwoordt de Kamer.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "KVSEARCH_CORPUS"}
    proc = subprocess.run([sys.executable, "-m", "kvsearch", "check", "--index", str(index_dir)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[0] == f"corpus: {corpus_dir.resolve()}"
    assert proc.stdout.splitlines()[-1].startswith("ok: ") and "extra:" not in proc.stdout
    # Given explicitly (option or environment), the corpus named is the one compared.
    for extra, env_corpus in ((("--corpus", "corpus"), None), ((), "corpus")):
        proc = subprocess.run([sys.executable, "-m", "kvsearch", "check", "--index", str(index_dir), "--json", *extra],
                              capture_output=True, text=True, cwd=tmp_path, timeout=120,
                              env={**env, **({"KVSEARCH_CORPUS": env_corpus} if env_corpus else {})})
        report = json.loads(proc.stdout)
        assert proc.returncode == 1 and report["corpus"] == "corpus" and report["missing"] == ["ander"]


def test_show_finds_a_document_by_its_file_name_without_folder(index_dir: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("show", "geen-kop", "--index", str(index_dir))
    assert code == 0 and out.startswith("Document         2024/geen-kop\n")
    code, out, _ = invoke("show", "geen-kop.txt", "--index", str(index_dir))
    assert code == 0 and "2024/geen-kop" in out.splitlines()[0]
    # One name in two folders: both named, and how to choose.
    for folder in ("2021", "2022"):
        (tmp_path / "corpus" / folder).mkdir(parents=True)
        (tmp_path / "corpus" / folder / "antwoord.txt").write_text(
            f"De minister antwoordt in {folder} over de woningbouw.\n", encoding="utf-8")
    build_index(tmp_path / "corpus", tmp_path / "ix")
    code, out, err = invoke("show", "antwoord", "--index", str(tmp_path / "ix"))
    assert (code, out) == (2, "")
    assert err == ("kvsearch: error: 'antwoord' is the name of 2 documents: 2021/antwoord, 2022/antwoord;"
                   " give its folder too\n")
    code, out, _ = invoke("show", "2022/antwoord", "--index", str(tmp_path / "ix"))
    assert code == 0 and "in 2022 over de woningbouw" in out


def test_show_a_shared_corpus_file_by_its_name(tmp_path: Path) -> None:
    from .conftest import shared_path

    source = shared_path("corpus", "sgd-historical", "sgd-0000000417-1.txt")
    (tmp_path / "corpus" / "sgd-historical").mkdir(parents=True)
    shutil.copy(source, tmp_path / "corpus" / "sgd-historical")
    build_index(tmp_path / "corpus", tmp_path / "ix")
    code, out, _ = invoke("show", "sgd-0000000417-1", "--index", str(tmp_path / "ix"))
    assert code == 0 and out.startswith("Document         sgd-historical/sgd-0000000417-1\n")


def answer_file(path: Path, answered: str, minister: str, text: str) -> None:
    """A small answer file in the corpus format: header table, then the answer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Ingediend | 1 januari 2019 |\n---|---|\nBeantwoord | {answered} |\n"
        f"Beantwoord door | {minister} |\n{text}\n",
        encoding="utf-8",
    )


def test_stats_by_year_and_the_year_facet_go_by_year_not_count(tmp_path: Path) -> None:
    # Most answers in the middle year: ordered by count, 2020 would come first.
    for n, answered in enumerate(["3 maart 2019", "4 maart 2020", "5 mei 2020", "6 juni 2020", "7 juli 2023"]):
        answer_file(tmp_path / "corpus" / f"ah-{n}.txt", answered, "Minister Hoekstra (Financiën)",
                    "Het kabinet neemt de zorgen over de stikstofuitstoot serieus.")
    build_index(tmp_path / "corpus", tmp_path / "ix")
    code, out, _ = invoke("stats", "--by", "year", "--index", str(tmp_path / "ix"))
    assert code == 0
    table = out.split("\n\n", 1)[1].splitlines()[2:]  # after the header and the 'alle' row
    assert [row.split()[:2] for row in table] == [["2019", "1"], ["2020", "3"], ["2023", "1"]]
    code, out, _ = invoke("search", "stikstofuitstoot", "--facets", "--index", str(tmp_path / "ix"))
    assert "Jaar: 2023 (1), 2020 (3), 2019 (1)" in out.splitlines()


def test_search_dash_reads_the_question_from_standard_input(index_dir: Path) -> None:
    question = ("Bent u bekend met het bericht dat Chinese bedrijven gezichtsherkenningssoftware leveren\n"
                "die specifiek gericht is op het herkennen van Oeigoeren? Wat is uw oordeel daarover?\n")
    proc = subprocess.run([sys.executable, "-m", "kvsearch", "search", "-", "-n", "1", "--index", str(index_dir)],
                          input=question, capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("kv-2020Z25656 ¶") and "Oeigoeren" in proc.stdout
    for stdin_text, message in (("", "no query on standard input"), ("  \n", "no query on standard input")):
        proc = subprocess.run([sys.executable, "-m", "kvsearch", "search", "-", "--index", str(index_dir)],
                              input=stdin_text, capture_output=True, text=True, timeout=120)
        assert (proc.returncode, proc.stderr) == (2, f"kvsearch: error: {message}\n")
    proc = subprocess.run([sys.executable, "-m", "kvsearch", "similar", "--text", "-", "-n", "1", "--index", str(index_dir)],
                          input=question, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout


def test_a_misspelt_index_path_is_an_error_not_a_new_index(corpus_dir: Path, tmp_path: Path) -> None:
    # A ./corpus where the user is: a first search at the default location builds from it.
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    env = {k: v for k, v in os.environ.items() if k not in ("KVSEARCH_INDEX", "KVSEARCH_CORPUS")}
    wrong = tmp_path / "kv-reall"

    def search(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kvsearch", "search", "Oeigoeren", *args], capture_output=True,
                              text=True, cwd=tmp_path, env={**env, **extra_env}, timeout=120)

    for proc in (search("--index", str(wrong)), search(KVSEARCH_INDEX=str(wrong))):
        assert (proc.returncode, proc.stdout) == (2, "")
        assert proc.stderr == f"kvsearch: error: no index at {wrong}; build one with 'kvsearch index --index {wrong}'\n"
        assert not wrong.exists()
    # The corpus given (option or environment): built there on first use, as asked.
    proc = search("--index", str(wrong), KVSEARCH_CORPUS=str(tmp_path / "corpus"))
    assert proc.returncode == 0 and "building it from" in proc.stderr and (wrong / "CURRENT").exists()
    # The default location: built from ./corpus on first use.
    proc = search()
    assert proc.returncode == 0 and "building it from corpus" in proc.stderr and (tmp_path / "index" / "CURRENT").exists()


# --- questions beside their answers (issue 15) -------------------------------------------------

def test_json_hits_carry_the_question_they_answer(questions_index: Path) -> None:
    code, out, _ = invoke("search", "Stikstoffonds", "--json", "--index", str(questions_index))
    assert code == 0
    record = json.loads(out.splitlines()[0])
    assert record["question"].startswith("Vraag 2: Kunt u aangeven met welke hoeveelheid")
    assert "\nVraag 3: Komt de 25 miljard euro" in record["question"]
    assert "Stikstoffonds" not in record["text"]  # found through the question alone
    code, out, _ = invoke("search", "gezichtsherkenning", "--json", "--index", str(questions_index))
    assert json.loads(out.splitlines()[0])["question"] is None


def test_search_shows_the_question_above_the_passage(questions_index: Path) -> None:
    code, out, _ = invoke("search", "geverifieerd", "--index", str(questions_index))
    assert code == 0
    first = out.split("\n\n")[0].splitlines()
    assert first[0].startswith("koop/ah-1317276 ¶1 · 2026-06-09")
    # The heading (wrapped to the width), then the question on one line, then the passage.
    asked = next(i for i, line in enumerate(first) if line.startswith("Vraag "))
    assert all(" · " in line or "vragen:" in line for line in first[1:asked])
    assert first[asked].startswith("Vraag 1: Klopt het dat een taxateur") and first[asked].endswith("…")
    assert first[asked + 1].startswith("Nee. Er vindt een eerste beoordeling")


def test_show_prints_questions_before_their_answers(questions_index: Path) -> None:
    code, out, _ = invoke("show", "koop/ah-tk-20242025-370", "--index", str(questions_index))
    assert code == 0
    # Each question or paragraph starts a line with its mark; wrapped lines go on indented.
    body = [line[:14] for line in out.split("\n\n", 1)[1].splitlines() if line[:5].strip()]
    assert body == ["  >  Vraag 1: ", "  1  In Nederl", "  >  Vraag 2: ", "  >  Vraag 3: ", "  2  Het antwo"]
    code, out, _ = invoke("show", "koop/ah-tk-20242025-370", "--json", "--index", str(questions_index))
    data = json.loads(out)
    assert [q["label"] for q in data["questions"]] == ["Vraag 1", "Vraag 2", "Vraag 3"]
    assert data["answers_to"] == [[0], [1, 2]]


def test_an_index_from_before_questions_is_rebuilt_fully_by_kvsearch_index(tmp_path: Path) -> None:
    index, corpus = unpack_old_index(tmp_path)
    # It does not open for searching: it says what to do, in one line.
    code, out, err = invoke("search", "geverifieerd", "--index", str(index))
    assert code == 2 and out == ""
    assert err.strip().endswith("was built by another version (7+nl-9); run 'kvsearch index'")
    # A plain update rebuilds it fully by itself; then the questions are found and shown.
    code, out, err = invoke("index", "--corpus", str(corpus), "--index", str(index))
    assert code == 0 and "full build" in out + err
    code, out, _ = invoke("search", "geverifieerd", "--json", "--index", str(index))
    hits = [json.loads(line) for line in out.splitlines()]
    assert [h["paragraph"] for h in hits] == [1, 2]
    assert all(h["question"].startswith("Vraag 1: Klopt het") for h in hits)


def test_search_with_a_filter_and_no_query_lists_the_answers(semantics_index: Path) -> None:
    code, out, err = invoke("search", "--minister", "veldkamp", "--index", str(semantics_index), "--color", "never")
    assert code == 0 and "ah-tk-20242025-575" in out and "2 passages" in err
    code, out, err = invoke("search", "--minister", "veldkam", "--index", str(semantics_index))
    assert code == 1 and "closest: Veldkamp" in err


def test_search_without_query_or_filter_is_a_usage_error(semantics_index: Path) -> None:
    code, out, err = invoke("search", "--index", str(semantics_index))
    assert code == 2 and out == "" and "QUERY" in err


def filtered_search(filters: dict[str, object]) -> list[str]:
    """The search arguments for EVERY_DOCUMENT and library filter arguments: {"late": True} is
    --late; the id, which has no option, is the query's id: clause."""
    query, options = EVERY_DOCUMENT, []
    for name, value in filters.items():
        if name == "id":
            query = f"({query}) id:{value}"
        else:
            options += [f"--{name}"] if value is True else [f"--{name}", str(value)]
    return [query, *options]


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES, ids=filter_ids(FILTER_CASES))
def test_a_filter_option_leaves_exactly_the_documents_it_selects(
    index_dir: Path, filters: dict[str, object], expected: set[str]
) -> None:
    code, out, err = invoke("search", *filtered_search(filters), "--json", "-m", "1", "-n", "100",
                            "--index", str(index_dir))
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == expected
    documents = f"{len(expected)} document{'' if len(expected) == 1 else 's'}"
    assert code == (0 if expected else 1)
    assert re.fullmatch(rf"\d+ passages? in {documents}( \(showing 1-{len(expected)}\))?", err.splitlines()[-1])


@pytest.mark.parametrize(
    ("options", "overall"),
    [
        ((), "9 8 39.5 75% 25%"),  # 14, 21, 22, 39, 40, 42, 43 and 112 days
        (("--late",), "6 6 41 100% 33%"),  # 22, 39, 40, 42, 43, 112
        (("--party", "D66"), "2 2 17.5 0% 0%"),  # 14 and 21: three weeks exactly is in time
        (("--minister", "de jonge"), "1 1 43 100% 100%"),
        (("--since", "2022", "--until", "2022-12"), "2 2 31.5 50% 0%"),  # 21 and 42
    ],
)
def test_stats_shares_answered_after_21_and_42_days(
    index_dir: Path, options: tuple[str, ...], overall: str
) -> None:
    code, out, _ = invoke("stats", "--index", str(index_dir), *options)
    assert code == 0
    assert out.splitlines()[-1].split() == ["alle", *overall.split()]


def test_stats_by_party_table(index_dir: Path) -> None:
    code, out, _ = invoke("stats", "--by", "party", "--index", str(index_dir))
    lines = out.splitlines()
    assert (code, lines[:2]) == (0, ["documents 9, passages 44", "answered between 2016-03-23 and 2024-12-02"])
    assert lines[2].startswith("index built 20")
    assert lines[3:] == [
        "",
        "                 docs  timed  median days  > 21 days  > 42 days",
        "alle                9      8         39.5        75%        25%",
        "CDA                 2      2           76       100%        50%",
        "ChristenUnie        2      2         32.5       100%        50%",
        "D66                 2      2         17.5         0%         0%",
        "(onbekend)          1      0            -          -          -",
        "GroenLinks-PvdA     1      1           39       100%         0%",
        "PVV                 1      1           42       100%         0%",
        "PvdA                1      1           40       100%         0%",
        "SP                  1      1           39       100%         0%",
    ]


# --- the JSON of every command that has --json -----------------------------------------------


def test_search_json_with_facets_ends_in_one_facets_line(index_dir: Path) -> None:
    code, out, _ = invoke("search", "Jemen", "--json", "--facets", "--index", str(index_dir))
    *hits, facets = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(hits) == 2
    assert all(hit.keys() == HIT_KEYS and hit["document"].keys() == DOCUMENT_KEYS for hit in hits)
    assert hits[0] == {
        "doc_id": "2016/ah-tk-20152016-2080",
        "paragraph": 1,
        "score": hits[0]["score"],
        "question": None,  # the file quotes no question
        "text": "Ja, ik ben bekend met de berichten over de voedseltekorten in Jemen.",
        "spans": [[62, 67]],
        "more": 0,
        "document": {
            "doc_id": "2016/ah-tk-20152016-2080",
            "submitted": "2016-03-01",
            "answered": "2016-03-23",
            "days": 22,
            "submitters": [{"name": "Joël Voordewind", "party": "ChristenUnie"}],
            "ministers": [{"name": "Lilianne Ploumen", "role": "minister",
                           "ministry": "buitenlandse handel en ontwikkelingssamenwerking", "party": "PvdA"}],
            "subjects": ["ontwikkelingssamenwerking"],
            "question_url": "https://zoek.officielebekendmakingen.nl/kv-tk-2016Z03911.html",
            "answer_url": "https://zoek.officielebekendmakingen.nl/ah-tk-20152016-2080.html",
            "question_id": "2016Z03911",
            "answer_id": "ah-tk-20152016-2080",
            "text_date": None,
            "date": "2016-03-23",
            "date_source": "answered",
            "date_estimated": False,
        },
    }
    assert facets.keys() == FACETS_KEYS
    assert facets == {
        "total": 2,
        "total_documents": 1,
        "suggestion": None,
        "facets": {
            "minister": [["Lilianne Ploumen", 1]],
            "ministry": [["buitenlandse handel en ontwikkelingssamenwerking", 1]],
            "party": [["ChristenUnie", 1]],
            "year": [["2016", 1]],
        },
    }


def test_search_json_counts_the_passages_left_out_in_more(index_dir: Path) -> None:
    code, out, _ = invoke("search", "kabinet", "--json", "-m", "1", "--index", str(index_dir))
    records = [json.loads(line) for line in out.splitlines()]
    # Blok's answer has 8 passages with "kabinet", Koolmees's 1: one of each shown.
    assert [(r["doc_id"], r["more"]) for r in records] == [("kv-2020Z25656", 7), ("2021/ah-tk-20202021-1001", 0)]


def test_similar_json_is_one_hit_per_document(index_dir: Path) -> None:
    code, out, _ = invoke("similar", "ah-tk-20152016-2080", "--json", "--index", str(index_dir))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and records
    assert all(r.keys() == HIT_KEYS and r["document"].keys() == DOCUMENT_KEYS for r in records)
    assert len({r["doc_id"] for r in records}) == len(records)
    assert "2016/ah-tk-20152016-2080" not in {r["doc_id"] for r in records}


def test_show_json_is_the_metadata_and_the_paragraphs(index_dir: Path) -> None:
    code, out, _ = invoke("show", "2016Z03911", "--json", "--index", str(index_dir))
    doc = json.loads(out)
    assert code == 0 and doc.keys() == DOCUMENT_KEYS | {"paragraphs", "questions", "answers_to"}
    assert (doc["questions"], doc["answers_to"]) == ([], [])  # the file quotes no question
    assert (doc["doc_id"], doc["days"], doc["question_id"]) == ("2016/ah-tk-20152016-2080", 22, "2016Z03911")
    assert doc["paragraphs"] == [
        "Ja, ik ben bekend met de berichten over de voedseltekorten in Jemen.",
        "Nederland heeft dit jaar 15 miljoen euro bijgedragen aan de noodhulp in Jemen via het"
        " Wereldvoedselprogramma en het Rode Kruis.",
        "De toegang van hulporganisaties tot de getroffen gebieden blijft beperkt; ik zal dit in de Veiligheidsraad"
        " opnieuw aan de orde stellen.",
    ]


def test_stats_json_has_the_overview_and_a_row_per_group(index_dir: Path) -> None:
    code, out, _ = invoke("stats", "--json", "--by", "year", "--late", "--index", str(index_dir))
    stats = json.loads(out)
    assert code == 0
    assert stats.keys() == {"documents", "passages", "first_answer", "last_answer", "built_at", "overall", "by", "rows"}
    assert stats["built_at"].startswith("20")
    assert {k: v for k, v in stats.items() if k not in ("built_at", "rows")} == {
        "documents": 6,
        "passages": 36,
        "first_answer": "2016-03-23",
        "last_answer": "2024-12-02",
        "overall": {"key": "alle", "documents": 6, "timed": 6, "median_days": 41.0, "over_21": 1.0,
                    "over_42": 2 / 6},
        "by": "year",
    }
    assert all(row.keys() == STATS_ROW_KEYS for row in stats["rows"])
    assert [(r["key"], r["documents"], r["over_21"], r["over_42"]) for r in stats["rows"]] == [
        ("2016", 1, 1.0, 0.0), ("2021", 2, 1.0, 0.5), ("2022", 1, 1.0, 0.0), ("2023", 1, 1.0, 1.0),
        ("2024", 1, 1.0, 0.0),
    ]


def test_check_json_says_what_is_wrong_in_fixed_keys(index_dir: Path, corpus_dir: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("check", "--json", "--index", str(index_dir), "--corpus", str(corpus_dir))
    report = json.loads(out)
    assert code == 0
    assert report == {
        "corpus": str(corpus_dir),
        "documents": 9,
        "passages": 44,
        "missing": [],
        "stale": [],
        "extra": [],
        "rejected": [{"path": str(corpus_dir / "2024" / "kapot.txt"), "reason": "binary file (contains nul bytes)"}],
        "problems": [],
        "damaged": [],
        "verified": True,
        "ok": True,
    }
    other = tmp_path / "corpus"
    shutil.copytree(corpus_dir, other)
    (other / "kv-2020Z25656.txt").unlink()
    code, out, _ = invoke("check", "--json", "--index", str(index_dir), "--corpus", str(other))
    report = json.loads(out)
    assert (code, report["extra"], report["ok"]) == (1, ["kv-2020Z25656"], False)


# --- configuration from the environment ------------------------------------------------------


def test_index_search_and_check_find_their_directories_in_the_environment(corpus_dir: Path, tmp_path: Path) -> None:
    env = {"KVSEARCH_CORPUS": str(corpus_dir), "KVSEARCH_INDEX": str(tmp_path / "env-ix")}
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    proc = subprocess.run([sys.executable, "-m", "kvsearch", "index", "--quiet"], cwd=elsewhere, capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=120)
    assert proc.returncode == 3  # kapot.txt of KVSEARCH_CORPUS rejected
    assert (tmp_path / "env-ix" / "CURRENT").exists() and not (elsewhere / "index").exists()
    proc = subprocess.run([sys.executable, "-m", "kvsearch", "search", "Jemen", "--json"], cwd=elsewhere,
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=120)
    assert proc.returncode == 0
    assert {json.loads(line)["doc_id"] for line in proc.stdout.splitlines()} == {"2016/ah-tk-20152016-2080"}
    proc = subprocess.run([sys.executable, "-m", "kvsearch", "check"], cwd=elsewhere, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)
    assert (proc.returncode, proc.stdout.splitlines()[-1]) == (
        0, "ok: 9 documents, 44 passages; 0 missing, 0 stale, 0 extra, 1 rejected"
    )


def test_an_option_wins_over_the_environment(index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KVSEARCH_INDEX", str(tmp_path / "nergens"))
    code, out, _ = invoke("search", "Jemen", "--json", "--index", str(index_dir))
    assert code == 0 and len(out.splitlines()) == 2
    code, out, err = invoke("show", "2016Z03911")
    assert (code, out) == (2, "") and err.startswith(f"kvsearch: error: no index in {tmp_path / 'nergens'}")
    monkeypatch.setenv("KVSEARCH_INDEX", str(index_dir))
    code, out, _ = invoke("show", "2016Z03911", "--json")
    assert code == 0 and json.loads(out)["doc_id"] == "2016/ah-tk-20152016-2080"
