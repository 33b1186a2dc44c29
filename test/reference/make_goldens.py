"""Regenerates test/reference/goldens/*.safetensors: small random configurations of each module, their
parameters (HF names, HF layout), inputs, float64 forward outputs and gradients, stored as float32.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 test/reference/make_goldens.py
Each file holds "param/<hf name>", "input/<name>", "output/<name>" and "grad/<hf name or input/...>";
its metadata holds the HF-style config ("config") and the case name. Modules without a loss are
differentiated through loss = sum(output * input/output_weights).
"""
import json
import os

import numpy as np
import torch

import modules
import shapes
import safetensors_io

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens")

QFORMER = {
    "hidden_size": 16, "num_hidden_layers": 3, "num_attention_heads": 2, "intermediate_size": 24,
    "cross_attention_frequency": 2, "encoder_hidden_size": 12, "vocab_size": 40, "max_position_embeddings": 16,
    "layer_norm_eps": 1e-12, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "pad_token_id": 0,
}
VISION = {
    "hidden_size": 12, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 20,
    "image_size": 8, "patch_size": 4, "layer_norm_eps": 1e-6, "qkv_bias": True,
}
LLAMA = {
    "model_type": "llama", "vocab_size": 48, "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-6, "rope_theta": 10000.0,
    "max_position_embeddings": 64, "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2,
}


def random_params(shape_table, rng):
    """Fan-in-scaled weights, LayerNorm/RMSNorm scales near 1, small biases: activations stay O(1)."""
    params = {}
    for name, shape in shape_table.items():
        if name.endswith(("layernorm.weight", "LayerNorm.weight", "layer_norm1.weight", "layer_norm2.weight", "norm.weight")):
            value = 1 + 0.1 * rng.standard_normal(shape)
        elif name.endswith(".bias"):
            value = 0.1 * rng.standard_normal(shape)
        elif len(shape) >= 2 and "embed" not in name and name != "query_tokens":
            fan_in = int(np.prod(shape[1:]))
            value = rng.standard_normal(shape) / np.sqrt(fan_in)
        else:
            value = 0.5 * rng.standard_normal(shape)
        params[name] = value.astype(np.float32)
    return params


def to_torch(params, trainable):
    return {n: torch.tensor(v, dtype=torch.float64, requires_grad=trainable(n)) for n, v in params.items()}


def save(case, config, params, inputs, outputs, grads):
    tensors = {f"param/{n}": v for n, v in params.items()}
    tensors.update({f"input/{n}": v for n, v in inputs.items()})
    tensors.update({f"output/{n}": v.detach().numpy().astype(np.float32) for n, v in outputs.items()})
    tensors.update({f"grad/{n}": g.detach().numpy().astype(np.float32) for n, g in grads.items()})
    path = os.path.join(OUT, case + ".safetensors")
    safetensors_io.write(path, tensors, {"config": json.dumps(config), "case": case})
    print(f"{case}: {os.path.getsize(path)} bytes, {len(grads)} gradients")


def gradients(loss, named):
    """Gradients of every named tensor the loss depends on (an unused one, like an untied LM's input
    embedding table when inputs_embeds are given, has none)."""
    values = torch.autograd.grad(loss, [t for _, t in named], allow_unused=True)
    return {n: g for (n, _), g in zip(named, values) if g is not None}


def padded_ids(rng, batch, length, vocab, pad_from):
    """Random ids in [1, vocab); row r is padded (id 0, mask 0) from position pad_from[r] on."""
    ids = rng.integers(1, vocab, size=(batch, length))
    mask = np.ones((batch, length), dtype=np.int64)
    for r, start in enumerate(pad_from):
        ids[r, start:] = 0
        mask[r, start:] = 0
    return ids.astype(np.int64), mask


def qformer_case(case, instruction, seed):
    rng = np.random.default_rng(seed)
    nq = 4
    params = random_params(shapes.qformer(QFORMER, nq, instruction), rng)
    image = rng.standard_normal((2, 6, QFORMER["encoder_hidden_size"])).astype(np.float32)
    inputs = {"image_embeds": image}
    P = to_torch(params, lambda n: True)
    image_t = torch.tensor(image, dtype=torch.float64, requires_grad=True)
    if instruction:
        ids, mask = padded_ids(rng, 2, 5, QFORMER["vocab_size"], [5, 3])
        inputs.update({"qformer_input_ids": ids, "qformer_attention_mask": mask})
        out = modules.qformer(P, QFORMER, image_t, torch.tensor(ids), torch.tensor(mask))
    else:
        out = modules.qformer(P, QFORMER, image_t, layernorm="qformer.layernorm")
    weights = rng.standard_normal(out.shape).astype(np.float32)
    inputs["output_weights"] = weights
    loss = (out * torch.tensor(weights, dtype=torch.float64)).sum()
    grads = gradients(loss, list(P.items()) + [("input/image_embeds", image_t)])
    config = {"qformer_config": QFORMER, "num_query_tokens": nq, "instruction_aware": instruction}
    save(case, config, params, inputs, {"query_output": out}, grads)


def vision_case(seed):
    rng = np.random.default_rng(seed)
    params = random_params(shapes.vision(VISION), rng)
    pixels = rng.standard_normal((2, 3, VISION["image_size"], VISION["image_size"])).astype(np.float32)
    P = to_torch(params, lambda n: True)
    pixels_t = torch.tensor(pixels, dtype=torch.float64, requires_grad=True)
    out = modules.vision(P, VISION, pixels_t)
    weights = rng.standard_normal(out.shape).astype(np.float32)
    loss = (out * torch.tensor(weights, dtype=torch.float64)).sum()
    grads = gradients(loss, list(P.items()) + [("input/pixel_values", pixels_t)])
    save("vision", {"vision_config": VISION}, params, {"pixel_values": pixels, "output_weights": weights}, {"image_embeds": out}, grads)


def llama_case(seed):
    rng = np.random.default_rng(seed)
    text_cfg = dict(LLAMA, attention_bias=True)  # the wrapper cases cover the bias-free layout
    params = random_params(shapes.llama(text_cfg), rng)
    embeds = rng.standard_normal((2, 7, text_cfg["hidden_size"])).astype(np.float32)
    mask = np.ones((2, 7), dtype=np.int64)
    mask[1, :2] = 0  # left padding, as in batched generation
    P = to_torch(params, lambda n: True)
    embeds_t = torch.tensor(embeds, dtype=torch.float64, requires_grad=True)
    hidden = modules.llama(P, text_cfg, embeds_t, torch.tensor(mask))
    logits = modules.lm_logits(P, text_cfg, hidden)
    # Padded positions' outputs are undefined in HF; keep them out of the loss.
    weights = (rng.standard_normal(logits.shape) * mask[:, :, None]).astype(np.float32)
    loss = (logits * torch.tensor(weights, dtype=torch.float64)).sum()
    grads = gradients(loss, list(P.items()) + [("input/inputs_embeds", embeds_t)])
    inputs = {"inputs_embeds": embeds, "attention_mask": mask, "output_weights": weights}
    save("llama", {"text_config": text_cfg}, params, inputs, {"hidden": hidden, "logits": logits}, grads)


def instructblip_case(case, frames, seed):
    rng = np.random.default_rng(seed)
    # Smaller than the per-module cases, which already cover depth: the wrapper checks the wiring.
    text = dict(LLAMA, tie_word_embeddings=True, num_hidden_layers=1)
    config = {
        "vision_config": VISION,
        "qformer_config": dict(QFORMER, encoder_hidden_size=VISION["hidden_size"], num_hidden_layers=2),
        "text_config": text,
        "num_query_tokens": 4,
    }
    params = random_params(shapes.instructblip(config), rng)
    size = VISION["image_size"]
    pixel_shape = (2, 3, size, size) if frames == 1 else (2, frames, 3, size, size)
    pixels = rng.standard_normal(pixel_shape).astype(np.float32)
    q_ids, q_mask = padded_ids(rng, 2, 5, QFORMER["vocab_size"], [5, 4])
    # LM tokens: row 0 = 3 prompt + 2 target + 1 pad; row 1 = 2 prompt + 4 target (no pad).
    ids, mask = padded_ids(rng, 2, 6, text["vocab_size"], [5, 6])
    labels = ids.copy()
    labels[0, :3] = -100
    labels[0, 5:] = -100
    labels[1, :2] = -100
    trainable = lambda n: n.startswith(("qformer.", "query_tokens", "language_projection."))
    P = to_torch(params, trainable)
    image_embeds = modules.encode_images(P, config, torch.tensor(pixels, dtype=torch.float64))
    loss = modules.instructblip_loss(P, config, image_embeds, torch.tensor(q_ids), torch.tensor(q_mask), torch.tensor(ids), torch.tensor(mask), torch.tensor(labels))
    grads = gradients(loss, [(n, t) for n, t in P.items() if trainable(n)])
    inputs = {"pixel_values": pixels, "qformer_input_ids": q_ids, "qformer_attention_mask": q_mask, "input_ids": ids, "attention_mask": mask, "labels": labels}
    save(case, config, params, inputs, {"loss": loss.reshape(1)}, grads)


def real_size_shape_tables():
    """Names and shapes of the paper's real modules (HF defaults), for a no-allocation layout check."""
    eva = {"hidden_size": 1408, "num_hidden_layers": 39, "num_attention_heads": 16, "intermediate_size": 6144, "image_size": 224, "patch_size": 14, "qkv_bias": True}
    qformer = {"hidden_size": 768, "num_hidden_layers": 12, "intermediate_size": 3072, "cross_attention_frequency": 2, "encoder_hidden_size": 1408, "vocab_size": 30523, "max_position_embeddings": 512}
    vicuna = {"hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32, "vocab_size": 32001, "tie_word_embeddings": False}
    tables = {"eva_vit_g": shapes.vision(eva), "qformer_base": shapes.qformer(qformer, 32), "vicuna_7b": shapes.llama(vicuna)}
    path = os.path.join(OUT, "real-size-shapes.json")
    with open(path, "w") as f:
        json.dump(tables, f, separators=(",", ":"))
    print("real-size-shapes:", {k: sum(int(np.prod(s)) for s in v.values()) for k, v in tables.items()})


if __name__ == "__main__":
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    qformer_case("qformer-instruct", True, 1)
    qformer_case("qformer-blip2", False, 2)
    vision_case(3)
    llama_case(4)
    instructblip_case("instructblip", 1, 5)
    instructblip_case("instructblip-video", 2, 6)
    real_size_shape_tables()
