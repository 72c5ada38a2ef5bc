"""The demo catalog: about forty realistic models of `proj_demo` and a few of `proj_other`.

Plain data only; `seed.py` turns it into rows with fixed ids (uuid5) and fixed timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass

CHAT = ("chat", "tool-use", "streaming", "json-mode")
CHAT_BASIC = ("chat", "streaming")
CODE = ("chat", "code", "tool-use", "streaming", "fim")
REASONING = ("chat", "reasoning", "streaming")
EMBED = ("embedding",)
RERANK = ("rerank",)


@dataclass(frozen=True)
class Share:
    deployment_count: int
    featured: bool = False
    role: str = "deployable"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    architecture: str
    params: int
    context: int
    hidden: int
    layers: int
    vocab: int
    workload: str
    license: str
    description: str
    caps: tuple[str, ...] = CHAT
    fmt: str = "safetensors"
    quant: str = "native"
    dtype: str = "bfloat16"
    status: str = "ready"
    experts: tuple[int, int] | None = None
    preq: tuple[str, int] | None = None
    broken: str | None = None
    share: Share | None = None
    versions: tuple[tuple[str, str], ...] = (("1.0.0", "Initial upload"),)
    latest: str | None = None
    project: str = "proj_demo"


L31 = "llama3.1"
L32 = "llama3.2"
L33 = "llama3.3"
APACHE = "Apache-2.0"
MIT = "MIT"

DEMO_MODELS: tuple[ModelSpec, ...] = (
    ModelSpec("llama-3.1-8b-instruct", "LlamaForCausalLM", 8030261248, 131072, 4096, 32, 128256,
              "chat", L31,
              "Meta Llama 3.1 8B Instruct, the general-purpose chat model behind the llama-chat "
              "endpoint. 128K context via RoPE scaling, tuned for tool use and multilingual "
              "dialogue in eight languages.",
              share=Share(12, featured=True),
              versions=(("1.0.0", "Initial upload from the Meta release"),
                        ("1.1.0", "Refreshed tokenizer config; fixed chat template EOS handling"),
                        ("2.0.0", "Re-exported with rope scaling for the full 128K context"),
                        ("2.1.0", "Patched generation_config defaults (temperature 0.6)"))),
    ModelSpec("llama-3.1-70b-instruct-awq", "LlamaForCausalLM", 70553706496, 131072, 8192, 80,
              128256, "chat", L31,
              "Llama 3.1 70B Instruct, AWQ 4-bit. Fits on two 48 GB GPUs.",
              quant="awq", dtype="float16", status="active", preq=("awq", 4)),
    ModelSpec("llama-3.2-3b-instruct", "LlamaForCausalLM", 3212749824, 131072, 3072, 28, 128256,
              "chat", L32, "Small Llama 3.2 for summarisation and on-device style assistants."),
    ModelSpec("llama-3.2-1b-instruct-q4_k_m", "LlamaForCausalLM", 1235814400, 131072, 2048, 16,
              128256, "chat", L32, "GGUF Q4_K_M build of Llama 3.2 1B for CPU inference.",
              caps=CHAT_BASIC, fmt="gguf", quant="gguf", dtype="float16"),
    ModelSpec("llama-3.3-70b-instruct-fp8", "LlamaForCausalLM", 70553706496, 131072, 8192, 80,
              128256, "chat", L33,
              "Llama 3.3 70B Instruct with FP8 dynamic quantization: near-bf16 quality at half "
              "the memory, served on H100s with the fp8 kernels.",
              quant="fp8"),
    ModelSpec("qwen2.5-7b-instruct", "Qwen2ForCausalLM", 7615616512, 32768, 3584, 28, 152064,
              "chat", APACHE, "Qwen2.5 7B Instruct: strong structured output and JSON mode."),
    ModelSpec("qwen2.5-14b-instruct-gptq-int4", "Qwen2ForCausalLM", 14770033664, 32768, 5120, 48,
              152064, "multilingual", APACHE,
              "Qwen2.5 14B Instruct, GPTQ Int4. Good multilingual coverage (29 languages).",
              quant="gptq", dtype="float16", preq=("gptq", 4)),
    ModelSpec("qwen2.5-32b-instruct-awq", "Qwen2ForCausalLM", 32763876352, 32768, 5120, 64,
              152064, "chat", APACHE, "Qwen2.5 32B Instruct, AWQ 4-bit.",
              quant="awq", dtype="float16", preq=("awq", 4)),
    ModelSpec("qwen2.5-coder-7b-instruct", "Qwen2ForCausalLM", 7615616512, 32768, 3584, 28,
              152064, "code", APACHE,
              "Qwen2.5-Coder 7B Instruct, behind the qwen-coder endpoint. Code generation, "
              "repair and fill-in-the-middle across 90+ programming languages.",
              caps=CODE, share=Share(5),
              versions=(("1.0.0", "Initial upload"),
                        ("1.1.0", "Enabled FIM tokens in the tokenizer config"))),
    ModelSpec("qwen2.5-coder-32b-instruct", "Qwen2ForCausalLM", 32763876352, 32768, 5120, 64,
              152064, "code", APACHE, "Qwen2.5-Coder 32B Instruct for hard refactors.", caps=CODE),
    ModelSpec("qwen3-8b", "Qwen3ForCausalLM", 8190735360, 32768, 4096, 36, 151936, "chat",
              APACHE, "Qwen3 8B with switchable thinking mode.",
              caps=(*CHAT, "reasoning"),
              versions=(("1.0.0", "Initial upload"),
                        ("1.1.0-rc.1", "Release candidate with the updated chat template")),
              latest="1.0.0"),
    ModelSpec("qwen3-30b-a3b", "Qwen3MoeForCausalLM", 30532122624, 32768, 2048, 48, 151936,
              "chat", APACHE,
              "Qwen3 30B-A3B mixture of experts: 128 experts, 8 active per token (3B active "
              "parameters). Being revalidated after a config fix.",
              status="validating", experts=(128, 8), caps=(*CHAT, "reasoning")),
    ModelSpec("qwen3-4b-q8_0", "Qwen3ForCausalLM", 4022468096, 32768, 2560, 36, 151936, "chat",
              APACHE, "GGUF Q8_0 build of Qwen3 4B.", fmt="gguf", quant="gguf",
              dtype="float16", caps=CHAT_BASIC),
    ModelSpec("mistral-7b-instruct-v0.3", "MistralForCausalLM", 7248023552, 32768, 4096, 32,
              32768, "chat", APACHE, "Mistral 7B Instruct v0.3 with function calling.",
              share=Share(3)),
    ModelSpec("mistral-nemo-12b-instruct", "MistralForCausalLM", 12247782400, 131072, 5120, 40,
              131072, "multilingual", APACHE,
              "Mistral NeMo 12B Instruct (Tekken tokenizer), multilingual chat with 128K context."),
    ModelSpec("mixtral-8x7b-instruct-v0.1", "MixtralForCausalLM", 46702792704, 32768, 4096, 32,
              32000, "chat", APACHE,
              "Mixtral 8x7B sparse mixture of experts behind the mixtral-moe endpoint: 8 experts, "
              "2 routed per token, about 13B active parameters per forward pass.",
              experts=(8, 2),
              versions=(("1.0.0", "Initial upload"), ("1.0.1", "Fixed router weights dtype"))),
    ModelSpec("mixtral-8x22b-instruct-awq", "MixtralForCausalLM", 140620634112, 65536, 6144, 56,
              32768, "chat", APACHE,
              "Mixtral 8x22B AWQ. Upload incomplete: shard 37 of 59 is missing.",
              quant="awq", dtype="float16", status="failed", experts=(8, 2),
              preq=("awq", 4), broken="failed"),
    ModelSpec("deepseek-r1-distill-qwen-7b", "Qwen2ForCausalLM", 7615616512, 131072, 3584, 28,
              152064, "reasoning", MIT,
              "DeepSeek-R1 distilled into Qwen2.5-Math 7B, behind the deepseek-r1 endpoint. "
              "Thinks before answering; reports reasoning tokens in usage.",
              caps=REASONING, share=Share(7),
              versions=(("1.0.0", "Initial upload"),
                        ("2.0.0", "Re-distilled checkpoint with fewer language switches"))),
    ModelSpec("deepseek-r1-distill-llama-8b", "LlamaForCausalLM", 8030261248, 131072, 4096, 32,
              128256, "reasoning", MIT, "DeepSeek-R1 distilled into Llama 3.1 8B.",
              caps=REASONING),
    ModelSpec("deepseek-r1-distill-qwen-32b-awq", "Qwen2ForCausalLM", 32763876352, 131072, 5120,
              64, 152064, "reasoning", MIT, "DeepSeek-R1 distill, Qwen2.5 32B, AWQ 4-bit.",
              caps=REASONING, quant="awq", dtype="float16", preq=("awq", 4)),
    ModelSpec("deepseek-r1-distill-qwen-1.5b-q4_k_m", "Qwen2ForCausalLM", 1777088000, 131072,
              1536, 28, 151936, "reasoning", MIT,
              "Tiny R1 distill for CPU experiments. Failed a checksum on first upload.",
              caps=REASONING, fmt="gguf", quant="gguf", dtype="float16", status="failed"),
    ModelSpec("phi-3.5-mini-instruct", "Phi3ForCausalLM", 3821079552, 131072, 3072, 32, 32064,
              "chat", MIT, "Microsoft Phi-3.5 mini: 3.8B parameters, 128K context."),
    ModelSpec("phi-4", "Phi3ForCausalLM", 14659507200, 16384, 5120, 40, 100352, "reasoning", MIT,
              "Phi-4 14B, trained on synthetic reasoning data; strong at math word problems.",
              caps=REASONING),
    ModelSpec("phi-3.5-moe-instruct", "PhiMoEForCausalLM", 41873153344, 131072, 4096, 32, 32064,
              "chat", MIT, "Phi-3.5 MoE: 16 experts of 3.8B, 2 active per token.",
              experts=(16, 2)),
    ModelSpec("gemma-2-9b-it", "Gemma2ForCausalLM", 9241705984, 8192, 3584, 42, 256000, "chat",
              "gemma", "Google Gemma 2 9B instruction tuned."),
    ModelSpec("gemma-2-27b-it", "Gemma2ForCausalLM", 27227128320, 8192, 4608, 46, 256000, "chat",
              "gemma",
              "Gemma 2 27B. config.json declares an architecture the runtime cannot load "
              "(soft-capping attention missing from the export).",
              status="invalid", broken="invalid"),
    ModelSpec("gemma-3-12b-it", "Gemma3ForConditionalGeneration", 12187325040, 131072, 3840, 48,
              262208, "multilingual", "gemma",
              "Gemma 3 12B with vision input; 140+ languages.", caps=(*CHAT, "vision")),
    ModelSpec("starcoder2-15b", "Starcoder2ForCausalLM", 15957889024, 16384, 6144, 40, 49152,
              "code", "bigcode-openrail-m", "StarCoder2 15B base model for code completion.",
              caps=("code", "fim", "streaming")),
    ModelSpec("codellama-13b-instruct", "LlamaForCausalLM", 13016028160, 16384, 5120, 40, 32016,
              "code", "llama2",
              "Code Llama 13B Instruct. The last validation hit a storage timeout; revalidate.",
              caps=CODE, dtype="float16", status="error"),
    ModelSpec("smollm2-1.7b-instruct", "LlamaForCausalLM", 1711376384, 8192, 2048, 24, 49152,
              "chat", APACHE, "Hugging Face SmolLM2 1.7B Instruct.", caps=CHAT_BASIC,
              broken="failed"),
    ModelSpec("granite-3.1-8b-instruct", "GraniteForCausalLM", 8170864640, 131072, 4096, 40,
              49155, "chat", APACHE, "IBM Granite 3.1 8B Instruct, tuned for RAG and tools."),
    ModelSpec("aya-expanse-8b", "CohereForCausalLM", 8028033024, 8192, 4096, 32, 256000,
              "multilingual", "CC-BY-NC-4.0", "Cohere Aya Expanse 8B: 23 languages.",
              dtype="float16"),
    ModelSpec("acme-support-llama-3.1-8b", "LlamaForCausalLM", 8030261248, 131072, 4096, 32,
              128256, "chat", L31,
              "Acme's customer-support assistant: Llama 3.1 8B fine-tuned on 42,000 resolved "
              "tickets, then DPO-aligned to cite order numbers only from the conversation. "
              "Version 2.1.0 failed the regression eval and was not promoted.",
              status="active",
              versions=(("1.0.0", "Baseline SFT on 42k support tickets"),
                        ("1.1.0", "Added refund-policy examples"),
                        ("2.0.0", "DPO pass; fewer hallucinated order numbers"),
                        ("2.1.0", "Longer answers (failed the regression eval; not promoted)")),
              latest="2.0.0"),
    ModelSpec("acme-sql-qwen2.5-coder-7b", "Qwen2ForCausalLM", 7615616512, 32768, 3584, 28,
              152064, "code", APACHE, "Text-to-SQL fine-tune for the analytics warehouse.",
              caps=CODE, status="validated"),
    ModelSpec("llama-guard-3-8b", "LlamaForCausalLM", 8030261248, 131072, 4096, 32, 128256,
              "chat", L31, "Llama Guard 3 safety classifier for prompts and responses.",
              caps=("chat", "moderation")),
    ModelSpec("bge-large-en-v1.5", "BertModel", 335141888, 512, 1024, 24, 30522, "embedding", MIT,
              "BAAI bge-large-en-v1.5 English embeddings (1024 dimensions).",
              caps=EMBED, dtype="float32"),
    ModelSpec("bge-m3", "XLMRobertaModel", 567754752, 8192, 1024, 24, 250002, "embedding", MIT,
              "BGE-M3: dense, sparse and multi-vector retrieval in 100+ languages, 8K inputs.",
              caps=EMBED, dtype="float32", share=Share(2, role="shared")),
    ModelSpec("e5-mistral-7b-instruct", "MistralModel", 7110660096, 32768, 4096, 32, 32000,
              "embedding", MIT, "E5 embeddings on a Mistral 7B backbone, instruction prefixed.",
              caps=EMBED, dtype="float16"),
    ModelSpec("multilingual-e5-large", "XLMRobertaModel", 559890432, 512, 1024, 24, 250002,
              "embedding", MIT, "Multilingual E5 large embeddings.", caps=EMBED, dtype="float32"),
    ModelSpec("nomic-embed-text-v1.5", "NomicBertModel", 136731648, 8192, 768, 12, 30528,
              "embedding", APACHE, "Nomic Embed v1.5 with Matryoshka dimensions (64-768).",
              caps=EMBED, dtype="float32"),
    ModelSpec("bge-reranker-v2-m3", "XLMRobertaForSequenceClassification", 567754752, 8192, 1024,
              24, 250002, "embedding", APACHE, "Multilingual cross-encoder reranker.",
              caps=RERANK, dtype="float16"),
    ModelSpec("bge-reranker-large", "XLMRobertaForSequenceClassification", 559890432, 512, 1024,
              24, 250002, "embedding", MIT, "BAAI cross-encoder reranker (English and Chinese).",
              caps=RERANK, dtype="float32"),
    ModelSpec("jina-reranker-v2-base-multilingual", "XLMRobertaForSequenceClassification",
              278043648, 1024, 768, 12, 250002, "embedding", "CC-BY-NC-4.0",
              "Jina reranker v2, 100+ languages, flash-attention build.",
              caps=RERANK, dtype="float16"),
)  # fmt: skip

OTHER_MODELS: tuple[ModelSpec, ...] = (
    ModelSpec("orbit-llama-3.1-8b-instruct", "LlamaForCausalLM", 8030261248, 131072, 4096, 32,
              128256, "chat", L31, "Orbit team's chat model.", project="proj_other"),
    ModelSpec("orbit-bge-small-en-v1.5", "BertModel", 33360000, 512, 384, 12, 30522,
              "embedding", MIT, "Orbit team's embeddings.", caps=EMBED, dtype="float32",
              project="proj_other"),
)  # fmt: skip

# slug -> (project, model name, worker id)
ENDPOINTS: tuple[tuple[str, str, str, str], ...] = (
    ("llama-chat", "proj_demo", "llama-3.1-8b-instruct", "worker-7f3a"),
    ("qwen-coder", "proj_demo", "qwen2.5-coder-7b-instruct", "worker-2c91"),
    ("deepseek-r1", "proj_demo", "deepseek-r1-distill-qwen-7b", "worker-b40e"),
    ("mixtral-moe", "proj_demo", "mixtral-8x7b-instruct-v0.1", "worker-5d17"),
    ("orbit-chat", "proj_other", "orbit-llama-3.1-8b-instruct", "worker-e803"),
)

# id -> (project, name, workload weights: how well each workload fits the workspace)
WORKSPACES: tuple[tuple[str, str, str, dict[str, float]], ...] = (
    ("ws_0123456789abcdef", "proj_demo", "Support Copilot",
     {"chat": 0.92, "code": 0.81, "reasoning": 0.77, "multilingual": 0.7, "embedding": 0.58}),
    ("ws_8f2c1a04b9e7", "proj_other", "Orbit Search", {"embedding": 0.9, "chat": 0.6}),
)  # fmt: skip

USAGE_SHARE = {"chat": 54, "code": 23, "reasoning": 11, "multilingual": 8, "embedding": 4}
