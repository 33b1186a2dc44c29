"""HF parameter names and shapes of each module, enumerated independently of the TypeScript specs:
a golden written from these loads into the TS model only if both sides agree on every name and shape."""


def layer_norm(prefix, width):
    return {prefix + ".weight": [width], prefix + ".bias": [width]}


def linear(prefix, out_features, in_features, bias=True):
    shapes = {prefix + ".weight": [out_features, in_features]}
    if bias:
        shapes[prefix + ".bias"] = [out_features]
    return shapes


def qformer(cfg, num_query_tokens, instruction=True):
    """instruction=False is BLIP-2's Q-Former: no word/position embeddings, LayerNorm at qformer.layernorm."""
    h, inter, enc = cfg["hidden_size"], cfg["intermediate_size"], cfg["encoder_hidden_size"]
    shapes = {"query_tokens": [1, num_query_tokens, h]}
    if instruction:
        shapes["qformer.embeddings.word_embeddings.weight"] = [cfg["vocab_size"], h]
        shapes["qformer.embeddings.position_embeddings.weight"] = [cfg["max_position_embeddings"], h]
        shapes.update(layer_norm("qformer.embeddings.layernorm", h))
    else:
        shapes.update(layer_norm("qformer.layernorm", h))
    for i in range(cfg["num_hidden_layers"]):
        p = f"qformer.encoder.layer.{i}."
        for name in ("query", "key", "value"):
            shapes.update(linear(p + "attention.attention." + name, h, h))
        shapes.update(linear(p + "attention.output.dense", h, h))
        shapes.update(layer_norm(p + "attention.output.LayerNorm", h))
        if i % cfg["cross_attention_frequency"] == 0:
            shapes.update(linear(p + "crossattention.attention.query", h, h))
            shapes.update(linear(p + "crossattention.attention.key", h, enc))
            shapes.update(linear(p + "crossattention.attention.value", h, enc))
            shapes.update(linear(p + "crossattention.output.dense", h, h))
            shapes.update(layer_norm(p + "crossattention.output.LayerNorm", h))
        if instruction:
            shapes.update(linear(p + "intermediate.dense", inter, h))
            shapes.update(linear(p + "output.dense", h, inter))
            shapes.update(layer_norm(p + "output.LayerNorm", h))
        shapes.update(linear(p + "intermediate_query.dense", inter, h))
        shapes.update(linear(p + "output_query.dense", h, inter))
        shapes.update(layer_norm(p + "output_query.LayerNorm", h))
    return shapes


def vision(cfg):
    d, inter, patch = cfg["hidden_size"], cfg["intermediate_size"], cfg["patch_size"]
    positions = (cfg["image_size"] // patch) ** 2 + 1
    p = "vision_model."
    shapes = {
        p + "embeddings.class_embedding": [1, 1, d],
        p + "embeddings.patch_embedding.weight": [d, 3, patch, patch],
        p + "embeddings.patch_embedding.bias": [d],
        p + "embeddings.position_embedding": [1, positions, d],
    }
    for i in range(cfg["num_hidden_layers"]):
        layer = f"{p}encoder.layers.{i}."
        shapes.update(layer_norm(layer + "layer_norm1", d))
        shapes.update(linear(layer + "self_attn.qkv", 3 * d, d, bias=cfg.get("qkv_bias", True)))
        shapes.update(linear(layer + "self_attn.projection", d, d))
        shapes.update(layer_norm(layer + "layer_norm2", d))
        shapes.update(linear(layer + "mlp.fc1", inter, d))
        shapes.update(linear(layer + "mlp.fc2", d, inter))
    shapes.update(layer_norm(p + "post_layernorm", d))
    return shapes


def llama(cfg, prefix=""):
    h, inter, vocab = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    heads, kv_heads = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    head_dim = cfg.get("head_dim") or h // heads
    bias = cfg.get("attention_bias", False)
    shapes = {prefix + "model.embed_tokens.weight": [vocab, h], prefix + "model.norm.weight": [h]}
    if not cfg.get("tie_word_embeddings", False):
        shapes[prefix + "lm_head.weight"] = [vocab, h]
    for i in range(cfg["num_hidden_layers"]):
        layer = f"{prefix}model.layers.{i}."
        shapes[layer + "input_layernorm.weight"] = [h]
        shapes[layer + "post_attention_layernorm.weight"] = [h]
        shapes.update(linear(layer + "self_attn.q_proj", heads * head_dim, h, bias))
        shapes.update(linear(layer + "self_attn.k_proj", kv_heads * head_dim, h, bias))
        shapes.update(linear(layer + "self_attn.v_proj", kv_heads * head_dim, h, bias))
        shapes.update(linear(layer + "self_attn.o_proj", h, heads * head_dim, bias))
        shapes.update(linear(layer + "mlp.gate_proj", inter, h, False))
        shapes.update(linear(layer + "mlp.up_proj", inter, h, False))
        shapes.update(linear(layer + "mlp.down_proj", h, inter, False))
    return shapes


def instructblip(cfg):
    shapes = vision(cfg["vision_config"])
    shapes.update(qformer(cfg["qformer_config"], cfg["num_query_tokens"]))
    shapes.update(linear("language_projection", cfg["text_config"]["hidden_size"], cfg["qformer_config"]["hidden_size"]))
    shapes.update(llama(cfg["text_config"], prefix="language_model."))
    return shapes
