import json
import os

import pytest

from conftest import base_spec
from fts_jobs import chat
from fts_jobs.prompting import IGNORE_INDEX
from fts_jobs.spec import parse_spec

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures")
TEMPLATE = json.load(open(os.path.join(FIXTURE, "models", "tiny", "tokenizer_config.json")))["chat_template"]
CONVERSATION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello"},
    {"role": "user", "content": "Bye"},
    {"role": "assistant", "content": "Ciao"},
]


def render(messages, add_generation_prompt):
    return chat.jinja_render(TEMPLATE, messages, add_generation_prompt, eos_token="</s>", bos_token="<s>")


def test_assistant_turns_are_located_in_the_rendered_conversation():
    text, spans = chat.chat_text(render, CONVERSATION)
    assert text == "<|system|>Be brief.</s><|user|>Hi</s><|assistant|>Hello</s><|user|>Bye</s><|assistant|>Ciao</s>"
    assert [text[a:b] for a, b in spans] == ["Hello</s>", "Ciao</s>"]


def test_only_assistant_tokens_are_labels():
    text, spans = chat.chat_text(render, CONVERSATION)
    ids = list(range(len(text)))
    offsets = [(i, i + 1) for i in range(len(text))]
    labels = chat.mask_chat_labels(ids, offsets, spans)
    trained = "".join(text[i] for i, label in enumerate(labels) if label != IGNORE_INDEX)
    assert trained == "Hello</s>Ciao</s>"
    assert chat.mask_chat_labels(ids[:10], offsets[:10], spans) is None  # truncated before any assistant turn


@pytest.mark.parametrize("row, message", [
    ({}, '"messages"'),
    ({"messages": [{"role": "robot", "content": "x"}]}, '"role"'),
    ({"messages": [{"role": "user", "content": "x"}]}, "no assistant turn"),
])
def test_rows_that_are_not_conversations_are_refused(row, message):
    with pytest.raises(chat.ChatFormatError, match=message):
        chat.messages_of(row)


def test_a_chat_prompt_needs_no_template(tmp_path):
    raw = base_spec(tmp_path)
    raw["prompt"] = {"type": "chat", "prompt_template": "", "input_template": "", "completion_template": ""}
    assert parse_spec(raw).prompt.chat


class CharTokenizer:
    """A fast-tokenizer stand-in: one token per character, offsets, the fixture's chat template."""
    is_fast = True
    chat_template = TEMPLATE
    eos_token = "</s>"

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False):
        assert tokenize is False
        return render(messages, add_generation_prompt)

    def __call__(self, texts, truncation=False, max_length=None, add_special_tokens=True, return_offsets_mapping=False):
        assert add_special_tokens is False  # the chat template wrote the special tokens already
        ids = [[ord(c) for c in t][:max_length] for t in texts]
        offsets = [[(i, i + 1) for i in range(len(t))][:max_length] for t in texts]
        return {"input_ids": ids, "offset_mapping": offsets}


def test_the_job_tokenizes_chat_rows_with_the_chat_template():
    import fine_tune

    class Spec:
        max_seq_length = 512

        class prompt:
            chat = True

    store, dropped, _ = fine_tune.tokenize_chat_rows([{"messages": CONVERSATION}], Spec, CharTokenizer())
    ids, labels = store.example(0)
    assert "".join(chr(i) for i in ids).startswith("<|system|>")
    assert "".join(chr(i) for i, label in zip(ids, labels) if label != IGNORE_INDEX) == "Hello</s>Ciao</s>"
    assert dropped == 0

    no_template = CharTokenizer()
    no_template.chat_template = None
    with pytest.raises(fine_tune.JobFailure, match="no chat template"):
        fine_tune.tokenize_chat_rows([{"messages": CONVERSATION}], Spec, no_template)
