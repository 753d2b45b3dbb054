import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { Catalog } from '../../core/catalog';
import { Prompt } from '../../core/models';
import { EmptyState } from '../../shared/empty-state';

@Component({
  selector: 'app-prompt-list',
  imports: [RouterLink, EmptyState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="row" style="justify-content:space-between"><h1>Prompts</h1><a class="btn" routerLink="/prompts/new">Create prompt</a></div>
    <p class="caption">Templates that turn a dataset row into a training example.</p>
    @if (error(); as e) { <p class="error" role="alert">{{ e }}</p> }
    @if (catalog.loaded() && !catalog.prompts().length) {
      <app-empty text="No prompts yet. A prompt maps dataset columns to the model's input and output." link="/prompts/new" action="Create a prompt" />
    }
    <div class="grid2">
      @for (p of catalog.prompts(); track p.id) {
        <div class="card" data-testid="prompt-card">
          <div class="row" style="justify-content:space-between"><strong>{{ p.name }}</strong><button class="danger" (click)="remove(p)">Delete</button></div>
          <p class="muted">Dataset: {{ catalog.name(p.dataset_id) }}</p>
          <pre>{{ p.prompt_template }}</pre>
        </div>
      }
    </div>
  `,
})
export default class PromptList {
  protected readonly catalog = inject(Catalog);
  private readonly api = inject(Api);
  protected readonly error = signal<string | null>(null);
  constructor() { this.catalog.start(); }
  async remove(p: Prompt): Promise<void> {
    if (!confirm(`Delete prompt "${p.name}"?`)) return;
    try {
      await this.api.delete(`/prompts/${p.id}`);
      await this.catalog.load('prompts');
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }
}
