import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { Api } from '../../../core/api';
import { errorMessage } from '../../../core/api-error';
import { DATASET_EVENTS, MODEL_EVENTS, PROMPT_EVENTS, livePagedList } from '../../../core/paged-list';
import { Adapter, Config, Dataset, FineTuningJob, Model, Prompt } from '../../../core/models';
import { JsonEditor, jsonError } from '../../../shared/json-editor';
import { DEFAULT_BNB, DEFAULT_LORA, DEFAULT_TRAINING_ARGS, pretty } from '../data/defaults';
import { TrainForm, configSummary, configTitle, formArgsOf, formFromJob, overriddenArgs, overrideNote, withFormArgs } from '../data/train-form';
import { PlanPanel } from '../components/plan-panel';
import { JobsApi, type StartFineTuningJobRequest } from '../data/jobs.api';
import { JobsStore } from '../data/jobs.store';

/** Options per page of the dataset, prompt and model selects. */
const SELECT_PAGE = 100;
/** Saved configs per type per page. */
const SAVED_PAGE = 20;
const SAVED_TYPES = ['lora_config', 'bitsandbytes_config', 'training_arguments'];

@Component({
  selector: 'app-train-adapter',
  imports: [FormsModule, JsonEditor, RouterLink, PlanPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Train a new adapter</h1>
    <p class="caption">Fine-tune a base model with LoRA on a dataset and prompt. The adapter is registered when the job succeeds.</p>
    @if (fromJob(); as j) { <p class="note" data-testid="run-again-note">Filled in with the settings of job <a [routerLink]="['/jobs', j.id]">{{ j.adapter_name }}</a>. Change anything, then start it.</p> }
    @if (fromError(); as e) { <p class="error" role="alert">{{ e }}</p> }
    @if (datasets.loaded() && models.loaded() && (!datasets.items().length || !models.items().length)) {
      <p class="error">You need at least one dataset, one prompt and one base model. <a routerLink="/datasets">Add a dataset</a> · <a routerLink="/models">Add a model</a></p>
    }
    <form class="card" (ngSubmit)="submit()" (input)="refreshPlan()" (change)="refreshPlan()" style="max-width: 900px">
      <div class="grid2">
        <label class="field"><span>Adapter name</span>
          <input name="adapter_name" [(ngModel)]="adapterName" required [class.invalid]="nameError()" placeholder="letters, digits and hyphens" />
          @if (nameError(); as e) { <span class="error">{{ e }}</span> }
        </label>
        <label class="field"><span>Output location</span><input name="output_dir" [(ngModel)]="outputDir" /></label>
        <label class="field"><span>Dataset</span>
          <select name="dataset" [ngModel]="datasetId()" (ngModelChange)="datasetId.set($event); promptId.set('')">
            <option value="">— choose —</option>
            @for (d of datasets.items(); track d.id) { <option [value]="d.id">{{ d.name }}</option> }
          </select>
          @if (datasets.hasMore()) { <button type="button" class="link" (click)="datasets.more()" [disabled]="datasets.loading()" data-testid="more-datasets">more datasets…</button> }
        </label>
        <label class="field"><span>Prompt</span>
          <select name="prompt" [ngModel]="promptId()" (ngModelChange)="promptId.set($event)" [disabled]="!datasetId()">
            <option value="">— choose —</option>
            @for (p of prompts.items(); track p.id) { <option [value]="p.id">{{ p.name }}</option> }
          </select>
          @if (prompts.hasMore()) { <button type="button" class="link" (click)="prompts.more()" [disabled]="prompts.loading()">more prompts…</button> }
          @if (datasetId() && prompts.loaded() && !prompts.items().length) { <span class="error">No prompts available. Please <a routerLink="/prompts/new">create a prompt template</a> for this dataset.</span> }
        </label>
        <label class="field"><span>Base model</span>
          <select name="model" [(ngModel)]="modelId">
            <option value="">— choose —</option>
            @for (m of models.items(); track m.id) { <option [value]="m.id">{{ m.name }}</option> }
          </select>
          @if (models.hasMore()) { <button type="button" class="link" (click)="models.more()" [disabled]="models.loading()" data-testid="more-models">more models…</button> }
        </label>
        <label class="field"><span>Finetuning type</span>
          <select name="mode" [ngModel]="multiNode()" (ngModelChange)="multiNode.set($event === true || $event === 'true')">
            <option [ngValue]="false">Single Node</option><option [ngValue]="true">Multi Node</option>
          </select>
        </label>
      </div>
      @if (selectedPrompt(); as p) { <pre data-testid="prompt-preview">{{ p.prompt_template }}</pre> }
      <div class="grid3">
        @if (multiNode()) {
          <label class="field"><span>Number of distribution units</span><input type="number" name="workers" min="1" max="100" [(ngModel)]="numWorkers" /></label>
        }
        <label class="field"><span>CPU{{ suffix() }}</span><input type="number" name="cpu" min="1" [(ngModel)]="cpu" /></label>
        <label class="field"><span>Memory (GiB){{ suffix() }}</span><input type="number" name="memory" min="1" [(ngModel)]="memory" /></label>
        <label class="field"><span>GPU{{ suffix() }}</span><input type="number" name="gpu" min="0" [(ngModel)]="gpu" /></label>
        <label class="field"><span>Number of epochs</span><input type="number" name="epochs" min="1" [ngModel]="epochs()" (ngModelChange)="epochs.set($event)" /></label>
        <label class="field"><span>Learning rate</span><input name="lr" [ngModel]="learningRate()" (ngModelChange)="learningRate.set($event)" [class.invalid]="lrError()" />
          @if (lrError(); as e) { <span class="error">{{ e }}</span> }</label>
        <label class="field"><span>Checkpoint every N steps (0: once per epoch)</span>
          <input type="number" name="checkpointEvery" min="0" step="1" [(ngModel)]="checkpointEvery" /></label>
        <label class="field"><span>Runs allowed (a lost run is retried from its newest checkpoint)</span>
          <input type="number" name="maxAttempts" min="1" max="20" step="1" [(ngModel)]="maxAttempts" /></label>
        <label class="field"><span>Early stopping: evaluations without improvement (0: off)</span>
          <input type="number" name="patience" min="0" step="1" [(ngModel)]="patience" /></label>
        <label class="field"><span>…improvement smaller than this does not count (eval_loss)</span>
          <input type="number" name="minDelta" min="0" step="0.001" [(ngModel)]="minDelta" /></label>
      </div>
      <div class="grid2">
        <label class="field"><span>Dataset fraction: {{ fraction }}</span><input type="range" name="fraction" min="0.01" max="1" step="0.01" [(ngModel)]="fraction" /></label>
        <label class="field"><span>Train/test split: {{ split }}</span><input type="range" name="split" min="0.01" max="1" step="0.01" [(ngModel)]="split" /></label>
      </div>
      @if (overrides().length) {
        <p class="note" data-testid="epochs-override">
          The fields above win over the training arguments:
          @for (o of overrides(); track o.key) { <span class="override">{{ note(o) }}</span> }
        </p>
      }
      <details><summary>LoRA config</summary><app-json-editor label="LoRA config" [showLabel]="false" [(value)]="lora" /></details>
      <details><summary>BitsAndBytes config</summary><app-json-editor label="BitsAndBytes config" [showLabel]="false" [(value)]="bnb" /></details>
      <details><summary>Advanced training options</summary>
        <p class="muted">output_dir, num_train_epochs and learning_rate are set from the fields above when the job starts.</p>
        <app-json-editor label="Training arguments" [rows]="14" [(value)]="trainingArgs" />
      </details>
      @if (saved().length || moreSaved()) {
        <p class="muted">Saved configs:
          @for (c of saved(); track c.id) {
            <button type="button" class="secondary" (click)="useConfig(c)" [title]="summary(c)">{{ title(c) }}: {{ summary(c) }}</button>
          }
          @if (moreSaved()) { <button type="button" class="link" (click)="loadMoreSaved()">more saved configs…</button> }
        </p>
      }
      <app-plan-panel [request]="planRequest()" />
      @if (error(); as e) { <p class="error" role="alert">Failed to create Finetuning Job: {{ e }}</p> }
      @if (missing(); as m) { <p class="error" role="alert">{{ m }}</p> }
      <button type="submit" [disabled]="busy() || invalid()">Start job</button>
    </form>
  `,
})
export default class TrainAdapter {
  /** `?from=<job id>`: "run again with the same settings". */
  readonly from = input<string>();
  // The selects' options: a first page of each list, more on demand; prompts only of the chosen dataset (not the whole catalog).
  protected readonly datasets = livePagedList<Dataset>({ path: '/datasets', key: 'datasets', pageSize: SELECT_PAGE }, DATASET_EVENTS);
  protected readonly models = livePagedList<Model>({ path: '/models', key: 'models', pageSize: SELECT_PAGE }, MODEL_EVENTS);
  protected readonly prompts = livePagedList<Prompt>({ path: '/prompts', key: 'prompts', pageSize: SELECT_PAGE, params: { dataset_id: '' } }, PROMPT_EVENTS);
  private readonly jobs = inject(JobsApi);
  private readonly store = inject(JobsStore);
  private readonly api = inject(Api);
  private readonly router = inject(Router);

  protected adapterName = '';
  protected outputDir = 'data/adapters/';
  protected readonly datasetId = signal('');
  protected readonly promptId = signal('');
  protected modelId = '';
  protected readonly multiNode = signal(false);
  protected numWorkers = 1;
  protected cpu = 2;
  protected memory = 8;
  protected gpu = 1;
  protected readonly epochs = signal(10);
  protected readonly learningRate = signal('2e-4');
  protected fraction = 1.0;
  protected split = 0.9;
  protected checkpointEvery = 0;
  protected maxAttempts = 3;
  protected patience = 0;
  protected minDelta = 0;
  protected readonly lora = signal(pretty(DEFAULT_LORA));
  protected readonly bnb = signal(pretty(DEFAULT_BNB));
  protected readonly trainingArgs = signal(pretty(DEFAULT_TRAINING_ARGS));
  protected readonly saved = signal<Config[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly missing = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly fromJob = signal<FineTuningJob | null>(null);
  protected readonly fromError = signal<string | null>(null);
  protected readonly overrides = computed(() => overriddenArgs(this.trainingArgs(), Number(this.epochs()), Number(this.learningRate())));
  protected readonly note = overrideNote;
  protected readonly title = configTitle;
  protected readonly summary = configSummary;
  protected readonly suffix = computed(() => (this.multiNode() ? ' per distribution unit' : ''));
  protected readonly selectedPrompt = computed(() => this.prompts.items().find((p) => p.id === this.promptId()));
  protected readonly invalid = computed(() => !!(jsonError(this.lora()) || jsonError(this.bnb()) || jsonError(this.trainingArgs())));
  /** What the plan panel plans: the start request, once dataset, prompt and model are chosen. */
  protected readonly planRequest = signal<StartFineTuningJobRequest | null>(null);
  private readonly planPanel = viewChild(PlanPanel);

  constructor() {
    void this.loadMoreSaved();
    effect(() => void this.prompts.setParams({ dataset_id: this.datasetId() }));
    effect(() => {
      const from = this.from();
      if (from) void this.fillFrom(from);
    });
  }

  /** Saved configs of each type, a page at a time (page tokens per type; '' done). */
  private readonly savedTokens = new Map<string, string>(SAVED_TYPES.map((t) => [t, 'first']));
  protected readonly moreSaved = signal(false);

  protected async loadMoreSaved(): Promise<void> {
    const got = await Promise.all(SAVED_TYPES.map(async (t) => {
      const token = this.savedTokens.get(t);
      if (!token) return [] as Config[];
      try {
        const r = await this.api.get<{ configs?: Config[]; next_page_token?: string }>('/configs', { type: t, page_size: SAVED_PAGE, page_token: token === 'first' ? undefined : token });
        this.savedTokens.set(t, r.next_page_token ?? '');
        return r.configs ?? [];
      } catch {
        this.savedTokens.set(t, '');
        return [] as Config[];
      }
    }));
    this.saved.set([...this.saved(), ...got.flat().filter((c) => !c.is_default)]);
    this.moreSaved.set([...this.savedTokens.values()].some((x) => !!x));
  }

  private form(): TrainForm {
    return {
      adapterName: this.adapterName, outputDir: this.outputDir, datasetId: this.datasetId(), promptId: this.promptId(), modelId: this.modelId,
      multiNode: this.multiNode(), numWorkers: this.numWorkers, cpu: this.cpu, memory: this.memory, gpu: this.gpu, epochs: Number(this.epochs()),
      learningRate: this.learningRate(), fraction: this.fraction, split: this.split, lora: this.lora(), bnb: this.bnb(), trainingArgs: this.trainingArgs(),
    };
  }

  private async fillFrom(id: string): Promise<void> {
    try {
      // Adapter names must be new among the jobs (the server's rule): read them all, not just what this tab has seen.
      const [job, all] = await Promise.all([this.jobs.get(id), this.jobs.list()]);
      const adapters = await this.api.get<{ adapters?: Adapter[] }>('/adapters', { page_size: 1000 }).then((r) => r.adapters ?? []).catch(() => [] as Adapter[]);
      const taken = [...all.map((j) => j.adapter_name), ...adapters.map((a) => a.name)];
      const f = formFromJob(job, this.form(), taken);
      this.adapterName = f.adapterName;
      this.outputDir = f.outputDir;
      this.datasetId.set(f.datasetId);
      this.promptId.set(f.promptId);
      this.modelId = f.modelId;
      this.multiNode.set(f.multiNode);
      this.numWorkers = f.numWorkers;
      [this.cpu, this.memory, this.gpu, this.fraction, this.split] = [f.cpu, f.memory, f.gpu, f.fraction, f.split];
      this.epochs.set(f.epochs);
      this.learningRate.set(f.learningRate);
      this.lora.set(f.lora);
      this.bnb.set(f.bnb);
      this.trainingArgs.set(f.trainingArgs);
      this.fromJob.set(job);
      this.fromError.set(null);
      // The job's dataset, model and prompt are options of the selects even when not on their first pages.
      void this.datasets.ensure(f.datasetId, 'dataset');
      void this.models.ensure(f.modelId, 'model');
      await this.prompts.setParams({ dataset_id: f.datasetId });
      void this.prompts.ensure(f.promptId, 'prompt');
      this.refreshPlan();
    } catch (e) {
      this.fromError.set(`The settings of job ${id} could not be loaded: ${errorMessage(e)}`);
    }
  }

  protected nameError(): string | null {
    return this.adapterName && !/^[A-Za-z0-9-]+$/.test(this.adapterName) ? 'Use letters, digits and hyphens only.' : null;
  }
  protected lrError(): string | null {
    const text = String(this.learningRate());
    const v = Number(text);
    return !text.trim() || !isFinite(v) || v <= 0 ? 'Enter a positive number, e.g. 2e-4.' : null;
  }

  protected useConfig(c: Config): void {
    const text = pretty(JSON.parse(c.config));
    if (c.type === 'lora_config') this.lora.set(text);
    else if (c.type === 'bitsandbytes_config') this.bnb.set(text);
    else {
      this.trainingArgs.set(text);
      // A saved training config's epochs and learning rate go into the fields, which are what the job runs with.
      const { epochs, learningRate } = formArgsOf(text);
      if (epochs) this.epochs.set(epochs);
      if (learningRate) this.learningRate.set(String(learningRate));
    }
    this.refreshPlan();
  }

  private request(): StartFineTuningJobRequest {
    return {
      adapter_name: this.adapterName, base_model_id: this.modelId, dataset_id: this.datasetId(), prompt_id: this.promptId(),
      num_workers: this.multiNode() ? Number(this.numWorkers) : 1, auto_add_adapter: true, num_epochs: Number(this.epochs()),
      learning_rate: Number(this.learningRate()), cpu: Number(this.cpu), gpu: Number(this.gpu), memory: Number(this.memory),
      train_test_split: Number(this.split), dataset_fraction: Number(this.fraction), lora_config: this.lora(),
      training_arguments_config: withFormArgs(this.trainingArgs(), Number(this.epochs()), Number(this.learningRate())), adapter_bnb_config: this.bnb(), model_bnb_config: this.bnb(),
      output_dir: this.outputDir, framework_type: 'legacy',
      checkpoint_every_steps: Number(this.checkpointEvery) || 0, max_attempts: Number(this.maxAttempts) || 0,
      early_stopping_patience: Number(this.patience) || 0, early_stopping_min_delta: Number(this.minDelta) || 0,
    };
  }

  /** Called on every input and change in the form: the plan follows the form (the panel debounces). */
  protected refreshPlan(): void {
    const next = this.datasetId() && this.promptId() && this.modelId ? this.request() : null;
    if (JSON.stringify(next) !== JSON.stringify(this.planRequest())) this.planRequest.set(next);
  }

  async submit(): Promise<void> {
    this.error.set(null);
    if (!this.adapterName || !this.datasetId() || !this.promptId() || !this.modelId) {
      this.missing.set('Please complete the fields: Adapter Name, Dataset, Prompt, and Base Model.');
      return;
    }
    this.missing.set(null);
    if (this.nameError() || this.lrError() || this.invalid()) return;
    if (this.planPanel()?.needsConfirmation()) {
      this.error.set('The plan says this job cannot produce a useful adapter: confirm "Start anyway" in the plan to start it.');
      return;
    }
    this.busy.set(true);
    try {
      const job = await this.jobs.start(this.request());
      this.store.upsert(job);
      await this.router.navigate(['/jobs', job.id]);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
