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
    """A fast-tokenizer stand-in: <s> then one token per character, with offsets; batches like the real one."""

    is_fast = True
    eos_token = "|"
    pad_token_id = 0

    def __init__(self):
        self.calls = []

    def _one(self, text, truncation, max_length, return_offsets_mapping):
        ids = [1] + [ord(c) for c in text]
        offsets = [(0, 0)] + [(i, i + 1) for i in range(len(text))]
        if truncation and max_length:
            ids, offsets = ids[:max_length], offsets[:max_length]
        out = {"input_ids": ids, "attention_mask": [1] * len(ids)}
        if return_offsets_mapping:
            out["offset_mapping"] = offsets
        return out

    def __call__(self, text, truncation=False, max_length=None, return_offsets_mapping=False):
        self.calls.append(len(text) if isinstance(text, list) else 1)
        if not isinstance(text, list):
            return self._one(text, truncation, max_length, return_offsets_mapping)
        rows = [self._one(t, truncation, max_length, return_offsets_mapping) for t in text]
        return {key: [row[key] for row in rows] for key in rows[0]} if rows else {"input_ids": []}


class SlowCharTokenizer(CharTokenizer):
    is_fast = False


def examples_of(store):
    return [tuple(map(list, store.example(i))) for i in range(len(store))]


def test_tokenize_rows_full_text_loss(tmp_path):
    fine_tune = load_entry("fine_tune")
    spec = parse_spec(base_spec(tmp_path))
    store, dropped, unlocated = fine_tune.tokenize_rows([{"question": "q", "answer": "a"}], spec, CharTokenizer())
    text = "Q: q\nA: a|"
    ids = [1] + [ord(c) for c in text]
    assert examples_of(store) == [(ids, ids)]
    assert (dropped, unlocated) == (0, 0)


def test_tokenize_rows_calls_the_tokenizer_once_per_batch_and_stores_int32_buffers(tmp_path):
    fine_tune = load_entry("fine_tune")
    spec = parse_spec(base_spec(tmp_path))
    tokenizer = CharTokenizer()
    rows = [{"question": f"q{i}", "answer": str(i)} for i in range(25)]
    store, _, _ = fine_tune.tokenize_rows(rows, spec, tokenizer, batch_size=10)
    assert tokenizer.calls == [10, 10, 5]
    assert len(store) == 25 and store.ids.typecode == "i" and store.labels.itemsize == 4
    assert store.total_tokens == sum(len(f"Q: q{i}\nA: {i}|") + 1 for i in range(25))


@pytest.mark.parametrize("tokenizer", [CharTokenizer(), SlowCharTokenizer()])
def test_tokenize_rows_completion_only_masks_the_prompt(tmp_path, tokenizer):
    fine_tune = load_entry("fine_tune")
    spec = parse_spec(base_spec(tmp_path, completion_only_loss=True))
    rows = [{"question": "q", "answer": "a"}, {"question": "longer", "answer": "bb"}]
    store, _, _ = fine_tune.tokenize_rows(rows, spec, tokenizer)
    for (ids, labels), row in zip(examples_of(store), rows):
        prompt_tokens = 1 + len(f"Q: {row['question']}\nA:")
        assert labels[:prompt_tokens] == [IGNORE_INDEX] * prompt_tokens
        assert labels[prompt_tokens:] == [ord(c) for c in f" {row['answer']}|"]  # the completion plus EOS, exactly


def test_tokenize_rows_drops_rows_truncated_before_the_completion(tmp_path):
    fine_tune = load_entry("fine_tune")
    spec = parse_spec(base_spec(tmp_path, completion_only_loss=True, max_seq_length=8))
    store, dropped, _ = fine_tune.tokenize_rows([{"question": "a long question", "answer": "a"}], spec,
                                                CharTokenizer())
    assert (len(store), dropped) == (0, 1)


def test_tokenize_rows_counts_rows_whose_completion_is_not_found(tmp_path):
    fine_tune = load_entry("fine_tune")
    raw = base_spec(tmp_path, completion_only_loss=True)
    raw["prompt"] = {"prompt_template": "{question}={answer}", "input_template": "", "completion_template": ""}
    store, _, unlocated = fine_tune.tokenize_rows([{"question": "q", "answer": "a"}], parse_spec(raw),
                                                  CharTokenizer())
    assert unlocated == 1 and IGNORE_INDEX not in examples_of(store)[0][1]


def test_training_rows_pack_examples_or_give_one_per_row(tmp_path):
    fine_tune = load_entry("fine_tune")
    store, _, _ = fine_tune.tokenize_rows([{"question": "q", "answer": str(i)} for i in range(4)],
                                          parse_spec(base_spec(tmp_path)), CharTokenizer())
    plain = fine_tune.TrainingRows(store)
    assert len(plain) == 4 and plain[0]["attention_mask"] == [1] * store.length(0)
    packed = fine_tune.TrainingRows(store, [[0, 1], [2, 3]])
    assert len(packed) == 2
    row = packed[1]
    assert "attention_mask" not in row
    assert row["position_ids"] == list(range(store.length(2))) + list(range(store.length(3)))
    assert row["labels"].count(IGNORE_INDEX) == 2  # each example's first label


VALID = {"output_dir", "num_train_epochs", "learning_rate", "seed", "logging_steps", "disable_tqdm",
         "remove_unused_columns", "label_names", "eval_strategy", "report_to", "fp16", "bf16", "optim",
         "per_device_train_batch_size", "load_best_model_at_end", "max_steps", "save_total_limit",
         "ddp_find_unused_parameters", "gradient_checkpointing", "gradient_checkpointing_kwargs", "group_by_length",
         "use_cpu"}


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


def test_training_arguments_under_ddp_default_find_unused_parameters_off(tmp_path, recording_events):
    fine_tune = load_entry("fine_tune")
    # a custom config without ddp_find_unused_parameters, with gradient checkpointing (defect: DDP "mark a
    # variable ready only once")
    raw = base_spec(tmp_path, gpus=2, training_arguments={"gradient_checkpointing": True})
    ta = fine_tune.training_arguments(parse_spec(raw), recording_events, run_dir="/run", has_eval=True,
                                      use_cuda=True, valid_fields=VALID, world_size=2)
    assert ta["ddp_find_unused_parameters"] is False
    assert ta["gradient_checkpointing_kwargs"] == {"use_reentrant": False}
    explicit = base_spec(tmp_path, training_arguments={"ddp_find_unused_parameters": True})
    assert fine_tune.training_arguments(parse_spec(explicit), recording_events, run_dir="/run", has_eval=True,
                                        use_cuda=True, valid_fields=VALID,
                                        world_size=2)["ddp_find_unused_parameters"] is True
    single = fine_tune.training_arguments(parse_spec(base_spec(tmp_path)), recording_events, run_dir="/run",
                                          has_eval=True, use_cuda=True, valid_fields=VALID, world_size=1)
    assert "ddp_find_unused_parameters" not in single and "gradient_checkpointing_kwargs" not in single


def test_training_arguments_group_by_length_only_without_packing_and_renames_old_keys(tmp_path, recording_events):
    fine_tune = load_entry("fine_tune")
    spec = parse_spec(base_spec(tmp_path, training_arguments={"no_cuda": True}))
    packed = fine_tune.training_arguments(spec, recording_events, run_dir="/run", has_eval=True, use_cuda=True,
                                          valid_fields=VALID, packed=True)
    assert "group_by_length" not in packed and packed["use_cpu"] is True and "no_cuda" not in packed
    plain = fine_tune.training_arguments(spec, recording_events, run_dir="/run", has_eval=True, use_cuda=True,
                                         valid_fields=VALID, packed=False)
    assert plain["group_by_length"] is True


def test_seeded_optimizer_falls_back_to_fused_adamw_on_cuda_without_bitsandbytes(tmp_path, recording_events):
    fine_tune = load_entry("fine_tune")
    from fts_jobs import deps

    if not deps.missing_packages(["bitsandbytes"]):
        pytest.skip("bitsandbytes is installed here")
    spec = parse_spec(base_spec(tmp_path, training_arguments={"optim": "paged_adamw_32bit", "fp16": True}))
    ta = fine_tune.training_arguments(spec, recording_events, run_dir="/run", has_eval=True, use_cuda=True,
                                      valid_fields=VALID)
    assert ta["optim"] == "adamw_torch_fused" and ta["fp16"] is True
    assert any("bitsandbytes is not installed" in m for m in recording_events.messages("warning"))


class FailingEvents:
    def __init__(self):
        self.calls = 0

    def progress(self, **fields):
        self.calls += 1
        raise OSError(28, "No space left on device")

    def warning(self, message):
        raise OSError(28, "No space left on device")


class State:
    is_world_process_zero, global_step, max_steps, epoch = True, 3, 10, 0.3


def test_a_full_disk_under_the_progress_callback_warns_once_and_training_goes_on(capsys):
    import io

    fine_tune = load_entry("fine_tune")
    events = FailingEvents()
    stream = io.StringIO()
    callback = fine_tune.make_progress_callback(object, events, stream=stream)
    for _ in range(3):
        callback.on_log(None, State(), None, logs={"loss": 1.5, "learning_rate": 1e-4})
    callback.on_evaluate(None, State(), None, metrics={"eval_loss": 1.2})
    assert events.calls == 4 and callback.last_loss == 1.5
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0] and "training continues" in lines[0]


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
def test_gpu_check_refuses_in_one_line_without_torch(tmp_path):
    import subprocess

    proc = subprocess.run(["bash", f"{TEMPLATES}/gpu-check.sh", str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=30, env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable})
    assert proc.returncode == 2
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gpu-check: needs torch")


def test_gpu_check_needs_an_output_folder():
    import subprocess

    proc = subprocess.run(["bash", f"{TEMPLATES}/gpu-check.sh"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and proc.stdout.startswith("usage: job-templates/gpu-check.sh OUT")


def test_the_gpu_check_and_benchmark_compile_and_name_every_case():
    py_compile.compile(f"{TEMPLATES}/bench/train_throughput.py", doraise=True)
    gpu_check = load_entry("gpu_check")
    assert all(callable(getattr(gpu_check.Check, name)) for name in gpu_check.CASES)
    assert len(gpu_check.CASES) == len(set(gpu_check.CASES)) == 13
