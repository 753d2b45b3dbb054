"""cml_model_predict.py: importable without torch or cml; the request/config handling is pure."""

import json
import os
import py_compile
import subprocess
import sys

import pytest
from conftest import TEMPLATES, load_entry


def test_imports_without_torch_cml_or_the_model():
    py_compile.compile(f"{TEMPLATES}/cml_model_predict.py", doraise=True)
    before = set(sys.modules)
    module = load_entry("cml_model_predict")
    assert not {"torch", "transformers", "peft", "cml"} & (set(sys.modules) - before)
    assert callable(module.api_wrapper)


def test_generation_config_parses_json_then_python_quotes_then_nothing():
    predict = load_entry("cml_model_predict")
    assert predict.parse_generation_config('{"temperature": 0.7}') == {"temperature": 0.7}
    assert predict.parse_generation_config("{'max_new_tokens': 20}") == {"max_new_tokens": 20}
    # without a usable config: the original's default generation config, not the per-key fallbacks
    fallback = {"do_sample": True, "temperature": 0.8, "max_new_tokens": 60, "top_p": 1.0, "top_k": 50,
                "num_beams": 1, "repetition_penalty": 1.1}
    assert predict.parse_generation_config("not json") == fallback
    assert predict.parse_generation_config(None) == fallback
    assert predict.generation_kwargs({}, predict.parse_generation_config(None)) == {
        "temperature": 0.8, "max_new_tokens": 60, "top_p": 1.0, "top_k": 50, "repetition_penalty": 1.1,
        "num_beams": 1, "do_sample": True}


def test_request_then_config_then_defaults():
    predict = load_entry("cml_model_predict")
    kwargs = predict.generation_kwargs({"temperature": "0.9"}, {"max_new_tokens": 20, "top_k": 40})
    assert kwargs == {"temperature": 0.9, "max_new_tokens": 20, "top_p": 1.0, "top_k": 40, "repetition_penalty": 1.0,
                      "num_beams": 1, "do_sample": True}
    # the original's defaults; top_k 0 means "no top-k" and is left out
    assert predict.generation_kwargs({}, {}) == {"temperature": 0.5, "max_new_tokens": 50, "top_p": 1.0,
                                                 "repetition_penalty": 1.0, "num_beams": 1, "do_sample": True}
    assert predict.generation_kwargs({"temperature": 0}, {"do_sample": True})["do_sample"] is False
    greedy = predict.generation_kwargs({"temperature": 0}, {})
    assert greedy["do_sample"] is False and "temperature" not in greedy and greedy["max_new_tokens"] == 50
    with pytest.raises(ValueError, match="'top_p' must be a number"):
        predict.generation_kwargs({"top_p": "high"}, {})


def test_a_request_without_a_prompt_is_refused_before_anything_loads():
    predict = load_entry("cml_model_predict")
    with pytest.raises(ValueError, match='needs "prompt"'):
        predict.predict({"temperature": 0.1}, {})


FAKES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fakes")

SCRIPT = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
import importlib.util
spec = importlib.util.spec_from_file_location("predict", os.path.join(sys.argv[1], "cml_model_predict.py"))
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
with open(os.environ["FAKE_HF_LOG"], "a") as handle:
    handle.write(json.dumps({"call": "imported"}) + "\\n")
print(json.dumps(module.api_wrapper({"prompt": "Hi", "temperature": 0})))
"""


def test_the_model_loads_at_import_and_generate_gets_no_token_type_ids(tmp_path):
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text("{}")
    log = tmp_path / "hf.jsonl"
    env = dict(os.environ, PYTHONPATH=FAKES, FAKE_HF_LOG=str(log), FINE_TUNING_STUDIO_BASE_MODEL_HF_NAME="org/base",
               FINE_TUNING_STUDIO_ADAPTER_LOCATION=str(adapter), FINE_TUNING_STUDIO_GEN_CONFIG_STRING="")
    proc = subprocess.run([sys.executable, "-c", SCRIPT, TEMPLATES], capture_output=True, text=True, timeout=60,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == "from adapter"
    calls = [json.loads(line)["call"] for line in log.read_text().splitlines()]
    # loaded while importing, before the first request
    assert calls.index("AutoModelForCausalLM.from_pretrained") < calls.index("imported") < calls.index("generate")
