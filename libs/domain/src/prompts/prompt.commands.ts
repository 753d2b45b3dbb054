/** Commands on prompts, in the original's field names. */
export interface AddPrompt {
  id: string;
  type: string;
  name: string;
  description?: string;
  dataset_id: string;
  prompt_template: string;
  input_template: string;
  completion_template: string;
}

export interface RemovePrompt {
  id: string;
}
