/** ExportModelRequest, in the original's field names, plus what the edge knows of CML. */
export interface ExportModel {
  type: string;
  base_model_id: string;
  adapter_id: string;
  model_name: string;
  artifact_location: string;
  model_description: string;
  generation_config: string;
  /** True when the CML API is configured (CDSW_API_URL, CDSW_APIV2_KEY, CDSW_PROJECT_ID). */
  cml_configured: boolean;
}

export const MODEL_EXPORT_TYPES = ['model_registry', 'cml_model'] as const;

/** What ExportModel hands back: the original's two fields, the recorded request's id and status. */
export interface ModelExportResult {
  base_model_id: string;
  adapter_id: string;
  export_id: string;
  status: string;
}

/**
 * The generation config an export uses when none is given (the original's
 * default, `json.dumps` of its dict).
 */
export const DEFAULT_EXPORT_GENERATION_CONFIG =
  '{"do_sample": true, "temperature": 0.8, "max_new_tokens": 60, "top_p": 1, "top_k": 50, "num_beams": 1, "repetition_penalty": 1.1, "max_length": null}';
