"""Independent PyTorch reference for the TF.js model, written from the HF semantics of
InstructBlipVisionModel, InstructBlipQFormerModel, LlamaForCausalLM and InstructBlipForConditionalGeneration
(LAVIS-style loss: projected queries in front of the token embeddings, labels -100 off the targets).

Everything is functional over a dict of parameters keyed by HF names in HF layout (Linear weights are
[out, in]), so goldens can be written straight from it. Dropout is omitted: goldens are eval-mode.
"""
import math

import torch
import torch.nn.functional as F


def linear(P, prefix, x, bias=True):
    y = x @ P[prefix + ".weight"].T
    return y + P[prefix + ".bias"] if bias else y


def layer_norm(P, prefix, x, eps):
    return F.layer_norm(x, (x.shape[-1],), P[prefix + ".weight"], P[prefix + ".bias"], eps)


def additive_mask(keep, dtype):
    """1 = attend, 0 = masked, broadcast over heads and query positions."""
    return (1.0 - keep.to(dtype))[:, None, None, :] * torch.finfo(dtype).min


def split_heads(x, heads):
    b, t, d = x.shape
    return x.view(b, t, heads, d // heads).transpose(1, 2)


def merge_heads(x):
    b, h, t, d = x.shape
    return x.transpose(1, 2).reshape(b, t, h * d)


def attend(q, k, v, mask=None):
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + mask
    return torch.softmax(scores, dim=-1) @ v


# ---------------------------------------------------------------- Q-Former (BERT post-LN)


def qformer_attention_block(P, prefix, hidden, context, mask, cfg):
    heads = cfg["num_attention_heads"]
    q = split_heads(linear(P, prefix + ".attention.query", hidden), heads)
    k = split_heads(linear(P, prefix + ".attention.key", context), heads)
    v = split_heads(linear(P, prefix + ".attention.value", context), heads)
    ctx = merge_heads(attend(q, k, v, mask))
    return layer_norm(P, prefix + ".output.LayerNorm", linear(P, prefix + ".output.dense", ctx) + hidden, cfg["layer_norm_eps"])


def qformer_feed_forward(P, intermediate, output, x, cfg):
    h = F.gelu(linear(P, intermediate + ".dense", x))
    return layer_norm(P, output + ".LayerNorm", linear(P, output + ".dense", h) + x, cfg["layer_norm_eps"])


def qformer(P, cfg, image_embeds, input_ids=None, attention_mask=None, layernorm="qformer.embeddings.layernorm"):
    """Returns the query positions of the last hidden state: [B, num_query_tokens, hidden]."""
    batch = image_embeds.shape[0]
    queries = P["query_tokens"].expand(batch, -1, -1)
    nq = queries.shape[1]
    if input_ids is not None:
        length = input_ids.shape[1]
        words = P["qformer.embeddings.word_embeddings.weight"][input_ids]
        words = words + P["qformer.embeddings.position_embeddings.weight"][:length]
        x = torch.cat([queries, words], dim=1)
        keep = torch.cat([torch.ones(batch, nq, dtype=attention_mask.dtype), attention_mask], dim=1)
    else:
        x = queries
        keep = torch.ones(batch, nq)
    x = layer_norm(P, layernorm, x, cfg["layer_norm_eps"])
    mask = additive_mask(keep, x.dtype)
    for i in range(cfg["num_hidden_layers"]):
        prefix = f"qformer.encoder.layer.{i}"
        attended = qformer_attention_block(P, prefix + ".attention", x, x, mask, cfg)
        query_part = attended[:, :nq]
        if i % cfg["cross_attention_frequency"] == 0:
            query_part = qformer_attention_block(P, prefix + ".crossattention", query_part, image_embeds, None, cfg)
        out = qformer_feed_forward(P, prefix + ".intermediate_query", prefix + ".output_query", query_part, cfg)
        if attended.shape[1] > nq:
            text = qformer_feed_forward(P, prefix + ".intermediate", prefix + ".output", attended[:, nq:], cfg)
            out = torch.cat([out, text], dim=1)
        x = out
    return x[:, :nq]


# ---------------------------------------------------------------- vision encoder (BLIP-2 / EVA ViT, pre-LN)


def vision(P, cfg, pixel_values):
    """pixel_values [B, 3, H, W] -> post-LayerNorm hidden states [B, 1 + patches, hidden]."""
    prefix = "vision_model."
    eps = cfg["layer_norm_eps"]
    heads = cfg["num_attention_heads"]
    patches = F.conv2d(pixel_values, P[prefix + "embeddings.patch_embedding.weight"], P[prefix + "embeddings.patch_embedding.bias"], stride=cfg["patch_size"])
    patches = patches.flatten(2).transpose(1, 2)
    batch, _, width = patches.shape
    cls = P[prefix + "embeddings.class_embedding"].expand(batch, 1, -1)
    x = torch.cat([cls, patches], dim=1)
    x = x + P[prefix + "embeddings.position_embedding"][:, : x.shape[1]]
    for i in range(cfg["num_hidden_layers"]):
        layer = f"{prefix}encoder.layers.{i}."
        h = layer_norm(P, layer + "layer_norm1", x, eps)
        qkv = linear(P, layer + "self_attn.qkv", h, bias=cfg.get("qkv_bias", True))
        qkv = qkv.reshape(batch, x.shape[1], 3, heads, width // heads).permute(2, 0, 3, 1, 4)
        ctx = merge_heads(attend(qkv[0], qkv[1], qkv[2]))
        x = x + linear(P, layer + "self_attn.projection", ctx)
        h = layer_norm(P, layer + "layer_norm2", x, eps)
        x = x + linear(P, layer + "mlp.fc2", F.gelu(linear(P, layer + "mlp.fc1", h)))
    return layer_norm(P, prefix + "post_layernorm", x, eps)


# ---------------------------------------------------------------- LLaMA decoder


def rms_norm(P, name, x, eps):
    return P[name] * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def rotary(x, position_ids, theta):
    dim = x.shape[-1]
    inv_freq = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    freqs = position_ids.to(torch.float64)[..., None] * inv_freq
    angles = torch.cat([freqs, freqs], dim=-1)[:, None]
    return x * angles.cos().to(x.dtype) + rotate_half(x) * angles.sin().to(x.dtype)


def position_ids_from_mask(mask):
    """HF generate's rule, used everywhere here: positions count only attended tokens."""
    return (mask.long().cumsum(-1) - 1).clamp(min=0)


def llama(P, cfg, inputs_embeds, attention_mask, prefix=""):
    """Returns the final-norm hidden states [B, T, hidden]."""
    batch, length, _ = inputs_embeds.shape
    heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    head_dim = cfg.get("head_dim") or cfg["hidden_size"] // heads
    eps, theta = cfg["rms_norm_eps"], cfg.get("rope_theta", 10000.0)
    bias = cfg.get("attention_bias", False)
    positions = position_ids_from_mask(attention_mask)
    causal = torch.tril(torch.ones(length, length, dtype=torch.bool))
    allowed = causal[None, None] & attention_mask.bool()[:, None, None, :]
    mask = torch.zeros(allowed.shape, dtype=inputs_embeds.dtype).masked_fill(~allowed, torch.finfo(inputs_embeds.dtype).min)
    x = inputs_embeds
    for i in range(cfg["num_hidden_layers"]):
        layer = f"{prefix}model.layers.{i}."
        h = rms_norm(P, layer + "input_layernorm.weight", x, eps)
        q = linear(P, layer + "self_attn.q_proj", h, bias).view(batch, length, heads, head_dim).transpose(1, 2)
        k = linear(P, layer + "self_attn.k_proj", h, bias).view(batch, length, kv_heads, head_dim).transpose(1, 2)
        v = linear(P, layer + "self_attn.v_proj", h, bias).view(batch, length, kv_heads, head_dim).transpose(1, 2)
        q, k = rotary(q, positions, theta), rotary(k, positions, theta)
        k = k.repeat_interleave(heads // kv_heads, dim=1)
        v = v.repeat_interleave(heads // kv_heads, dim=1)
        x = x + linear(P, layer + "self_attn.o_proj", merge_heads(attend(q, k, v, mask)), bias)
        h = rms_norm(P, layer + "post_attention_layernorm.weight", x, eps)
        gated = F.silu(linear(P, layer + "mlp.gate_proj", h, False)) * linear(P, layer + "mlp.up_proj", h, False)
        x = x + linear(P, layer + "mlp.down_proj", gated, False)
    return rms_norm(P, prefix + "model.norm.weight", x, eps)


def lm_logits(P, cfg, hidden, prefix=""):
    head = P[prefix + "model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else P[prefix + "lm_head.weight"]
    return hidden @ head.T


# ---------------------------------------------------------------- InstructBLIP wrapper


def soft_prompt(P, cfg, image_embeds, qformer_input_ids, qformer_attention_mask):
    """Q-Former -> language_projection. Video features [B, F, N, D] go frame by frame and the
    frames' query outputs are concatenated, as LAVIS does for 5-D input."""
    if image_embeds.dim() == 4:
        frames = [soft_prompt(P, cfg, image_embeds[:, f], qformer_input_ids, qformer_attention_mask) for f in range(image_embeds.shape[1])]
        return torch.cat(frames, dim=1)
    queries = qformer(P, cfg["qformer_config"], image_embeds, qformer_input_ids, qformer_attention_mask)
    return linear(P, "language_projection", queries)


def encode_images(P, cfg, pixel_values):
    """[B, 3, H, W] -> [B, N, D]; a video [B, F, 3, H, W] -> [B, F, N, D]."""
    if pixel_values.dim() == 5:
        return torch.stack([vision(P, cfg["vision_config"], pixel_values[:, f]) for f in range(pixel_values.shape[1])], dim=1)
    return vision(P, cfg["vision_config"], pixel_values)


def instructblip_loss(P, cfg, image_embeds, qformer_input_ids, qformer_attention_mask, input_ids, attention_mask, labels):
    text_cfg = cfg["text_config"]
    prompt = soft_prompt(P, cfg, image_embeds, qformer_input_ids, qformer_attention_mask)
    batch, nq, _ = prompt.shape
    tokens = P["language_model.model.embed_tokens.weight"][input_ids]
    embeds = torch.cat([prompt, tokens], dim=1)
    mask = torch.cat([torch.ones(batch, nq, dtype=attention_mask.dtype), attention_mask], dim=1)
    hidden = llama(P, text_cfg, embeds, mask, prefix="language_model.")
    logits = lm_logits(P, text_cfg, hidden, prefix="language_model.")
    full_labels = torch.cat([torch.full((batch, nq), -100, dtype=labels.dtype), labels], dim=1)
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), full_labels[:, 1:].reshape(-1), ignore_index=-100)
