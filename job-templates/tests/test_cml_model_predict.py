"""cml_model_predict.py: importable without torch or cml; the request/config handling is pure."""

import py_compile
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
    assert predict.parse_generation_config("not json") == {}
    assert predict.parse_generation_config(None) == {}


def test_request_then_config_then_defaults():
    predict = load_entry("cml_model_predict")
    kwargs = predict.generation_kwargs({"temperature": "0.9"}, {"max_new_tokens": 20, "top_k": 40})
    assert kwargs == {"temperature": 0.9, "max_new_tokens": 20, "top_p": 1.0, "top_k": 40, "repetition_penalty": 1.0,
                      "num_beams": 1, "do_sample": True}
    # the original's defaults; top_k 0 means "no top-k" and is left out
    assert predict.generation_kwargs({}, {}) == {"temperature": 0.5, "max_new_tokens": 50, "top_p": 1.0,
                                                 "repetition_penalty": 1.0, "num_beams": 1, "do_sample": True}
    greedy = predict.generation_kwargs({"temperature": 0}, {})
    assert greedy["do_sample"] is False and "temperature" not in greedy and greedy["max_new_tokens"] == 50
    with pytest.raises(ValueError, match="'top_p' must be a number"):
        predict.generation_kwargs({"top_p": "high"}, {})


def test_a_request_without_a_prompt_is_refused_before_anything_loads():
    predict = load_entry("cml_model_predict")
    with pytest.raises(ValueError, match='needs "prompt"'):
        predict.predict({"temperature": 0.1}, {})
