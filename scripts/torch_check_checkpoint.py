#!/usr/bin/env python3
"""Load a vidact sequence checkpoint into PyTorch modules and print predictions for a feature file.

Usage: ~/.cache/vidact-torch-venv/bin/python scripts/torch_check_checkpoint.py MODEL.safetensors FEATURES.safetensors

MODEL is written by vidact (format vidact-sequence-model, version 1; see
Sources/SequenceModels/SequenceClassifier+Checkpoint.swift). Its tensors load with
load_state_dict(strict=True) into torch.nn.Linear ("proj.", optional), torch.nn.LSTM ("lstm.") and
torch.nn.Linear ("head."), after the step inputs of `stepInputs` (features, differences or both);
trainer entries (optimizer.*, trainer.*) are dropped first. FEATURES is
a safetensors file with `features` [T, D] (F16 or F32), e.g. a vidact feature file.
Prints one JSON line: {"task", "pooling", "probabilities"} with probabilities [C] (clip) or [T][C]
(frames), the same values as vidact's SequenceClassifier.predict(features:).
"""
import json
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file


class SequenceClassifier(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        inputs = cfg.get("stepInputs") or "features"
        width = cfg["inputSize"] * (2 if inputs == "both" else 1)
        if cfg.get("projectionSize") is not None:
            self.proj = torch.nn.Linear(width, cfg["projectionSize"])
            width = cfg["projectionSize"]
        self.lstm = torch.nn.LSTM(width, cfg["hiddenSize"], num_layers=cfg["layers"],
                                  bidirectional=cfg["bidirectional"], dropout=cfg["lstmDropout"])
        directions = 2 if cfg["bidirectional"] else 1
        self.head = torch.nn.Linear(directions * cfg["hiddenSize"], cfg["classCount"])

    def forward(self, features, task, pooling):
        x = features
        inputs = self.cfg.get("stepInputs") or "features"
        if inputs != "features":  # SequenceInputs: x_t - x_{t-1}, zero at the first step
            diff = torch.cat([torch.zeros_like(x[:1]), x[1:] - x[:-1]])
            x = diff if inputs == "differences" else torch.cat([x, diff], dim=-1)
        if hasattr(self, "proj"):
            x = self.proj(x)
        out, _ = self.lstm(x.unsqueeze(1))  # [T, 1, D*H]
        out = out[:, 0, :]
        if task == "frames":
            return torch.softmax(self.head(out), dim=-1)
        h = self.cfg["hiddenSize"]
        if pooling == "last":
            pooled = out[-1] if not self.cfg["bidirectional"] else torch.cat([out[-1, :h], out[0, h:]])
        elif pooling == "mean":
            pooled = out.mean(dim=0)
        else:
            pooled = out.max(dim=0).values
        return torch.softmax(self.head(pooled), dim=-1)


def main():
    model_path, features_path = sys.argv[1], sys.argv[2]
    with safe_open(model_path, "pt") as f:
        meta = f.metadata()
    assert meta.get("format") == "vidact-sequence-model" and meta.get("version") == "1", meta
    cfg = json.loads(meta["model"])
    state = {k: v for k, v in load_file(model_path).items() if not k.startswith(("optimizer.", "trainer."))}
    model = SequenceClassifier(cfg).eval()
    model.load_state_dict(state, strict=True)
    features = load_file(features_path)["features"].float()
    with torch.no_grad():
        probabilities = model(features, meta["task"], meta.get("pooling"))
    print(json.dumps({"task": meta["task"], "pooling": meta.get("pooling"), "probabilities": probabilities.tolist()}))


if __name__ == "__main__":
    main()
