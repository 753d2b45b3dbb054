#!/usr/bin/python3
"""Writes expected.json: what CPython's json and PyYAML write for every case in cases.json.

Run with Debian's /usr/bin/python3 (python3-yaml installed):

    /usr/bin/python3 libs/py-compat/golden/generate.py            # rewrites expected.json
    /usr/bin/python3 libs/py-compat/golden/generate.py --stdout   # prints it (the spec compares)

- yaml: the original's dict_to_yaml_string(yaml.safe_load(input)), i.e.
  yaml.dump(value, default_flow_style=False) with None written as empty.
- json: json.dumps(json.loads(input)) and json.dumps(json.loads(input), indent=2).
"""
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


class NoneAsEmptyDumper(yaml.Dumper):
    """The original's dict_to_yaml_string: None is written as an empty scalar."""


NoneAsEmptyDumper.add_representer(type(None), lambda self, _: self.represent_scalar('tag:yaml.org,2002:null', ''))


def dict_to_yaml_string(value):
    return yaml.dump(value, Dumper=NoneAsEmptyDumper, default_flow_style=False)


def main():
    with open(os.path.join(HERE, 'cases.json'), encoding='utf-8') as f:
        cases = json.load(f)
    expected = {
        'generator': 'libs/py-compat/golden/generate.py: CPython json and PyYAML (Debian python3-yaml); do not edit by hand',
        'yaml': [{'input': text, 'dump': dict_to_yaml_string(yaml.safe_load(text))} for text in cases['yaml']],
        'json': [
            {'input': text, 'dumps': json.dumps(json.loads(text)), 'dumps_indent2': json.dumps(json.loads(text), indent=2)}
            for text in cases['json']
        ],
    }
    out = json.dumps(expected, indent=2, ensure_ascii=True) + '\n'
    if '--stdout' in sys.argv:
        sys.stdout.write(out)
    else:
        with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as f:
            f.write(out)


if __name__ == '__main__':
    main()
