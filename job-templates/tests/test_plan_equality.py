"""The control plane's plan (libs/domain/src/plan, TypeScript) must split and
render rows exactly as this job code does: same train/eval indices, same
training text, same prompt/completion boundary, same error sentences.
Runs the built domain library with node over the same inputs.
"""

import json
import os
import shutil
import struct
import subprocess

import pytest

from fts_jobs import data, prompting, split

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOMAIN = os.path.join(REPO, "libs", "domain", "dist", "index.js")
PY_COMPAT = os.path.join(REPO, "libs", "py-compat", "dist", "index.js")

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not os.path.isfile(DOMAIN) or not os.path.isfile(PY_COMPAT),
    reason="needs node and the built domain and py-compat libraries (npx tsc -b)",
)

def run_node(program: str, payload) -> dict:
    script = (
        "import fs from 'node:fs';\n"
        f"const d = await import({json.dumps('file://' + DOMAIN)});\n"
        f"const py = await import({json.dumps('file://' + PY_COMPAT)});\n"
        "const input = JSON.parse(fs.readFileSync(0, 'utf8'));\n" + program
    )
    out = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(payload),
                         capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout)


def f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


CASES = [(n, fraction, share) for n in (0, 1, 7, 41, 100, 1000)
         for fraction in (1.0, 0.5, 0.33, f32(0.9), f32(0.75))
         for share in (0.9, 0.8, 1.0, f32(0.7), f32(0.9))]


def test_split_equals_the_plan():
    plan = run_node(
        "const out = input.map(([n, f, s]) => { const r = d.sampleAndSplit(n, f, s, 42);"
        " return [r.trainIndices, r.evalIndices]; });\n"
        "console.log(JSON.stringify(out));",
        CASES,
    )
    for (n, fraction, share), (train, held) in zip(CASES, plan):
        s = split.sample_and_split(n, fraction, share, 42)
        assert (list(s.train_indices), list(s.eval_indices)) == (train, held), (n, fraction, share)


def test_existing_eval_split_equals_the_plan():
    plan = run_node("const r = d.splitDataset({train: 50, eval: 7, test: 3}, 0.5, 0.9);"
                    "console.log(JSON.stringify([r.trainIndices, r.evalSplit, r.evalIndices]));", None)
    s = split.split_dataset({"train": [0] * 50, "eval": [0] * 7, "test": [0] * 3}, 0.5, 0.9)
    assert plan == [list(s.train_indices), s.eval_split, list(s.eval_indices)]


PROMPTS = [
    ("Q: {q}\nA: {a}", "Q: {q}\nA: ", "{a}"),
    ("### Request: {q}\n### Intent: {a}", "### Request: {q}\n### Intent:", " {a}"),
    ("{{literal}} {q} -> {n} {x} {e}", "{{literal}} {q} -> ", "{n} {x} {e}"),
    ("{q}{a}", "", "{a}"),
    ("{q} {missing}", "{q}", "{missing}"),
]


def render_python(prompt, row, eos):
    class P:
        prompt_template, input_template, completion_template = prompt

    try:
        e = prompting.format_training_example(P, row, eos, need_completion_start=True)
    except prompting.PromptFormatError as error:
        return {"error": str(error)}
    at = e.completion_start if e.completion_start is not None else len(e.text)
    return {"prompt": e.text[:at], "completion": e.text[at:], "located": e.completion_start is not None}


RENDER_NODE = (
    "const rows = input.file.endsWith('.csv') ? await csvRows(input.file) : fs.readFileSync(input.file, 'utf8')"
    ".split('\\n').filter((l) => l.trim()).map((l) => py.parsePyJson(l));\n"
    "async function csvRows(p) { const { parse } = await import('csv-parse/sync');"
    " const [h, ...rs] = parse(fs.readFileSync(p, 'utf8'), { bom: true, skip_empty_lines: true, relax_column_count: true });"
    " return d.csvRows(h, rs); }\n"
    "const out = [];\n"
    "for (const [pt, it, ct] of input.prompts) for (const row of rows) {\n"
    "  try { const t = d.trainingText({ prompt_template: pt, input_template: it, completion_template: ct }, row, input.eos);\n"
    "    const at = t.completionStart ?? t.text.length;\n"
    "    out.push({ prompt: t.text.slice(0, at), completion: t.text.slice(at), located: t.completionStart !== null });\n"
    "  } catch (e) { out.push({ error: e.message }); }\n"
    "}\n"
    "console.log(JSON.stringify(out));"
)


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_rendering_equals_the_plan(tmp_path, kind):
    if kind == "csv":
        path = tmp_path / "rows.csv"
        path.write_text("q,a,n,x,e\nhello,world,1,1.5,\n\"multi\nline\",x,007,2,3\nwho's,\"say \"\"hi\"\"\",-3,1e20,4\n",
                        encoding="utf-8")
        rows = data.read_csv_rows(str(path))
    else:
        path = tmp_path / "rows.jsonl"
        lines = [{"q": "hello", "a": "world", "n": 1, "x": 1.0, "e": None},
                 {"q": "héllo 😀", "a": "", "n": True, "x": [1, "b", {"c": 2.5}], "e": 1e-7},
                 {"q": "it's", "a": "\"quoted\"", "n": 12345678901234567890, "x": 0.1, "e": {"k": "v'"}}]
        path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
        rows = data.read_jsonl_rows(str(path))
    expected = [render_python(prompt, row, "</s>") for prompt in PROMPTS for row in rows]
    got = run_node(RENDER_NODE, {"file": str(path), "prompts": PROMPTS, "eos": "</s>"})
    assert got == expected


# a Zephyr-style template: block tags on their own lines (trim_blocks / lstrip_blocks matter), loop.last, a system turn
ZEPHYR = (
    "{% for message in messages %}\n"
    "{% if message['role'] == 'user' %}\n"
    "{{ '<|user|>\\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'system' %}\n"
    "{{ '<|system|>\\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n"
    "{{ '<|assistant|>\\n'  + message['content'] + eos_token }}\n"
    "{% endif %}\n"
    "{% if loop.last and add_generation_prompt %}\n"
    "{{ '<|assistant|>' }}\n"
    "{% endif %}\n"
    "{% endfor %}"
)
TINY_CONFIG = os.path.join(REPO, "tests", "fixtures", "models", "tiny", "tokenizer_config.json")
CHAT_ROWS = os.path.join(REPO, "tests", "fixtures", "datasets", "chat.jsonl")


@pytest.mark.parametrize("template", [json.load(open(TINY_CONFIG))["chat_template"], ZEPHYR], ids=["tiny", "zephyr"])
def test_chat_rendering_equals_the_plan(template):
    from fts_jobs import chat

    rows = data.read_jsonl_rows(CHAT_ROWS)
    special = {"eos_token": "</s>", "bos_token": "<s>"}
    expected = []
    for row in rows:
        text, spans = chat.chat_text(lambda m, g: chat.jinja_render(template, m, g, **special), chat.messages_of(row))
        expected.append({"text": text, "spans": [list(s) for s in spans]})
    got = run_node(
        "const { Template } = await import('@huggingface/jinja');\n"
        "const t = new Template(input.template);\n"
        "const render = (messages, g) => t.render({ ...input.special, messages, add_generation_prompt: g });\n"
        "const rows = fs.readFileSync(input.file, 'utf8').split('\\n').filter((l) => l.trim()).map((l) => py.parsePyJson(l));\n"
        "console.log(JSON.stringify(rows.map((r) => d.chatText(render, d.messagesOf(r)))));",
        {"template": template, "special": special, "file": CHAT_ROWS},
    )
    assert got == expected


def test_evaluation_subsample_equals_the_plan():
    cases = [(n, f) for n in (0, 1, 5, 40, 333) for f in (1.0, 0.5, 0.1, f32(0.3))]
    plan = run_node("console.log(JSON.stringify(input.map(([n, f]) => d.subsample([...Array(n).keys()].map((i) => 3 * i), f))));", cases)
    for (n, f), got in zip(cases, plan):
        assert list(split.subsample([3 * i for i in range(n)], f)) == got, (n, f)


def test_token_ids_equal_the_plan_tokenizer():
    """The plan counts tokens with @huggingface/tokenizers; the job with the model's fast tokenizer (the
    `tokenizers` library under transformers). Same tokenizer.json, same texts: the same ids, token for token."""
    tokenizers = pytest.importorskip("tokenizers")
    from fts_jobs import chat

    tokenizer_json = os.path.join(REPO, "tests", "fixtures", "models", "tiny", "tokenizer.json")
    config = json.load(open(TINY_CONFIG))
    python = tokenizers.Tokenizer.from_file(tokenizer_json)

    class P:
        prompt_template = "### Request: {instruction}\n### Intent: {intent}"
        input_template = "### Request: {instruction}\n### Intent: "
        completion_template = "{intent}"

    tickets = data.read_csv_rows(os.path.join(REPO, "data", "samples", "support-tickets.csv"))
    texts = [[prompting.format_training_example(P, row, config["eos_token"]).text, True] for row in tickets]
    render = lambda m, g: chat.jinja_render(config["chat_template"], m, g, eos_token="</s>", bos_token="<s>")
    texts += [[chat.chat_text(render, chat.messages_of(row))[0], False] for row in data.read_jsonl_rows(CHAT_ROWS)]
    expected = [python.encode(text, add_special_tokens=special).ids for text, special in texts]
    got = run_node(
        "const { Tokenizer } = await import('@huggingface/tokenizers');\n"
        "const t = new Tokenizer(JSON.parse(fs.readFileSync(input.file, 'utf8')), input.config);\n"
        "console.log(JSON.stringify(input.texts.map(([text, special]) => t.encode(text, { add_special_tokens: special }).ids)));",
        {"file": tokenizer_json, "config": config, "texts": texts},
    )
    assert got == expected


def test_byte_level_bpe_ids_equal_the_plan_tokenizer(tmp_path):
    """The same with a byte-level BPE tokenizer (the GPT-2 / Llama-3 / Qwen kind), trained here on the sample rows."""
    tokenizers = pytest.importorskip("tokenizers")
    from tokenizers import decoders, models, pre_tokenizers, processors, trainers

    tok = tokenizers.Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    rows = data.read_csv_rows(os.path.join(REPO, "data", "samples", "support-tickets.csv"))
    corpus = [f"{r['instruction']} {r['intent']}" for r in rows]
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=400, special_tokens=["<|begin|>", "<|end|>"],
                                                         initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.TemplateProcessing(single="<|begin|> $A", special_tokens=[("<|begin|>", 0)])
    path = tmp_path / "tokenizer.json"
    tok.save(str(path))
    texts = corpus + ["héllo wörld — ünïcode 😀 and\ttabs\n\nnewlines", "  leading spaces<|end|>", ""]
    expected = [tok.encode(t).ids for t in texts]
    got = run_node(
        "const { Tokenizer } = await import('@huggingface/tokenizers');\n"
        "const t = new Tokenizer(JSON.parse(fs.readFileSync(input.file, 'utf8')), {});\n"
        "console.log(JSON.stringify(input.texts.map((text) => t.encode(text).ids)));",
        {"file": str(path), "texts": texts},
    )
    assert got == expected
