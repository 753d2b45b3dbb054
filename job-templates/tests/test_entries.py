"""The entry scripts' torch-free parts: tokenization with label masking, TrainingArguments assembly,
evaluation row preparation. The Hugging Face parts run in gpu_check.py on a GPU machine."""

import py_compile
import sys

import pytest
from conftest import TEMPLATES, base_spec, load_entry

from fts_jobs import split as splitting
from fts_jobs.prompting import IGNORE_INDEX
from fts_jobs.runtime import JobFailure
from fts_jobs.spec import parse_spec

ENTRIES = ["fine_tune", "evaluate", "compare", "export_merge", "launch", "gpu_check"]


@pytest.mark.parametrize("name", ENTRIES)
def test_entry_scripts_compile_and_import_without_torch(name):
    py_compile.compile(f"{TEMPLATES}/{name}.py", doraise=True)
    before = set(sys.modules)
    load_entry(name)
    assert not {"torch", "transformers", "peft", "datasets"} & (set(sys.modules) - before)


class CharTokenizer:
    """A fast-tokenizer stand-in: <s> then one token per character, with offsets."""

    is_fast = True
    eos_token = "|"
    pad_token_id = 0

    def __call__(self, text, truncation=False, max_length=None, return_offsets_mapping=False):
        ids = [1] + [ord(c) for c in text]
        offsets = [(0, 0)] + [(i, i + 1) for i in range(len(text))]
        if truncation and max_length:
            ids, offsets = ids[:max_length], offsets[:max_length]
        out = {"input_ids": ids, "attention_mask": [1] * len(ids)}
        if return_offsets_mapping:
            out["offset_mapping"] = offsets
        return out


class SlowCharTokenizer(CharTokenizer):
    is_fast = False


def test_tokenize_rows_full_text_loss(tmp_path):
    fine_tune = load_entry("fine_tune")
    spec = parse_spec(base_spec(tmp_path))
    features, dropped, unlocated = fine_tune.tokenize_rows([{"question": "q", "answer": "a"}], spec, CharTokenizer())
    text = "Q: q\nA: a|"
    assert features == [{"input_ids": [1] + [ord(c) for c in text], "attention_mask": [1] * (len(text) + 1),
                         "labels": [1] + [ord(c) for c in text]}]
    assert (dropped, unlocated) == (0, 0)


@pytest.mark.parametrize("tokenizer", [CharTokenizer(), SlowCharTokenizer()])
def test_tokenize_rows_completion_only_masks_the_prompt(tmp_path, tokenizer):
    fine_tune = load_entry("fine_tune")
    spec = parse_spec(base_spec(tmp_path, completion_only_loss=True))
    (feature,), _, _ = fine_tune.tokenize_rows([{"question": "q", "answer": "a"}], spec, tokenizer)
    prompt_tokens = 1 + len("Q: q\nA:")
    assert feature["labels"][:prompt_tokens] == [IGNORE_INDEX] * prompt_tokens
    assert feature["labels"][prompt_tokens:] == [ord(c) for c in " a|"]


def test_tokenize_rows_drops_rows_truncated_before_the_completion(tmp_path):
    fine_tune = load_entry("fine_tune")
    spec = parse_spec(base_spec(tmp_path, completion_only_loss=True, max_seq_length=8))
    features, dropped, _ = fine_tune.tokenize_rows([{"question": "a long question", "answer": "a"}], spec,
                                                   CharTokenizer())
    assert (features, dropped) == ([], 1)


def test_tokenize_rows_counts_rows_whose_completion_is_not_found(tmp_path):
    fine_tune = load_entry("fine_tune")
    raw = base_spec(tmp_path, completion_only_loss=True)
    raw["prompt"] = {"prompt_template": "{question}={answer}", "input_template": "", "completion_template": ""}
    features, _, unlocated = fine_tune.tokenize_rows([{"question": "q", "answer": "a"}], parse_spec(raw),
                                                     CharTokenizer())
    assert unlocated == 1 and IGNORE_INDEX not in features[0]["labels"]


VALID = {"output_dir", "num_train_epochs", "learning_rate", "seed", "logging_steps", "disable_tqdm",
         "remove_unused_columns", "label_names", "eval_strategy", "report_to", "fp16", "bf16", "optim",
         "per_device_train_batch_size", "load_best_model_at_end", "max_steps", "save_total_limit"}


def test_training_arguments_overrides_and_defaults(tmp_path, recording_events):
    fine_tune = load_entry("fine_tune")
    raw = base_spec(tmp_path, num_epochs=3, learning_rate=1e-3, seed=7, training_arguments={
        "num_train_epochs": 1, "learning_rate": 2e-4, "optim": "paged_adamw_32bit", "fp16": True,
        "report_to": "mlflow", "per_device_train_batch_size": 2, "evaluation_strategy": "steps", "bogus": 1})
    ta = fine_tune.training_arguments(parse_spec(raw), recording_events, run_dir="/run", has_eval=True,
                                      use_cuda=False, valid_fields=VALID)
    assert ta["output_dir"] == "/run/checkpoints"
    assert (ta["num_train_epochs"], ta["learning_rate"], ta["seed"]) == (3, 1e-3, 7)
    assert ta["eval_strategy"] == "steps" and "evaluation_strategy" not in ta
    assert ta["fp16"] is False and ta["optim"] == "adamw_torch"
    assert ta["per_device_train_batch_size"] == 2 and ta["logging_steps"] == 1
    assert "bogus" not in ta
    warnings = " ".join(recording_events.messages("warning"))
    assert "bogus" in warnings and "fp16" in warnings and "paged_adamw_32bit" in warnings
    if "mlflow" not in sys.modules:
        assert ta["report_to"] in ("none", ["mlflow"])


def test_training_arguments_without_an_eval_split(tmp_path, recording_events):
    fine_tune = load_entry("fine_tune")
    raw = base_spec(tmp_path, training_arguments={"load_best_model_at_end": True})
    ta = fine_tune.training_arguments(parse_spec(raw), recording_events, run_dir="/run", has_eval=False,
                                      use_cuda=True, valid_fields=VALID)
    assert ta["eval_strategy"] == "no" and "load_best_model_at_end" not in ta
    assert fine_tune.training_arguments(parse_spec(base_spec(tmp_path)), recording_events, run_dir="/run",
                                        has_eval=True, use_cuda=True, valid_fields=VALID)["eval_strategy"] == "epoch"


def test_evaluation_rows_are_the_rows_training_held_out(tmp_path, recording_events):
    evaluate = load_entry("evaluate")
    spec = parse_spec(base_spec(tmp_path, kind="evaluate", train_test_split=0.75, selected_features=["question"]))
    examples = evaluate.prepare_examples(spec, recording_events)
    split = splitting.sample_and_split(20, 1.0, 0.75, 42)
    held_out_questions = {f"what is {i} plus {i}" for i in split.eval_indices}
    assert len(examples) == 5
    assert {features["question"] for _, _, features in examples} == held_out_questions
    assert all(model_input.startswith("Q: what is") and model_input.endswith("A:") for model_input, _, _ in examples)


def test_evaluation_sample_and_cap(tmp_path, recording_events):
    evaluate = load_entry("evaluate")
    spec = parse_spec(base_spec(tmp_path, kind="evaluate", train_test_split=0.5, eval_dataset_fraction=0.4,
                                max_eval_rows=3))
    assert len(evaluate.prepare_examples(spec, recording_events)) == 3


def test_evaluation_without_held_out_rows_fails_clearly(tmp_path, recording_events):
    evaluate = load_entry("evaluate")
    spec = parse_spec(base_spec(tmp_path, kind="evaluate", train_test_split=1.0))
    with pytest.raises(JobFailure, match="no held-out rows"):
        evaluate.prepare_examples(spec, recording_events)
    raw = base_spec(tmp_path, kind="evaluate")
    raw["prompt"]["input_template"] = "{nope}"
    with pytest.raises(JobFailure, match='"{nope}"'):
        evaluate.prepare_examples(parse_spec(raw), recording_events)


@pytest.mark.skipif(not __import__("fts_jobs.deps").deps.missing_packages(["torch"]),
                    reason="torch is installed: whether CUDA is visible decides what gpu_check does")
def test_gpu_check_refuses_in_one_line_without_torch():
    import subprocess

    proc = subprocess.run(["bash", f"{TEMPLATES}/gpu-check.sh"], capture_output=True, text=True, timeout=30,
                          env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable})
    assert proc.returncode == 2
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gpu-check: needs torch")
