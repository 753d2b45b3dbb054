import pytest

from fts_jobs.prompting import (
    IGNORE_INDEX,
    PromptFormatError,
    completion_start,
    format_eval_example,
    format_template,
    format_training_example,
    mask_labels,
    pad_batch,
)
from fts_jobs.spec import PromptSpec

PROMPT = PromptSpec(
    prompt_template="Q: {question}\nA: {answer}",
    input_template="Q: {question}\nA:",
    completion_template=" {answer}",
)
ROW = {"question": "2+2?", "answer": 4, "extra": "unused"}


def test_format_is_str_format_with_columns_as_keywords():
    assert format_template("{question} -> {answer:>3}", ROW) == "2+2? ->   4"
    assert format_template("{{literal}} {question}", ROW) == "{literal} 2+2?"
    assert format_template("{question}", {"question": None}) == "None"


def test_missing_column_names_the_field_the_column_and_the_columns():
    with pytest.raises(PromptFormatError) as error:
        format_template("Q: {prompt}", ROW, field="prompt.input_template")
    message = str(error.value)
    assert "prompt.input_template" in message and '"{prompt}"' in message
    assert "answer, extra, question" in message


@pytest.mark.parametrize("template", ["{}", "{0}", "{question", "{question!z}"])
def test_invalid_templates_raise_prompt_errors(template):
    with pytest.raises(PromptFormatError):
        format_template(template, ROW)


def test_training_text_appends_eos_and_finds_the_completion():
    example = format_training_example(PROMPT, ROW, "</s>", need_completion_start=True)
    assert example.text == "Q: 2+2?\nA: 4</s>"
    assert example.text[example.completion_start:] == " 4</s>"


def test_training_text_without_completion_start():
    example = format_training_example(PROMPT, ROW, "</s>")
    assert example.completion_start is None


def test_completion_start_when_the_input_has_trailing_newlines():
    # the UI strips trailing newlines from the input template when it builds the training template
    assert completion_start("Q: x\nanswer", "Q: x\n\n", "answer") == len("Q: x")
    assert completion_start("Context Q: x A: y", "Q: x", "A: y") == len("Context Q: x ")
    assert completion_start("Q: x", "Q: x", "") is None
    assert completion_start("totally different", "Q: x", "zzz") is None


def test_eval_example_has_no_eos():
    assert format_eval_example(PROMPT, ROW) == ("Q: 2+2?\nA:", " 4")


def test_mask_labels_with_offsets():
    # tokens: <s>(0,0) "Q:"(0,2) " x"(2,4) " ans"(4,8) "</s>"(8,12); completion starts at char 4
    ids = [1, 10, 11, 12, 2]
    offsets = [(0, 0), (0, 2), (2, 4), (4, 8), (8, 12)]
    assert mask_labels(ids, offsets, 4) == [IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, 12, 2]
    # a token straddling the boundary is kept in the loss
    assert mask_labels(ids, offsets, 3) == [IGNORE_INDEX, IGNORE_INDEX, 11, 12, 2]


def test_mask_labels_without_offsets_uses_the_prefix_length():
    assert mask_labels([1, 2, 3, 4], None, 5, prefix_token_count=2) == [IGNORE_INDEX, IGNORE_INDEX, 3, 4]


def test_mask_labels_returns_none_when_nothing_is_left_to_learn():
    assert mask_labels([1, 2], [(0, 0), (0, 3)], 10) is None


def test_mask_labels_without_a_completion_trains_on_everything():
    assert mask_labels([5, 6, 7], [(0, 1), (1, 2), (2, 3)], None) == [5, 6, 7]


def test_pad_batch_right_pads_and_ignores_padding_in_labels():
    batch = pad_batch(
        [{"input_ids": [1, 2, 3], "attention_mask": [1, 1, 1], "labels": [-100, 2, 3]},
         {"input_ids": [4], "attention_mask": [1], "labels": [4]}],
        pad_token_id=0,
    )
    assert batch == {
        "input_ids": [[1, 2, 3], [4, 0, 0]],
        "attention_mask": [[1, 1, 1], [1, 0, 0]],
        "labels": [[-100, 2, 3], [4, -100, -100]],
    }
