// Generated from /api/openapi.json by scripts/web-api-types.mjs (npm run generate:web-types). Do not edit.

export interface paths {
    "/api/adapters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getAdapters"];
        put?: never;
        post: operations["postAdapters"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/adapters/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getAdaptersById"];
        put?: never;
        post?: never;
        delete: operations["deleteAdaptersById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/adapters/{id}/dataset-split": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getAdaptersByIdDatasetSplit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getAuthSession"];
        put?: never;
        post: operations["postAuthSession"];
        delete: operations["deleteAuthSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/comparisons": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postComparisons"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/comparisons/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getComparisonsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/configs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getConfigs"];
        put?: never;
        post: operations["postConfigs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/configs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getConfigsById"];
        put?: never;
        post?: never;
        delete: operations["deleteConfigsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/database/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getDatabaseExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/database/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postDatabaseImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getDatasets"];
        put?: never;
        post: operations["postDatasets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getDatasetsById"];
        put?: never;
        post?: never;
        delete: operations["deleteDatasetsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/datasets/{id}/rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getDatasetsByIdRows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/evaluation-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getEvaluationJobs"];
        put?: never;
        post: operations["postEvaluationJobs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/evaluation-jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getEvaluationJobsById"];
        put?: never;
        post?: never;
        delete: operations["deleteEvaluationJobsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/evaluation-jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postEvaluationJobsByIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/evaluation-results/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getEvaluationResultsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getEventsStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getExports"];
        put?: never;
        post: operations["postExports"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/exports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getExportsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/fine-tuning-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getFineTuningJobs"];
        put?: never;
        post: operations["postFineTuningJobs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/fine-tuning-jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getFineTuningJobsById"];
        put?: never;
        post?: never;
        delete: operations["deleteFineTuningJobsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/fine-tuning-jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postFineTuningJobsByIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/fine-tuning-jobs/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postFineTuningJobsByIdResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getJobsByIdCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getJobsByIdLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/logs/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getJobsByIdLogsStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getJobsByIdMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/updates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getJobsByIdUpdates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postJobsPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/plan-evaluation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["postJobsPlanEvaluation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getModels"];
        put?: never;
        post: operations["postModels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getModelsById"];
        put?: never;
        post?: never;
        delete: operations["deleteModelsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/prompts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getPrompts"];
        put?: never;
        post: operations["postPrompts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/prompts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getPromptsById"];
        put?: never;
        post?: never;
        delete: operations["deletePromptsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getSettings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AdapterComparison: {
            adapter_ids: string[];
            base_model_id: string;
            created_at: string;
            generation_config: string;
            id: string;
            input_text: string;
            /** @description The base model's output first (adapter_id empty), then one per adapter. */
            outputs: components["schemas"]["ComparisonOutput"][];
            status: string;
            status_message: string;
            updated_at: string;
        };
        AdapterListItem: components["schemas"]["AdapterMetadata"] & {
            /** @description Present (true) when the row's project file or folder is not there, e.g. an imported row. */
            file_missing?: boolean;
        };
        AdapterMetadata: {
            cml_registered_model_id?: string;
            created_at?: string;
            fine_tuning_job_id?: string;
            huggingface_name?: string;
            id?: string;
            location?: string;
            mlflow_experiment_id?: string;
            mlflow_run_id?: string;
            model_id?: string;
            name?: string;
            prompt_id?: string;
            type?: string;
        };
        AddAdapterRequest: {
            fine_tuning_job_id?: string;
            huggingface_name?: string;
            location?: string;
            model_id?: string;
            name?: string;
            prompt_id?: string;
            type?: string;
        };
        AddAdapterResponse: {
            adapter?: components["schemas"]["AdapterMetadata"];
        };
        AddConfigRequest: {
            config?: string;
            description?: string;
            type?: string;
        };
        AddConfigResponse: {
            config?: components["schemas"]["ConfigMetadata"];
        };
        AddDatasetRequest: {
            huggingface_name?: string;
            location?: string;
            name?: string;
            type?: string;
        };
        AddDatasetResponse: {
            dataset?: components["schemas"]["DatasetMetadata"];
        };
        AddModelRequest: {
            huggingface_name?: string;
            /** @description For type "project": a model folder inside the project (holding config.json). */
            location?: string;
            model_registry_id?: string;
            /** @description For type "project": the display name; defaults to the folder's name. */
            name?: string;
            type?: string;
        };
        AddModelResponse: {
            model?: components["schemas"]["ModelMetadata"];
        };
        AddPromptRequest: {
            prompt?: components["schemas"]["PromptMetadata"];
        };
        AddPromptResponse: {
            prompt?: components["schemas"]["PromptMetadata"];
        };
        AuthSession: {
            /** @description Whether the server requires tokens. */
            auth_required: boolean;
            /** @description Who the token stands for; null without one (or when no token is required). */
            principal: {
                name: string;
                /** @enum {string} */
                role: "viewer" | "editor" | "admin";
            } | null;
        };
        CancelEvaluationJobRequest: {
            id?: string;
        };
        CancelEvaluationJobResponse: {
            evaluation_job?: components["schemas"]["EvaluationJobMetadata"];
        };
        CancelFineTuningJobRequest: {
            id?: string;
        };
        CancelFineTuningJobResponse: {
            fine_tuning_job?: components["schemas"]["FineTuningJobMetadata"];
        };
        ComparisonOutput: {
            adapter_id: string;
            /** Format: double */
            latency_s: number;
            output: string;
        };
        ConfigMetadata: {
            config?: string;
            created_at?: string;
            description?: string;
            id?: string;
            /** Format: int32 */
            is_default?: number;
            model_family?: string;
            type?: string;
        };
        /** @description The export document: per table, its schema and rows (as ExportDatabase writes it). */
        DatabaseExport: {
            [key: string]: unknown;
        };
        DatasetListItem: components["schemas"]["DatasetMetadata"] & {
            /** @description Present (true) when the row's project file or folder is not there, e.g. an imported row. */
            file_missing?: boolean;
        };
        DatasetMetadata: {
            created_at?: string;
            description?: string;
            features?: string;
            huggingface_name?: string;
            id?: string;
            location?: string;
            name?: string;
            type?: string;
        };
        /** @description The dataset's first rows as read from its project file. */
        DatasetPreview: {
            features: string[];
            rows: {
                [key: string]: unknown;
            }[];
        };
        /** @description Every error answer: the gRPC status name, the stable reason (e.g. DATASET.NOT_FOUND) and a message for people. */
        ErrorResponse: {
            error: {
                /** @description gRPC status name, e.g. NOT_FOUND */
                code: string;
                message: string;
                reason: string;
            };
        };
        EvaluationJobMetadata: {
            adapter_bnb_config?: string;
            adapter_id?: string;
            base_model_id?: string;
            /** @description Where a cluster runs it: the Slurm job id and node list (empty until known). */
            cluster_job_id?: string;
            cluster_nodes?: string;
            cml_job_id?: string;
            comparison_adapter_id?: string;
            created_at?: string;
            dataset_id?: string;
            /** Format: float */
            eval_dataset_fraction?: number;
            evaluation_dir?: string;
            generation_config?: string;
            /** Format: int32 */
            gpu_label_id?: number;
            id?: string;
            model_bnb_config?: string;
            /** Format: int32 */
            num_cpu?: number;
            /** Format: int32 */
            num_gpu?: number;
            /** Format: int32 */
            num_memory?: number;
            /** Format: int32 */
            num_workers?: number;
            parent_job_id?: string;
            prompt_id?: string;
            /** Format: int32 */
            run_number?: number;
            /** @description The runner the job asked for (empty: the server's) and its Slurm time limit. */
            runner?: string;
            selected_features?: string[];
            status?: string;
            status_message?: string;
            time_limit?: string;
            type?: string;
            updated_at?: string;
        };
        EvaluationJobModelCombination: {
            adapter_id?: string;
            base_model_id?: string;
        };
        EvaluationRowResult: {
            /** Format: double */
            bleu: number;
            /** Format: double */
            exact_match: number;
            expected: string;
            input: string;
            /** Format: double */
            latency_s: number;
            output: string;
            /** Format: double */
            rouge1: number;
            /** Format: double */
            rouge2: number;
            /** Format: double */
            rougeL: number;
        };
        EvaluationRunResult: {
            adapter_id: string;
            /** @description exact_match, rouge1, rouge2, rougeL, bleu, latency_mean_s, latency_p50_s, latency_p95_s, rows */
            aggregate: {
                [key: string]: number;
            };
            base_model_id: string;
            evaluation_job_id: string;
            rows: components["schemas"]["EvaluationRowResult"][];
            status: string;
        };
        /** @description A recorded event, as EventRecord but with data and metadata as JSON objects. */
        Event: {
            data: {
                [key: string]: unknown;
            };
            /** @description correlation_id, causation_id, idempotency_key, actor, transport, client */
            metadata: {
                [key: string]: unknown;
            };
            position: number;
            recorded_at: string;
            schema_version: number;
            stream_id: string;
            stream_type: string;
            stream_version: number;
            type: string;
        };
        EventList: {
            events: components["schemas"]["Event"][];
            /** @description Position of the last event returned (else after_position); pass it as after_position to go on. */
            last_position: number;
        };
        EventRecord: {
            /** @description JSON text. */
            data?: string;
            /** @description JSON text: correlation_id, causation_id, idempotency_key, actor, transport, client. */
            metadata?: string;
            /** Format: int64 */
            position?: number;
            recorded_at?: string;
            /** Format: int32 */
            schema_version?: number;
            stream_id?: string;
            stream_type?: string;
            /** Format: int64 */
            stream_version?: number;
            type?: string;
        };
        ExportDatabaseRequest: {
            /** @description When true, the export also carries this project's extra columns (job status, timestamps). The default output is exactly the original's shape. */
            include_extensions?: boolean;
        };
        ExportDatabaseResponse: {
            exported_json?: string;
        };
        ExportModelRequest: {
            adapter_id?: string;
            artifact_location?: string;
            base_model_id?: string;
            /**
             * Format: int32
             * @description cml_model deployment resources (defaults: 2 CPU, 8 GB, 1 GPU, 1 replica).
             */
            cpu?: number;
            /** @description Authentication stays on unless this is set (the original turned it off). */
            disable_authentication?: boolean;
            generation_config?: string;
            /** Format: int32 */
            gpu?: number;
            /** Format: int32 */
            memory?: number;
            model_description?: string;
            model_name?: string;
            /** Format: int32 */
            replicas?: number;
            type?: string;
        };
        ExportModelResponse: {
            adapter_id: string;
            base_model_id: string;
            /** @description The id of the recorded export request. */
            export_id: string;
            status: string;
        };
        FineTuningJobMetadata: {
            adapter_bnb_config?: string;
            adapter_id?: string;
            adapter_name?: string;
            /** Format: int32 */
            attempt?: number;
            auto_add_adapter?: boolean;
            axolotl_config_id?: string;
            base_model_id?: string;
            /**
             * Format: int32
             * @description The step of the checkpoint promoted to the job's adapter (0: the final weights).
             */
            best_checkpoint_step?: number;
            /**
             * Format: int32
             * @description Extensions: checkpoints and resume. attempt: the run this job is on (1 = the first; each automatic retry or resume adds one), out of max_attempts automatic runs.
             */
            checkpoint_every_steps?: number;
            /** @description Where a cluster runs it: the Slurm job id and node list (empty until known). */
            cluster_job_id?: string;
            cluster_nodes?: string;
            cml_job_id?: string;
            created_at?: string;
            /** Format: float */
            dataset_fraction?: number;
            dataset_id?: string;
            early_stopping_metric?: string;
            /** Format: float */
            early_stopping_min_delta?: number;
            /** Format: int32 */
            early_stopping_patience?: number;
            framework_type?: string;
            /** Format: int32 */
            gpu_label_id?: number;
            id?: string;
            /** Format: float */
            learning_rate?: number;
            lora_config?: string;
            /** Format: int32 */
            max_attempts?: number;
            model_bnb_config?: string;
            /** Format: int32 */
            num_cpu?: number;
            /** Format: int32 */
            num_epochs?: number;
            /** Format: int32 */
            num_gpu?: number;
            /** Format: int32 */
            num_memory?: number;
            /** Format: int32 */
            num_workers?: number;
            out_dir?: string;
            prompt_id?: string;
            /** @description The runner the job asked for (empty: the server's) and its Slurm time limit. */
            runner?: string;
            /** @description queued, dispatching, scheduling, running, cancelling, succeeded, failed, cancelled */
            status?: string;
            status_message?: string;
            time_limit?: string;
            /** Format: float */
            train_test_split?: number;
            training_arguments_config?: string;
            updated_at?: string;
            user_config?: string;
            user_config_id?: string;
            user_script?: string;
        };
        GetAdapterComparisonRequest: {
            id?: string;
        };
        GetAdapterComparisonResponse: {
            comparison?: components["schemas"]["AdapterComparison"];
        };
        GetAdapterRequest: {
            id?: string;
        };
        GetAdapterResponse: {
            adapter?: components["schemas"]["AdapterMetadata"];
        };
        GetConfigRequest: {
            id?: string;
        };
        GetConfigResponse: {
            config?: components["schemas"]["ConfigMetadata"];
        };
        GetDatasetRequest: {
            id?: string;
        };
        GetDatasetResponse: {
            dataset?: components["schemas"]["DatasetMetadata"];
        };
        GetDatasetSplitByAdapterMetadata: {
            /** Format: float */
            dataset_fraction: number;
            /** Format: float */
            train_test_split: number;
        };
        GetDatasetSplitByAdapterRequest: {
            adapter_id?: string;
        };
        GetDatasetSplitByAdapterResponse: {
            response?: components["schemas"]["GetDatasetSplitByAdapterMetadata"];
        };
        GetEvaluationJobRequest: {
            id?: string;
        };
        GetEvaluationJobResponse: {
            evaluation_job?: components["schemas"]["EvaluationJobMetadata"];
        };
        GetEvaluationResultsRequest: {
            /** @description An evaluation job id, or the parent id shared by the runs of one request. */
            id?: string;
        };
        GetEvaluationResultsResponse: {
            runs?: components["schemas"]["EvaluationRunResult"][];
        };
        GetFineTuningJobRequest: {
            id?: string;
        };
        GetFineTuningJobResponse: {
            fine_tuning_job?: components["schemas"]["FineTuningJobMetadata"];
        };
        GetJobLogsRequest: {
            /** @description Keep the stream open and send new lines until the job ends. */
            follow?: boolean;
            job_id?: string;
            /**
             * Format: int32
             * @description How many of the last lines to send first (default 100).
             */
            tail_lines?: number;
        };
        GetJobMetricsRequest: {
            job_id?: string;
        };
        GetJobMetricsResponse: {
            points?: components["schemas"]["JobMetricPoint"][];
        };
        GetModelExportRequest: {
            id?: string;
        };
        GetModelExportResponse: {
            export?: components["schemas"]["ModelExport"];
        };
        GetModelRequest: {
            id?: string;
        };
        GetModelResponse: {
            model?: components["schemas"]["ModelMetadata"];
        };
        GetPromptRequest: {
            id?: string;
        };
        GetPromptResponse: {
            prompt?: components["schemas"]["PromptMetadata"];
        };
        Health: {
            /** @description Free bytes on the database disk, when degraded. */
            free_bytes?: number;
            /** @description Why it is degraded (the database disk is full or nearly so). */
            reason?: string;
            /** @enum {string} */
            status: "ok" | "degraded";
        };
        HttpImportDatabaseResponse: {
            report: components["schemas"]["HttpImportReport"];
        };
        /** @description ImportReport, each table with the rows already there unchanged and one problem per row not imported. */
        HttpImportReport: {
            tables: components["schemas"]["HttpImportTableReport"][];
            warnings: string[];
        };
        HttpImportTableReport: components["schemas"]["ImportTableReport"] & {
            problems: components["schemas"]["ImportProblem"][];
            /** @description Rows already there with the same values. */
            unchanged: number;
        };
        HttpListAdaptersResponse: {
            adapters?: components["schemas"]["AdapterListItem"][];
            next_page_token?: string;
        };
        HttpListDatasetsResponse: {
            datasets?: components["schemas"]["DatasetListItem"][];
            next_page_token?: string;
        };
        HttpListModelsResponse: {
            models?: components["schemas"]["ModelListItem"][];
            next_page_token?: string;
        };
        ImportDatabaseRequest: {
            /** @description Or the export itself, as text (used by the web console's upload). */
            imported_json?: string;
            /** @description A path inside the project, as in the original. */
            imported_json_path?: string;
        };
        ImportDatabaseResponse: {
            report?: components["schemas"]["ImportReport"];
        };
        /** @description A row not imported, and why. */
        ImportProblem: {
            entity: string;
            id: string;
            name: string;
            reason: string;
        };
        ImportReport: {
            tables: components["schemas"]["ImportTableReport"][];
            /** @description References that point at nothing in this project (missing rows or files). */
            warnings: string[];
        };
        ImportTableReport: {
            /** @description Rows whose id already exists, or whose content conflicts; never imported. */
            conflicts: string[];
            /** Format: int32 */
            imported: number;
            /** Format: int32 */
            skipped: number;
            table: string;
        };
        JobCheckpoint: {
            at: string;
            /**
             * Format: int32
             * @description The attempt (1 = the first run) that saved it.
             */
            attempt: number;
            /** Format: double */
            epoch: number;
            /** Format: double */
            eval_loss: number | null;
            /**
             * Format: double
             * @description Train loss at the step (NaN when the template reported none), and eval loss.
             */
            loss: number | null;
            /** @description Project-relative folder of the checkpoint. */
            path: string;
            /** Format: int32 */
            step: number;
        };
        JobLogChunk: {
            lines: string[];
        };
        JobMetricPoint: {
            /** @description When the template wrote it (ISO-8601). */
            at: string;
            /**
             * Format: int32
             * @description The attempt (run) of the job that reported it; 1 for the first.
             */
            attempt: number;
            /** Format: int32 */
            step: number;
            /** Format: int32 */
            total_steps: number;
            /** @description Only the metrics the template reported at this step: epoch, loss, eval_loss, learning_rate, grad_norm. */
            values: {
                [key: string]: number;
            };
        };
        JobUpdate: {
            job_id: string;
            /** @description "status" or "metric" */
            kind: string;
            metric?: components["schemas"]["JobMetricPoint"];
            /**
             * Format: int64
             * @description Position of the event in the log.
             */
            position: number;
            recorded_at: string;
            status: string;
            status_message: string;
        };
        ListAdaptersRequest: {
            /** Format: int32 */
            page_size?: number;
            page_token?: string;
        };
        ListAdaptersResponse: {
            adapters?: components["schemas"]["AdapterMetadata"][];
            next_page_token?: string;
        };
        ListConfigsRequest: {
            adapter_id?: string;
            fine_tuning_job_id?: string;
            model_id?: string;
            /** Format: int32 */
            page_size?: number;
            page_token?: string;
            type?: string;
        };
        ListConfigsResponse: {
            configs?: components["schemas"]["ConfigMetadata"][];
            next_page_token?: string;
        };
        ListDatasetsRequest: {
            /** Format: int32 */
            page_size?: number;
            page_token?: string;
        };
        ListDatasetsResponse: {
            datasets?: components["schemas"]["DatasetMetadata"][];
            next_page_token?: string;
        };
        ListEvaluationJobsRequest: {
            /** Format: int32 */
            page_size?: number;
            page_token?: string;
        };
        ListEvaluationJobsResponse: {
            evaluation_jobs?: components["schemas"]["EvaluationJobMetadata"][];
            next_page_token?: string;
        };
        ListEventsRequest: {
            /**
             * Format: int64
             * @description Only events whose position is greater than this.
             */
            after_position?: number;
            /** @description ISO-8601 bounds on recorded_at (empty: no bound). */
            from_time?: string;
            /** Format: int32 */
            limit?: number;
            stream_id?: string;
            stream_type?: string;
            /**
             * Format: int64
             * @description Only events up to and including this position (0: no bound).
             */
            to_position?: number;
            to_time?: string;
            /** @description Only these event types (empty: all). */
            types?: string[];
        };
        ListEventsResponse: {
            events?: components["schemas"]["EventRecord"][];
            /**
             * Format: int64
             * @description Position of the last event returned; pass it as after_position to go on.
             */
            last_position?: number;
        };
        ListFineTuningJobsRequest: {
            /** Format: int32 */
            page_size?: number;
            page_token?: string;
        };
        ListFineTuningJobsResponse: {
            fine_tuning_jobs?: components["schemas"]["FineTuningJobMetadata"][];
            next_page_token?: string;
        };
        ListJobCheckpointsRequest: {
            job_id?: string;
        };
        ListJobCheckpointsResponse: {
            checkpoints?: components["schemas"]["JobCheckpoint"][];
        };
        ListModelExportsRequest: {
            /** Format: int32 */
            page_size?: number;
            page_token?: string;
        };
        ListModelExportsResponse: {
            exports?: components["schemas"]["ModelExport"][];
            next_page_token?: string;
        };
        ListModelsRequest: {
            /** Format: int32 */
            page_size?: number;
            page_token?: string;
        };
        ListModelsResponse: {
            models?: components["schemas"]["ModelMetadata"][];
            next_page_token?: string;
        };
        ListPromptsRequest: {
            /** Format: int32 */
            page_size?: number;
            page_token?: string;
        };
        ListPromptsResponse: {
            next_page_token?: string;
            prompts?: components["schemas"]["PromptMetadata"][];
        };
        ModelExport: {
            adapter_id?: string;
            artifact_location?: string;
            base_model_id?: string;
            cml_build_id?: string;
            cml_deployment_id?: string;
            /** @description cml_model: the CML model, build and deployment; model_registry: the registered model. */
            cml_model_id?: string;
            created_at?: string;
            id?: string;
            model_description?: string;
            model_name?: string;
            registered_model_id?: string;
            status?: string;
            status_message?: string;
            type?: string;
            updated_at?: string;
        };
        ModelListItem: components["schemas"]["ModelMetadata"] & {
            /** @description Present (true) when the row's project file or folder is not there, e.g. an imported row. */
            file_missing?: boolean;
        };
        ModelMetadata: {
            cml_registered_model_id?: string;
            created_at?: string;
            framework?: string;
            huggingface_model_name?: string;
            id?: string;
            location?: string;
            mlflow_experiment_id?: string;
            mlflow_run_id?: string;
            /** @description The model's architecture (e.g. LlamaForCausalLM) when known. */
            model_family?: string;
            name?: string;
            type?: string;
        };
        PlanDroppedRows: {
            reason: string;
            /** Format: int64 */
            rows: number;
        };
        PlanDuration: {
            /** Format: int32 */
            based_on_jobs: number;
            known: boolean;
            /** Format: int64 */
            seconds: number;
            /** Format: double */
            tokens_per_second: number;
            unknown_reason: string;
        };
        PlanEvaluationJobResponse: {
            blockers: string[];
            /** @description One per model/adapter combination, in request order. */
            runs: components["schemas"]["PlanEvaluationRun"][];
            warnings: string[];
        };
        PlanEvaluationRow: {
            expected: string;
            /** Format: int64 */
            index: number;
            /** @description The model input (input_template) and the expected output (completion_template). */
            input: string;
        };
        PlanEvaluationRun: {
            adapter_id: string;
            base_model_id: string;
            /**
             * Format: double
             * @description The split the adapter was trained with (its held-out rows are evaluated).
             */
            dataset_fraction: number;
            /** Format: int64 */
            evaluated: number;
            /** @description eval: the held-out rows; evaluated: those sampled by eval_dataset_fraction. */
            rows?: components["schemas"]["PlanRows"];
            sample_rows: components["schemas"]["PlanEvaluationRow"][];
            /** Format: double */
            train_test_split: number;
        };
        PlanFineTuningJobResponse: {
            /** @description Reasons the start cannot produce a useful adapter; the console asks for a confirmation. */
            blockers: string[];
            duration?: components["schemas"]["PlanDuration"];
            /** Format: int32 */
            max_seq_length: number;
            memory?: components["schemas"]["PlanMemory"];
            rows?: components["schemas"]["PlanRows"];
            /** @description The first training rows rendered as the job renders them: the prompt part, then the trained part. */
            sample_rows: components["schemas"]["PlanRenderedRow"][];
            steps?: components["schemas"]["PlanSteps"];
            tokens?: components["schemas"]["PlanTokens"];
            /** @description Things the user should know (sampled statistics, truncation, unsupported template fields). */
            warnings: string[];
        };
        PlanGpuFit: {
            fits: boolean;
            gpu: string;
            /** Format: int64 */
            memory_bytes: number;
        };
        PlanHistogramBucket: {
            /** Format: int64 */
            count: number;
            /** Format: int64 */
            upper: number;
        };
        PlanLengths: {
            /** Format: int64 */
            max: number;
            /** Format: int64 */
            p50: number;
            /** Format: int64 */
            p90: number;
            /** Format: int64 */
            p99: number;
        };
        PlanMemory: {
            /** Format: int64 */
            activations_bytes: number;
            formula: string;
            gpus: components["schemas"]["PlanGpuFit"][];
            gradient_checkpointing: boolean;
            known: boolean;
            /** Format: int64 */
            logits_bytes: number;
            /** Format: int64 */
            lora_bytes: number;
            /** Format: int64 */
            overhead_bytes: number;
            /** Format: int64 */
            parameters: number;
            quantization: string;
            shape_source: string;
            /** Format: int64 */
            total_bytes: number;
            /** Format: int64 */
            trainable_parameters: number;
            unknown_reason: string;
            /** Format: int64 */
            weights_bytes: number;
        };
        PlanRenderedRow: {
            completion: string;
            /** @description False: the completion was not found in the text and the job trains on all of it. */
            completion_located: boolean;
            /** Format: int64 */
            index: number;
            prompt: string;
        };
        PlanRows: {
            /** Format: int64 */
            after_fraction: number;
            dropped: components["schemas"]["PlanDroppedRows"][];
            /** Format: int64 */
            eval: number;
            /** @description "train" when held out of the train split, else the dataset's own "eval" / "test" split. */
            eval_split: string;
            known: boolean;
            /** Format: int64 */
            total: number;
            /** Format: int64 */
            train: number;
            unknown_reason: string;
        };
        PlanSteps: {
            /** Format: int32 */
            batch_size: number;
            /** Format: int32 */
            effective_batch: number;
            /** Format: double */
            epochs: number;
            /** @description False: packs were not counted from token lengths (an upper bound or a scaled estimate). */
            exact: boolean;
            /** Format: int32 */
            gradient_accumulation: number;
            known: boolean;
            packed: boolean;
            /** Format: int64 */
            steps_per_epoch: number;
            /** Format: int64 */
            total_steps: number;
            unknown_reason: string;
            /** Format: int32 */
            world_size: number;
        };
        PlanTokens: {
            completion?: components["schemas"]["PlanLengths"];
            /** Format: double */
            completion_cut_share: number;
            /** Format: int64 */
            completion_lost_rows: number;
            histogram: components["schemas"]["PlanHistogramBucket"][];
            known: boolean;
            prompt?: components["schemas"]["PlanLengths"];
            /** Format: int64 */
            rows_measured: number;
            sampled: boolean;
            tokenizer: string;
            total?: components["schemas"]["PlanLengths"];
            /** Format: int64 */
            trained_tokens_per_epoch: number;
            /** Format: double */
            truncated_share: number;
            unknown_reason: string;
        };
        PromptMetadata: {
            completion_template?: string;
            created_at?: string;
            dataset_id?: string;
            description?: string;
            id?: string;
            input_template?: string;
            name?: string;
            prompt_template?: string;
            type?: string;
        };
        /** @description The job templates' Python. */
        PythonInfo: {
            /** @description torch, transformers, peft: whether each is importable. */
            packages: {
                [key: string]: boolean;
            };
            path: string;
            venv: boolean;
        };
        RemoveAdapterRequest: {
            /** @description Extension: also delete the adapter's folder, when it is inside the project and no other entity uses it. */
            delete_files?: boolean;
            id?: string;
        };
        RemoveAdapterResponse: {
            /** @description Extension (with delete_files): the folders deleted, and those kept with the reason ("<path>: <why>"). */
            deleted_files: string[];
            kept_files: string[];
        };
        RemoveConfigRequest: {
            id?: string;
        };
        RemoveConfigResponse: Record<string, never>;
        RemoveDatasetRequest: {
            id?: string;
            remove_prompts?: boolean;
        };
        RemoveDatasetResponse: Record<string, never>;
        RemoveEvaluationJobRequest: {
            id?: string;
        };
        RemoveEvaluationJobResponse: Record<string, never>;
        RemoveFineTuningJobRequest: {
            /** @description Extension: also delete the job's run folders (checkpoints included) and its adapter folder, each only when it is inside the project and no other entity (a registered adapter, a model…) uses it. */
            delete_files?: boolean;
            id?: string;
        };
        RemoveFineTuningJobResponse: {
            /** @description Extension (with delete_files): the folders deleted, and those kept with the reason ("<path>: <why>"). */
            deleted_files: string[];
            kept_files: string[];
        };
        RemoveModelRequest: {
            id?: string;
        };
        RemoveModelResponse: Record<string, never>;
        RemovePromptRequest: {
            id?: string;
        };
        RemovePromptResponse: Record<string, never>;
        /** @description Optional; without checkpoint_step, the newest checkpoint. */
        ResumeFineTuningJobBody: {
            /** @description The step of the checkpoint to resume from; 0: the newest. */
            checkpoint_step?: number;
        };
        ResumeFineTuningJobRequest: {
            /**
             * Format: int32
             * @description The step of the checkpoint to resume from; 0: the newest.
             */
            checkpoint_step?: number;
            id?: string;
        };
        ResumeFineTuningJobResponse: {
            fine_tuning_job?: components["schemas"]["FineTuningJobMetadata"];
        };
        /** @description A text/event-stream: `id:`, `event:` and `data:` lines, data being one JSON object; comment lines keep the connection alive. */
        ServerSentEvents: string;
        /** @description What this server runs with (read-only). */
        Settings: {
            /** @description Whether the server requires tokens. */
            auth: boolean;
            db_path: string;
            /** @description The local runner's GPU slots; null for the others. */
            gpu_slots?: number | null;
            grpc_address: string;
            http_address: string;
            project_root: string;
            python: components["schemas"]["PythonInfo"];
            /** @description local, slurm or cml */
            runner: string;
            /** @description The Slurm cluster (sinfo); null when there is none to show. */
            slurm: {
                /** @description Why sinfo gave no answer. */
                error?: string;
                partitions: components["schemas"]["SlurmPartition"][];
            } | null;
            state_dir: string;
            templates_dir: string;
            /** @description studio, node, nest, sqlite */
            versions: {
                [key: string]: string;
            };
        };
        SlurmPartition: {
            available: string;
            cpus: {
                allocated: number;
                idle: number;
                other: number;
                total: number;
            };
            default: boolean;
            gres: string;
            name: string;
            nodes: {
                allocated: number;
                idle: number;
                other: number;
                total: number;
            };
            timeLimit: string;
        };
        StartAdapterComparisonRequest: {
            adapter_ids?: string[];
            base_model_id?: string;
            /** Format: int32 */
            cpu?: number;
            generation_config?: string;
            /** Format: int32 */
            gpu?: number;
            /** Format: int32 */
            gpu_label_id?: number;
            input_text?: string;
            /** Format: int32 */
            memory?: number;
        };
        StartAdapterComparisonResponse: {
            comparison?: components["schemas"]["AdapterComparison"];
        };
        StartEvaluationJobRequest: {
            adapter_bnb_config?: string;
            comparison_adapter_id?: string;
            /** Format: int32 */
            cpu?: number;
            dataset_id?: string;
            /** Format: float */
            eval_dataset_fraction?: number;
            generation_config?: string;
            /** Format: int32 */
            gpu?: number;
            /** Format: int32 */
            gpu_label_id?: number;
            job_id?: string;
            /** Format: int32 */
            memory?: number;
            model_adapter_combinations?: components["schemas"]["EvaluationJobModelCombination"][];
            model_bnb_config?: string;
            prompt_id?: string;
            /** Format: int32 */
            run_number?: number;
            /** @description Extensions: where these jobs run (as on StartFineTuningJobRequest). */
            runner?: string;
            selected_features?: string[];
            time_limit?: string;
            type?: string;
        };
        StartEvaluationJobResponse: {
            evaluation_job?: components["schemas"]["EvaluationJobMetadata"];
            /** @description Every job created by the request, one per model/adapter combination. */
            evaluation_jobs?: components["schemas"]["EvaluationJobMetadata"][];
        };
        StartFineTuningJobRequest: {
            adapter_bnb_config?: string;
            adapter_name?: string;
            auto_add_adapter?: boolean;
            axolotl_config_id?: string;
            base_model_id?: string;
            /**
             * Format: int32
             * @description Extensions: a checkpoint every N optimizer steps (0: one per epoch), and how many runs the job may take in all when a run dies for a reason outside the user's control (0: 3); each retry resumes from the newest checkpoint.
             */
            checkpoint_every_steps?: number;
            /** Format: int32 */
            cpu?: number;
            /** Format: float */
            dataset_fraction?: number;
            dataset_id?: string;
            /** @description Extensions: early stopping. With a patience > 0 the run stops once the metric (only "eval_loss"; empty: eval_loss) has not improved by more than min_delta for that many evaluations in a row, and the adapter registered is the checkpoint with the best value. */
            early_stopping_metric?: string;
            /** Format: float */
            early_stopping_min_delta?: number;
            /** Format: int32 */
            early_stopping_patience?: number;
            framework_type?: string;
            /** Format: int32 */
            gpu?: number;
            /** Format: int32 */
            gpu_label_id?: number;
            /** Format: float */
            learning_rate?: number;
            lora_config?: string;
            /** Format: int32 */
            max_attempts?: number;
            /** Format: int32 */
            memory?: number;
            model_bnb_config?: string;
            /** Format: int32 */
            num_epochs?: number;
            /** Format: int32 */
            num_workers?: number;
            output_dir?: string;
            prompt_id?: string;
            /** @description Extensions: where this job runs. runner: "local", "slurm" or "cml"; empty: the server's FTS_RUNNER. time_limit: the Slurm time limit (e.g. "2:00:00"; empty: FTS_SLURM_TIME_LIMIT). */
            runner?: string;
            time_limit?: string;
            /** Format: float */
            train_test_split?: number;
            training_arguments_config?: string;
            user_config?: string;
            user_config_id?: string;
            user_script?: string;
        };
        StartFineTuningJobResponse: {
            fine_tuning_job?: components["schemas"]["FineTuningJobMetadata"];
        };
        WatchEventsRequest: {
            /**
             * Format: int64
             * @description Resume after this position: every later event is sent once, in order, then new events as they are committed.
             */
            after_position?: number;
            stream_id?: string;
            stream_type?: string;
            types?: string[];
        };
        WatchJobRequest: {
            job_id?: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getAdapters: {
        parameters: {
            query?: {
                /** @description Only the rows with these ids (repeated or comma-separated, at most 100; an HTTP extension: a page reads the names it shows in one request). Ids not found are left out; not with paging or the other filters. */
                ids?: string[];
                /** @description Only this base model's adapters (an HTTP extension: a form's adapter select reads one model's). */
                model_id?: string;
                /** @description Rows per page; without page_size and page_token every row is returned. */
                page_size?: number;
                /** @description The next_page_token of the previous page. */
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HttpListAdaptersResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HttpListAdaptersResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postAdapters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddAdapterRequest"];
            };
        };
        responses: {
            /** @description AddAdapterResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AddAdapterResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getAdaptersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetAdapterResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetAdapterResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteAdaptersById: {
        parameters: {
            query?: {
                /** @description Also delete the entity's folders inside the project that nothing else uses (true/false or 1/0). */
                delete_files?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RemoveAdapterResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RemoveAdapterResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getAdaptersByIdDatasetSplit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetDatasetSplitByAdapterMetadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetDatasetSplitByAdapterMetadata"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getAuthSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description AuthSession */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthSession"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postAuthSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description AuthSession */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthSession"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteAuthSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postComparisons: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartAdapterComparisonRequest"];
            };
        };
        responses: {
            /** @description StartAdapterComparisonResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartAdapterComparisonResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getComparisonsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetAdapterComparisonResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetAdapterComparisonResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getConfigs: {
        parameters: {
            query?: {
                /** @description Only configs for this adapter. */
                adapter_id?: string;
                /** @description Only configs of this fine-tuning job. */
                fine_tuning_job_id?: string;
                /** @description Only configs for this model. */
                model_id?: string;
                /** @description Rows per page; without page_size and page_token every row is returned. */
                page_size?: number;
                /** @description The next_page_token of the previous page. */
                page_token?: string;
                /** @description Only configs of this type (lora_config, bitsandbytes_config, training_arguments, generation_config, axolotl). */
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ListConfigsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListConfigsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postConfigs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddConfigRequest"];
            };
        };
        responses: {
            /** @description AddConfigResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AddConfigResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getConfigsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetConfigResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetConfigResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteConfigsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getDatabaseExport: {
        parameters: {
            query?: {
                /** @description Also export this project's extra columns (job status, timestamps) (true/false or 1/0). */
                include_extensions?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A JSON file (Content-Disposition: attachment), streamed. */
            200: {
                headers: {
                    /** @description attachment; filename="…" */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatabaseExport"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postDatabaseImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Read as text whatever the Content-Type, up to 64 MiB. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["DatabaseExport"];
            };
        };
        responses: {
            /** @description HttpImportDatabaseResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HttpImportDatabaseResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getDatasets: {
        parameters: {
            query?: {
                /** @description Only the rows with these ids (repeated or comma-separated, at most 100; an HTTP extension: a page reads the names it shows in one request). Ids not found are left out; not with paging or the other filters. */
                ids?: string[];
                /** @description Rows per page; without page_size and page_token every row is returned. */
                page_size?: number;
                /** @description The next_page_token of the previous page. */
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HttpListDatasetsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HttpListDatasetsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postDatasets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddDatasetRequest"];
            };
        };
        responses: {
            /** @description AddDatasetResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AddDatasetResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getDatasetsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetDatasetResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetDatasetResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteDatasetsById: {
        parameters: {
            query?: {
                /** @description Also remove the dataset's prompts (true/false or 1/0). */
                remove_prompts?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getDatasetsByIdRows: {
        parameters: {
            query?: {
                /** @description How many rows. */
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description DatasetPreview */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetPreview"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getEvaluationJobs: {
        parameters: {
            query?: {
                /** @description Rows per page; without page_size and page_token every row is returned. */
                page_size?: number;
                /** @description The next_page_token of the previous page. */
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ListEvaluationJobsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListEvaluationJobsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postEvaluationJobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartEvaluationJobRequest"];
            };
        };
        responses: {
            /** @description StartEvaluationJobResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartEvaluationJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getEvaluationJobsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetEvaluationJobResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetEvaluationJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteEvaluationJobsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postEvaluationJobsByIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CancelEvaluationJobResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelEvaluationJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getEvaluationResultsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetEvaluationResultsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetEvaluationResultsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getEvents: {
        parameters: {
            query?: {
                /** @description Only events after this position. */
                after_position?: number;
                /** @description Only events before this position (with order=desc: the last_position of the previous page). */
                before_position?: number;
                /** @description ISO-8601 lower bound on recorded_at. */
                from_time?: string;
                /** @description At most this many events. */
                limit?: number;
                /** @description desc: newest first (the most recent page of the log, then back with before_position). */
                order?: "asc" | "desc";
                /** @description Only events of this stream. */
                stream_id?: string;
                /** @description Only events of this stream type (dataset, fine_tuning_job, ...). */
                stream_type?: string;
                /** @description Only events up to and including this position. */
                to_position?: number;
                /** @description ISO-8601 upper bound on recorded_at. */
                to_time?: string;
                /** @description Only these event types: repeated or comma-separated. */
                type?: string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description EventList */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getEventsStream: {
        parameters: {
            query?: {
                /** @description The token, for EventSource clients that cannot send headers (or sign in for a session cookie). */
                access_token?: string;
                /** @description Resume after this position. */
                after_position?: number;
                /** @description head: no history; the first frame is 'event: head' with the log's last position as its id, then only events recorded after it. */
                from?: "start" | "head";
                /** @description Only events of this stream. */
                stream_id?: string;
                /** @description Only events of this stream type (dataset, fine_tuning_job, ...). */
                stream_type?: string;
                /** @description Only these event types: repeated or comma-separated. */
                type?: string[];
            };
            header?: {
                /** @description An EventSource reconnecting: wins over after_position. */
                "Last-Event-ID"?: number;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events named `the event type`, each `data:` a Event (JSON). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ServerSentEvents"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getExports: {
        parameters: {
            query?: {
                /** @description Rows per page; without page_size and page_token every row is returned. */
                page_size?: number;
                /** @description The next_page_token of the previous page. */
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ListModelExportsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListModelExportsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postExports: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExportModelRequest"];
            };
        };
        responses: {
            /** @description ExportModelResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportModelResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getExportsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetModelExportResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetModelExportResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getFineTuningJobs: {
        parameters: {
            query?: {
                /** @description Rows per page; without page_size and page_token every row is returned. */
                page_size?: number;
                /** @description The next_page_token of the previous page. */
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ListFineTuningJobsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListFineTuningJobsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postFineTuningJobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartFineTuningJobRequest"];
            };
        };
        responses: {
            /** @description StartFineTuningJobResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartFineTuningJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getFineTuningJobsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetFineTuningJobResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetFineTuningJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteFineTuningJobsById: {
        parameters: {
            query?: {
                /** @description Also delete the entity's folders inside the project that nothing else uses (true/false or 1/0). */
                delete_files?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RemoveFineTuningJobResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RemoveFineTuningJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postFineTuningJobsByIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CancelFineTuningJobResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelFineTuningJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postFineTuningJobsByIdResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ResumeFineTuningJobBody"];
            };
        };
        responses: {
            /** @description ResumeFineTuningJobResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResumeFineTuningJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Health */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getJobsByIdCheckpoints: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ListJobCheckpointsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListJobCheckpointsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getJobsByIdLogs: {
        parameters: {
            query?: {
                /** @description How many of the last lines (0: the default). */
                tail_lines?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JobLogChunk */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobLogChunk"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getJobsByIdLogsStream: {
        parameters: {
            query?: {
                /** @description The token, for EventSource clients that cannot send headers (or sign in for a session cookie). */
                access_token?: string;
                /** @description How many of the last lines to send first. */
                tail_lines?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events named `log`, each `data:` a JobLogChunk (JSON). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ServerSentEvents"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getJobsByIdMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetJobMetricsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetJobMetricsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getJobsByIdUpdates: {
        parameters: {
            query?: {
                /** @description The token, for EventSource clients that cannot send headers (or sign in for a session cookie). */
                access_token?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events named `update`, each `data:` a JobUpdate (JSON). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["ServerSentEvents"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postJobsPlan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartFineTuningJobRequest"];
            };
        };
        responses: {
            /** @description PlanFineTuningJobResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanFineTuningJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postJobsPlanEvaluation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartEvaluationJobRequest"];
            };
        };
        responses: {
            /** @description PlanEvaluationJobResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanEvaluationJobResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getModels: {
        parameters: {
            query?: {
                /** @description Only the rows with these ids (repeated or comma-separated, at most 100; an HTTP extension: a page reads the names it shows in one request). Ids not found are left out; not with paging or the other filters. */
                ids?: string[];
                /** @description Rows per page; without page_size and page_token every row is returned. */
                page_size?: number;
                /** @description The next_page_token of the previous page. */
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description HttpListModelsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HttpListModelsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddModelRequest"];
            };
        };
        responses: {
            /** @description AddModelResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AddModelResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getModelsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetModelResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetModelResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deleteModelsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getPrompts: {
        parameters: {
            query?: {
                /** @description Only this dataset's prompts (an HTTP extension: a form's prompt select reads one dataset's). */
                dataset_id?: string;
                /** @description Only the rows with these ids (repeated or comma-separated, at most 100; an HTTP extension: a page reads the names it shows in one request). Ids not found are left out; not with paging or the other filters. */
                ids?: string[];
                /** @description Rows per page; without page_size and page_token every row is returned. */
                page_size?: number;
                /** @description The next_page_token of the previous page. */
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ListPromptsResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListPromptsResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    postPrompts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PromptMetadata"];
            };
        };
        responses: {
            /** @description AddPromptResponse */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AddPromptResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getPromptsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description GetPromptResponse */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetPromptResponse"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    deletePromptsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no content. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Settings"];
                };
            };
            /** @description An error (4xx/5xx). */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
}
