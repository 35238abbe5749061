"""The grading rules (dld_check.rules) and the plain-data codec, on hand-built cells: fast, no
kernel."""

from __future__ import annotations

import json

import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_output
from nbgrader.utils import determine_grade

import nnlib
from dld_check import rules
from dld_check.codec import CodecError, Decoder, Encoder, pack, unpack


def _test_cell(*outputs: object) -> object:
    cell = new_code_cell("assert True", outputs=list(outputs))
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "x_tests",
        "points": 3,
        "schema_version": 3,
    }
    return cell


OUTPUTS = [
    [],
    [new_output("stream", name="stdout", text="fine\n")],
    [new_output("stream", name="stderr", text="RuntimeWarning\n")],
    [new_output("error", ename="AssertionError", evalue="no", traceback=[])],
    [
        new_output("stream", name="stdout", text="x"),
        new_output("error", ename="ValueError", evalue="", traceback=[]),
    ],
]


@pytest.mark.parametrize("outputs", OUTPUTS)
def test_cell_score_is_nbgraders_rule(outputs: list[object]) -> None:
    cell = _test_cell(*outputs)
    assert rules.cell_score(cell, 3) == determine_grade(cell)[0]


def test_failures_read_into_words() -> None:
    stub = _test_cell(
        new_output("error", ename="NotImplementedError", evalue="Exercise", traceback=[])
    )
    assert rules.read_failure(stub, None).status == rules.NOT_ATTEMPTED
    wrong = _test_cell(
        new_output("error", ename="AssertionError", evalue="expected 1", traceback=[])
    )
    answer = new_code_cell(
        "def f(:", outputs=[new_output("error", ename="SyntaxError", evalue="bad", traceback=[])]
    )
    reading = rules.read_failure(wrong, answer)
    assert (
        reading.status == rules.FAILED
        and reading.message
        == "your code cell raised SyntaxError: bad; then AssertionError: expected 1"
    )
    assert rules.read_failure(_test_cell(), None).status == rules.PASSED


GIVEN = ["import numpy as np\nimport nnlib\nfrom nnlib import activations as reference"]


@pytest.mark.parametrize(
    "answer",
    [
        "def sigmoid(z):\n    return reference.sigmoid(z)\n",
        "def sigmoid(z):\n    return nnlib.sigmoid(z)\n",
        "def sigmoid(z):\n    return nnlib.activations.sigmoid(z)\n",
        "from nnlib.activations import sigmoid as s\n\ndef sigmoid(z):\n    return s(z)\n",
        "import nnlib.activations as act\n\ndef sigmoid(z):\n    return act.sigmoid(z)\n",
        "def sigmoid(z):\n    ref = nnlib.activations\n    return ref.sigmoid(z)\n",
    ],
)
def test_calling_the_reference_of_the_exercise_is_caught(answer: str) -> None:
    assert rules.calls_reference(answer, ["sigmoid"], GIVEN) is not None


@pytest.mark.parametrize(
    "answer, names",
    [
        ("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n", ["sigmoid"]),
        (
            "def sigmoid_derivative(z):\n    s = reference.sigmoid(z)\n    return s * (1 - s)\n",
            ["sigmoid_derivative"],
        ),
        ("def sigmoid(z):\n    return sigmoid(z) if False else 0.5 + 0 * z\n", ["sigmoid"]),
    ],
)
def test_using_other_pieces_of_the_library_is_fine(answer: str, names: list[str]) -> None:
    assert rules.calls_reference(answer, names, GIVEN) is None


@pytest.mark.parametrize(
    "names, expected",
    [
        (
            ["exercises.ipynb", "exercises (1).ipynb"],
            ("exercises.ipynb", "also handed in, not graded: exercises (1).ipynb"),
        ),
        (["Exercises.ipynb"], ("Exercises.ipynb", "graded Exercises.ipynb as exercises.ipynb")),
        (
            ["Copy of exercises.ipynb"],
            ("Copy of exercises.ipynb", "graded Copy of exercises.ipynb as exercises.ipynb"),
        ),
        (
            ["exercises - Copy.ipynb"],
            ("exercises - Copy.ipynb", "graded exercises - Copy.ipynb as exercises.ipynb"),
        ),
    ],
)
def test_renamed_notebooks_are_graded_with_a_note(
    names: list[str], expected: tuple[str, str]
) -> None:
    assert rules.pick_notebook(names, "exercises") == expected


def test_unclear_notebooks_name_the_expected_file() -> None:
    picked, note = rules.pick_notebook(["notes.ipynb"], "exercises")
    assert picked is None and "no exercises.ipynb here (found: notes.ipynb)" in note
    picked, note = rules.pick_notebook(["Exercises (1).ipynb", "exercises (2).ipynb"], "exercises")
    assert picked is None and "several copies" in note


def test_admission() -> None:
    assert rules.admission_problem("ann", 1000) is None
    assert "learner id" in rules.admission_problem("../ann", 1000)
    assert "MB" in rules.admission_problem("ann", rules.MAX_NOTEBOOK_BYTES + 1)


def _round_trip(value: object) -> object:
    mirrors: dict[str, object] = {}
    encoder = Encoder(
        lambda obj: mirrors.setdefault(f"g{id(obj)}", obj) and f"g{id(obj)}",
        lambda obj: {"handle": 0, "type": "x"},
    )
    tree = encoder.encode(value)
    return Decoder(
        unpack(pack(encoder.arrays)), {}, lambda tree: ("handle", tree["handle"])
    ).decode(tree)


def test_plain_data_round_trips_with_types_kept() -> None:
    value = {
        "a": [1, 2.5, None, True, "s"],
        3: (np.float32(1.5), np.arange(4, dtype=np.int32)),
        "t": np.float64,
        "d": np.dtype("<f4"),
    }
    back = _round_trip(value)
    assert back["a"] == [1, 2.5, None, True, "s"] and isinstance(back[3], tuple)
    assert type(back[3][0]) is np.float32 and back[3][1].dtype == np.int32
    assert back["t"] is np.float64 and back["d"] == np.dtype("<f4")


def test_lying_objects_become_plain() -> None:
    class Yes(int):
        def __eq__(self, other: object) -> bool:
            return True

    class YesArray(np.ndarray):
        pass

    assert type(_round_trip(Yes(3))) is int
    assert type(_round_trip(np.zeros(2).view(YesArray))) is np.ndarray


def test_nnlib_objects_cross_by_value_and_others_by_handle() -> None:
    dense = nnlib.Dense(3, 2, rng=0)
    copy = _round_trip(dense)
    assert type(copy) is nnlib.Dense and copy is not dense
    np.testing.assert_array_equal(copy.weight.data, dense.weight.data)
    assert _round_trip(object()) == ("handle", 0)


@pytest.mark.parametrize(
    "tree",
    [
        {"obj": "os:system", "id": "g1", "state": {}},
        {"nd": 5},
        {"weird": 1},
        {"list": 3},
        {"sctype": "O"},
        {"dict": [[1.5, 2]]},
    ],
)
def test_messages_that_break_the_format_are_refused(tree: object) -> None:
    with pytest.raises(CodecError):
        Decoder([], {}, lambda t: None).decode(tree)


def test_packed_arrays_keep_dtype_shape_and_values_and_come_back_writable() -> None:
    arrays = [
        np.array(3.0),
        np.zeros((0, 3), np.float32),
        np.arange(6).reshape(2, 3).T,
        np.array(["ab", "c"]),
        np.array([1 + 2j]),
        np.array(["2020-01-01"], dtype="datetime64[D]"),
    ]
    back = unpack(pack(arrays))
    for sent, got in zip(arrays, back, strict=True):
        assert (got.dtype, got.shape) == (sent.dtype, sent.shape)
        np.testing.assert_array_equal(got, sent)
    back[2][0, 0] = 7


def _message(header: object, body: bytes = bytes(64)) -> bytes:
    text = json.dumps(header).encode()
    return len(text).to_bytes(8, "little") + text + body


@pytest.mark.parametrize(
    "data",
    [
        _message([["|O", [1]]]),
        _message([["<f8", [1000]]]),
        _message([["<f8", [-1]]]),
        _message({"not": "pairs"}),
    ],
)
def test_packed_arrays_that_break_the_format_are_refused(data: bytes) -> None:
    with pytest.raises(CodecError):
        unpack(data)


def test_object_arrays_cannot_cross() -> None:
    with pytest.raises(CodecError, match="Python objects"):
        Encoder(lambda o: "g", lambda o: {}).encode(np.array([object()]))


def test_a_kernel_that_never_started_is_an_infrastructure_failure() -> None:
    from dld.grade import _reason

    logged = (
        "Traceback (most recent call last):\n  ...\n"
        "InfrastructureError: dld-infrastructure: the kernel did not start"
    )
    assert _reason([logged]) == _reason.__globals__["Outcome"](
        "the kernel did not start", infrastructure=True
    )
    assert not _reason(
        ["Traceback (most recent call last):\n  ...\nValueError: duplicate grade id"]
    ).infrastructure


def test_a_gradebook_error_is_an_infrastructure_failure() -> None:
    from dld.grade import _reason

    logged = (
        "Traceback (most recent call last):\n  ...\nsqlalchemy.exc.IntegrityError: "
        "(sqlite3.IntegrityError) UNIQUE constraint failed: student.id"
    )
    assert _reason([logged]).infrastructure
