"""Fake peft."""
import json
import os

from transformers import _log, _Param


class LoraConfig:
    def __init__(self, **values):
        self.values = values


class PeftModel:
    def __init__(self, base, adapters):
        self.base, self.adapters, self.active = base, adapters, list(adapters)[0]
        self.config = base.config
        self.device = base.device

    @classmethod
    def from_pretrained(cls, model, source, adapter_name="default", **kwargs):
        _log(call="PeftModel.from_pretrained", source=source, adapter_name=adapter_name, kwargs=sorted(kwargs))
        if not os.path.isfile(os.path.join(source, "adapter_config.json")):
            raise ValueError(f"Can't find 'adapter_config.json' at '{source}'")
        return cls(model, {adapter_name: source})

    def load_adapter(self, source, adapter_name, **kwargs):
        self.adapters[adapter_name] = source

    def set_adapter(self, name):
        self.active = name

    def parameters(self):
        return iter(list(self.base.parameters()) + [_Param(True)])

    def get_nb_trainable_parameters(self):
        return 1, 3

    def eval(self):
        return self

    def _reply(self, name):
        return self.base.reply if name == "__base__" else f"from {os.path.basename(self.adapters[name])}"

    def generate(self, adapter_names=None, **kwargs):
        rows = len(kwargs["input_ids"].data)
        names = adapter_names or [self.active] * rows
        if len(names) != rows:
            raise ValueError("adapter_names must have one name per row")
        return self.base.generate(replies=[self._reply(name) for name in names], **kwargs)

    def merge_and_unload(self):
        return self.base

    def save_pretrained(self, directory, **kwargs):
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "adapter_config.json"), "w") as handle:
            json.dump({"peft_type": "LORA", "fake": True, "lora": self.adapters.get("lora")}, handle)
        open(os.path.join(directory, "adapter_model.safetensors"), "wb").close()


def get_peft_model(model, config):
    _log(call="get_peft_model", config=config.values)
    return PeftModel(model, {"default": "trained"})


def prepare_model_for_kbit_training(model, use_gradient_checkpointing=True, gradient_checkpointing_kwargs=None):
    _log(call="prepare_model_for_kbit_training", use_gradient_checkpointing=use_gradient_checkpointing,
         gradient_checkpointing_kwargs=gradient_checkpointing_kwargs)
    return model
