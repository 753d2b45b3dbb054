/** Defaults of the original's Train a New Adapter page (ui.md §3). */
export const DEFAULT_LORA = { r: 16, lora_alpha: 32, lora_dropout: 0.05, bias: 'none', task_type: 'CAUSAL_LM' };
export const DEFAULT_BNB = {
  load_in_4bit: true, bnb_4bit_quant_type: 'nf4', bnb_4bit_compute_dtype: 'float16', bnb_4bit_use_double_quant: true, quant_method: 'bitsandbytes',
};
export const DEFAULT_TRAINING_ARGS = {
  num_train_epochs: 1, optim: 'paged_adamw_32bit', per_device_train_batch_size: 1, gradient_accumulation_steps: 4,
  warmup_ratio: 0.03, max_grad_norm: 0.3, learning_rate: 2e-4, fp16: true, logging_steps: 1, lr_scheduler_type: 'constant',
  disable_tqdm: true, report_to: 'mlflow', ddp_find_unused_parameters: false,
};
export const pretty = (o: unknown) => JSON.stringify(o, null, 2);
