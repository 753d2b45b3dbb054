import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { EntityNames } from '../../core/entity-names';
import { PROMPT_EVENTS, livePagedList } from '../../core/paged-list';
import { Prompt } from '../../core/models';
import { EmptyState } from '../../shared/empty-state';

/** Prompts per page. */
const PAGE = 50;

@Component({
  selector: 'app-prompt-list',
  imports: [RouterLink, EmptyState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="row" style="justify-content:space-between"><h1>Prompts</h1><a class="btn" routerLink="/prompts/new">Create prompt</a></div>
    <p class="caption">Templates that turn a dataset row into a training example.</p>
    @if (error(); as e) { <p class="error" role="alert">{{ e }}</p> }
    @if (prompts.error(); as e) { <p class="error" role="alert">{{ e }}</p> }
    @if (prompts.loaded() && !prompts.items().length) {
      <app-empty text="No prompts yet. A prompt maps dataset columns to the model's input and output." link="/prompts/new" action="Create a prompt" />
    }
    <div class="grid2">
      @for (p of prompts.items(); track p.id) {
        <div class="card" data-testid="prompt-card">
          <div class="row" style="justify-content:space-between"><strong>{{ p.name }}</strong><button class="danger" (click)="remove(p)">Delete</button></div>
          <p class="muted">Dataset: {{ names.name('datasets', p.dataset_id) }}</p>
          <pre>{{ p.prompt_template }}</pre>
        </div>
      }
    </div>
    @if (prompts.hasMore()) { <button type="button" class="secondary" (click)="prompts.more()" [disabled]="prompts.loading()" data-testid="more-prompts">More prompts</button> }
  `,
})
export default class PromptList {
  /** A page of prompts at a time (the list route's paging), re-read when the live stream says prompts changed. */
  protected readonly prompts = livePagedList<Prompt>({ path: '/prompts', key: 'prompts', pageSize: PAGE }, PROMPT_EVENTS);
  /** The shown prompts' dataset names, read by id. */
  protected readonly names = inject(EntityNames);
  private readonly api = inject(Api);
  protected readonly error = signal<string | null>(null);
  async remove(p: Prompt): Promise<void> {
    if (!confirm(`Delete prompt "${p.name}"?`)) return;
    try {
      await this.api.delete(`/prompts/${p.id}`);
      this.prompts.remove(p.id);
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }
}
