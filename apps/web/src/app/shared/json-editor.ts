import { ChangeDetectionStrategy, Component, computed, input, model } from '@angular/core';

/** Result of checking a JSON text: null when valid, else the parser's message. */
export function jsonError(text: string, requireObject = true): string | null {
  if (!text.trim()) return 'Enter a JSON object.';
  try {
    const v = JSON.parse(text);
    if (requireObject && (v === null || typeof v !== 'object' || Array.isArray(v))) return 'The value must be a JSON object ({ … }).';
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A textarea for a JSON config that validates on every keystroke and shows the error inline. */
@Component({
  selector: 'app-json-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <label class="field">
      @if (showLabel()) { <span>{{ label() }}</span> }
      <textarea
        [attr.aria-label]="label()"
        [class.invalid]="error()"
        [rows]="rows()"
        spellcheck="false"
        [value]="value()"
        (input)="value.set($any($event.target).value)"
      ></textarea>
      @if (error(); as e) {
        <span class="error json-error" role="alert">Invalid JSON: {{ e }}</span>
      }
    </label>
  `,
  styles: `textarea { font-family: var(--mono); font-size: 12px; width: 100%; }`,
})
export class JsonEditor {
  readonly label = input('JSON');
  /** False where a heading right above already names the editor (the label stays its accessible name). */
  readonly showLabel = input(true);
  readonly rows = input(8);
  readonly value = model('');
  readonly error = computed(() => jsonError(this.value()));
}
