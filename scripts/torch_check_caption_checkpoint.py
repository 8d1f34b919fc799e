#!/usr/bin/env python3
"""Load a vidact caption checkpoint into a PyTorch module and print its logits and greedy caption.

Usage: ~/.cache/vidact-torch-venv/bin/python scripts/torch_check_caption_checkpoint.py \\
           MODEL.safetensors FEATURES.safetensors [--words 5,7,4,2]

MODEL is written by vidact (format vidact-caption-model, version 1; see
Sources/SequenceModels/CaptionModel+Checkpoint.swift): metadata `model` is the
CaptionModelConfiguration as JSON (architecture s2vt, mean-pool or attention, inputSize,
projectionSize, hiddenSize, embeddingSize, vocabularySize, optional stepInputs features,
differences or both, attentionSize for attention). Its tensors load with
load_state_dict(strict=True), after dropping trainer entries (optimizer.*, trainer.*), into:
  proj = torch.nn.Linear(encoded width, P), embed = torch.nn.Embedding(V, E), head = Linear(H, V) and
  s2vt:      encoder = torch.nn.LSTM(P, H), decoder = torch.nn.LSTM(H + E, H)
  mean-pool: decoder = torch.nn.LSTM(P + E, H)
  attention: encoder = torch.nn.LSTM(P, H), attention.query = Linear(H, A, bias=False),
             attention.key = Linear(H, A), attention.score = Linear(A, 1, bias=False),
             decoder = torch.nn.LSTM(H + E, H)
FEATURES is a safetensors file with `features` [T, D] (F16 or F32), e.g. a vidact feature file.
The projection reads the step inputs of `stepInputs` (SequenceInputs): x_t, x_t - x_{t-1} (zero at
t = 0) or both side by side. The recurrences are those of scripts/fixtures/make-caption-model-fixtures
(one video, batch 1, zero initial states):
  s2vt:      the encoder LSTM reads the projected frames, then zero rows while words are decoded; the
             decoder LSTM reads [encoder output, embedding], with a zero embedding during the frames.
  mean-pool: the decoder reads [mean of the projected frames, embedding] at every step.
  attention: the encoder LSTM reads the projected frames only; its outputs v [T, H] are the memory
             and its final state the decoder's first. At every step, from the decoder state (h, c)
             before it, alpha = softmax over frames of
             attention.score(tanh(attention.query(h) + attention.key(v_i))), and the decoder reads
             [sum_i alpha_i v_i, embedding] (CaptionModel+Attention.swift).
The embedding is that of bos (1) at the first decoding step and of the previous word after it.

Prints one JSON line {"architecture", "words", "logits", "greedy", "greedy_words"}:
  logits       [K][V], teacher-forced for --words (K target ids ending with eos = 2; the decoder
               reads bos, then every word but the last), the same as vidact's
               CaptionModel.teacherForcedLogits; without --words, for the greedy caption.
  greedy       the greedy caption's ids (torch.argmax, ties to the lowest id), stopping after eos
               (included) or after the metadata `decoding` maxLength words (default 20): what vidact's
               CaptionModel.caption(beam: 1) emits, plus eos when it finished.
  greedy_words those ids as words of the metadata `vocabulary` ({"words": [...]}; null without it).
Computes in float64 from the F32 parameters (the step encoding too); warns on stderr when a greedy
step's top-1/top-2 logit gap is under 1e-4, where vidact's float32 argmax might differ.
"""
import argparse
import json
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

BOS, EOS = 1, 2
DT = torch.float64


class TemporalAttention(torch.nn.Module):
    def __init__(self, hidden, size):
        super().__init__()
        self.query = torch.nn.Linear(hidden, size, bias=False)
        self.key = torch.nn.Linear(hidden, size)
        self.score = torch.nn.Linear(size, 1, bias=False)

    def forward(self, values, h):
        """values [T, H], h [H] -> context [H] (the alpha-weighted sum of the values)."""
        alpha = torch.softmax(self.score(torch.tanh(self.query(h) + self.key(values)))[:, 0], 0)
        return alpha @ values


class CaptionModel(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.arch = cfg["architecture"]
        self.inputs = cfg.get("stepInputs") or "features"
        if self.arch not in ("s2vt", "mean-pool", "attention"):
            sys.exit(f"torch_check_caption_checkpoint: unknown architecture {self.arch!r}")
        if self.inputs not in ("features", "differences", "both"):
            sys.exit(f"torch_check_caption_checkpoint: step inputs {self.inputs!r} are not supported")
        d, p, h = cfg["inputSize"], cfg["projectionSize"], cfg["hiddenSize"]
        e, v = cfg["embeddingSize"], cfg["vocabularySize"]
        self.p, self.h, self.e = p, h, e
        self.proj = torch.nn.Linear(d * (2 if self.inputs == "both" else 1), p)
        if self.arch != "mean-pool":
            self.encoder = torch.nn.LSTM(p, h)
        self.embed = torch.nn.Embedding(v, e)
        if self.arch == "attention":
            if cfg.get("attentionSize") is None:
                sys.exit("torch_check_caption_checkpoint: an attention model needs attentionSize")
            self.attention = TemporalAttention(h, cfg["attentionSize"])
        self.decoder = torch.nn.LSTM((p if self.arch == "mean-pool" else h) + e, h)
        self.head = torch.nn.Linear(h, v)

    def encode_steps(self, x):
        """SequenceInputs: x_t, x_t - x_{t-1} with zero at the first step, or both side by side."""
        if self.inputs == "features":
            return x
        diff = torch.cat([torch.zeros_like(x[:1]), x[1:] - x[:-1]])
        return diff if self.inputs == "differences" else torch.cat([x, diff], dim=-1)

    def start(self, features):
        """Reads the frames: the decoding state before the first word."""
        v = self.proj(self.encode_steps(features))
        zeros = (torch.zeros(1, 1, self.h, dtype=DT), torch.zeros(1, 1, self.h, dtype=DT))
        if self.arch == "mean-pool":
            return {"mean": v.mean(0), "decoder": zeros}
        o1, encoder = self.encoder(v.unsqueeze(1))
        if self.arch == "attention":  # the decoder starts from the encoder's final state
            return {"memory": o1[:, 0], "decoder": encoder}
        silent = torch.zeros(v.shape[0], self.e, dtype=DT)
        _, decoder = self.decoder(torch.cat([o1[:, 0], silent], 1).unsqueeze(1))
        return {"decoder": decoder, "encoder": encoder}

    def step(self, state, word):
        """One decoding step reading `word`: logits [V]; `state` moves on."""
        if self.arch == "s2vt":
            o1, state["encoder"] = self.encoder(torch.zeros(1, 1, self.p, dtype=DT), state["encoder"])
            context = o1[0, 0]
        elif self.arch == "attention":
            context = self.attention(state["memory"], state["decoder"][0][0, 0])
        else:
            context = state["mean"]
        embedding = self.embed(torch.tensor([word]))[0]
        o2, state["decoder"] = self.decoder(torch.cat([context, embedding]).view(1, 1, -1), state["decoder"])
        return self.head(o2[0, 0])

    def teacher_forced(self, features, words):
        state = self.start(features)
        return torch.stack([self.step(state, w) for w in [BOS] + list(words[:-1])])

    def greedy(self, features, max_length):
        state = self.start(features)
        out, gaps, word = [], [], BOS
        while len(out) < max_length:
            logits = self.step(state, word)
            word = int(torch.argmax(logits))
            top2 = torch.topk(logits, 2).values
            gaps.append(float(top2[0] - top2[1]))
            out.append(word)
            if word == EOS:
                break
        return out, gaps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("features")
    parser.add_argument("--words", help="target word ids, comma-separated, ending with eos (2)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    with safe_open(args.model, "pt") as f:
        meta = f.metadata() or {}
    if meta.get("format") != "vidact-caption-model" or meta.get("version") != "1":
        sys.exit(f"torch_check_caption_checkpoint: {args.model} is not a vidact-caption-model version 1 "
                 f"(format {meta.get('format')}, version {meta.get('version')})")
    cfg = json.loads(meta["model"])
    state = {k: v for k, v in load_file(args.model).items() if not k.startswith(("optimizer.", "trainer."))}
    model = CaptionModel(cfg).to(DT).eval()
    model.load_state_dict({k: v.to(DT) for k, v in state.items()}, strict=True)
    features = load_file(args.features)["features"].to(DT)
    if features.ndim != 2 or features.shape[1] != cfg["inputSize"]:
        sys.exit(f"torch_check_caption_checkpoint: features {list(features.shape)}, expected [T, {cfg['inputSize']}]")
    max_length = json.loads(meta["decoding"]).get("maxLength", 20) if "decoding" in meta else 20
    vocabulary = json.loads(meta["vocabulary"])["words"] if "vocabulary" in meta else None
    with torch.no_grad():
        greedy, gaps = model.greedy(features, max_length)
        words = [int(w) for w in args.words.split(",")] if args.words else greedy
        if not words or not all(0 <= w < cfg["vocabularySize"] for w in words):
            sys.exit(f"torch_check_caption_checkpoint: word ids {words} outside 0..{cfg['vocabularySize'] - 1}")
        logits = model.teacher_forced(features, words)
    if min(gaps) < 1e-4:
        print(f"torch_check_caption_checkpoint: warning: a greedy top-1/top-2 logit gap is {min(gaps):.3g}",
              file=sys.stderr)
    print(json.dumps({
        "architecture": cfg["architecture"],
        "words": words,
        "logits": logits.tolist(),
        "greedy": greedy,
        "greedy_words": [vocabulary[i] for i in greedy] if vocabulary is not None else None,
    }))


if __name__ == "__main__":
    main()
